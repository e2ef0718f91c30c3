import BodyModel
import Foundation
import ZIPFoundation

/// The parameter arrays of one track, spooled per field: written as `tracks/<id:04d>.npz`
/// at the end of the track and kept until the session's `output.pkl` is assembled.
///
/// Fields (float32 unless stated; camera frame, y down, as PyMAF's output):
/// `pred_cam (N,3)`, `orig_cam (N,4)`, `verts (N,V,3)`, `pose (N,72)`, `betas (N,10)`,
/// `joints3d (N,49,3)`, `bboxes (N,4)` cx, cy, w, h, `frame_ids (N,) int64`; NPZ only:
/// `timestamps (N,) float64` seconds, `trans (N,3)` = T of `PlateCamera` (vertices + trans is the
/// body in the camera frame), `fps ()`, `image_size (2,) int64` (width, height),
/// `track_id () int64`, `focal_length ()` pixels, `smoothing ()` unicode JSON of the settings.
final class ParameterTrackWriter {
    struct Field {
        let name: String
        let descr: String  // NumPy dtype string
        let shapeTail: [Int]
        let spool: SpoolFile
    }

    let trackID: Int
    private(set) var frameCount = 0
    let fields: [Field]
    private let vertexCount: Int

    /// Fields in VIBE/PyMAF `output.pkl` order (then the NPZ-only ones).
    static let pickleFieldOrder = ["pred_cam", "orig_cam", "verts", "pose", "betas", "joints3d", "joints2d", "bboxes", "frame_ids"]

    init(trackID: Int, vertexCount: Int, spoolFolder: URL) throws {
        self.trackID = trackID
        self.vertexCount = vertexCount
        func field(_ name: String, _ descr: String, _ tail: [Int]) throws -> Field {
            Field(name: name, descr: descr, shapeTail: tail,
                  spool: try SpoolFile(url: spoolFolder.appendingPathComponent("track\(trackID)-\(name).bin")))
        }
        fields = [
            try field("pred_cam", "<f4", [3]), try field("orig_cam", "<f4", [4]),
            try field("verts", "<f4", [vertexCount, 3]), try field("pose", "<f4", [72]),
            try field("betas", "<f4", [10]), try field("joints3d", "<f4", [49, 3]),
            try field("bboxes", "<f4", [4]), try field("frame_ids", "<i8", []),
            try field("timestamps", "<f8", []), try field("trans", "<f4", [3]),
        ]
    }

    func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    func append(_ frame: PersonFrame, translation: SIMD3<Double>) throws {
        func invalid(_ reason: String) -> ExportError {
            .invalidFrame(trackID: frame.trackID, frameIndex: frame.frameIndex, reason: reason)
        }
        guard frame.pose.count == 72 else { throw invalid("pose has \(frame.pose.count) values, expected 72") }
        guard frame.betas.count == 10 else { throw invalid("betas has \(frame.betas.count) values, expected 10") }
        guard frame.joints.count == 147 else { throw invalid("\(frame.joints.count / 3) joints, expected 49") }
        let values: [[Float]] = [
            [frame.predCam.x, frame.predCam.y, frame.predCam.z],
            [frame.origCam.x, frame.origCam.y, frame.origCam.z, frame.origCam.w],
            frame.vertices, frame.pose, frame.betas, frame.joints,
            [frame.box.x, frame.box.y, frame.box.z, frame.box.w],
        ]
        for (field, floats) in zip(fields, values) { try field.spool.append(floats: floats) }
        try fields[7].spool.append(withUnsafeBytes(of: Int64(frame.frameIndex).littleEndian) { Data($0) })
        try fields[8].spool.append(withUnsafeBytes(of: frame.time.bitPattern.littleEndian) { Data($0) })
        try fields[9].spool.append(floats: [Float(translation.x), Float(translation.y), Float(translation.z)])
        frameCount += 1
    }

    /// Writes `url` (the `.npz`) with every field plus the per-track metadata.
    func writeNPZ(to url: URL, fps: Double, camera: PlateCamera, smoothing: String) throws {
        let file = try AtomicFile(url: url)
        file.discardHandleKeepingFile()
        do {
            try? FileManager.default.removeItem(at: file.temporaryURL)
            let archive = try Archive(url: file.temporaryURL, accessMode: .create)
            for field in fields {
                try Self.addMember(to: archive, name: field.name, header: NPYHeader.bytes(descr: field.descr, shape: [frameCount] + field.shapeTail),
                                   spool: field.spool)
            }
            let metadata: [(String, String, [Int], Data)] = [
                ("fps", "<f8", [], withUnsafeBytes(of: fps.bitPattern.littleEndian) { Data($0) }),
                ("image_size", "<i8", [2], [Int64(camera.imageWidth), Int64(camera.imageHeight)].withUnsafeBufferPointer { Data(buffer: $0) }),
                ("track_id", "<i8", [], withUnsafeBytes(of: Int64(trackID).littleEndian) { Data($0) }),
                ("focal_length", "<f8", [], withUnsafeBytes(of: camera.focalLength.bitPattern.littleEndian) { Data($0) }),
                NPYHeader.unicodeScalar(name: "smoothing", smoothing),
            ]
            for (name, descr, shape, data) in metadata {
                let bytes = NPYHeader.bytes(descr: descr, shape: shape) + data
                try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: Self.fixedDate, compressionMethod: .none) { position, size in
                    bytes.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
        } catch let error as ExportError {
            file.discard()
            throw error
        } catch {
            file.discard()
            throw ExportError.cannotWrite(path: url.path, reason: "\(error)")
        }
        try file.commit()
    }

    /// A fixed member date keeps archives byte-identical between runs (golden files).
    static let fixedDate = Date(timeIntervalSince1970: 1_577_836_800)

    /// Streams `header` then the spool's bytes into a STORED member `name.npy`.
    static func addMember(to archive: Archive, name: String, header: Data, spool: SpoolFile) throws {
        try spool.flush()
        let reader = try FileHandle(forReadingFrom: spool.url)
        defer { try? reader.close() }
        let total = header.count + spool.byteCount
        try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(total),
                             modificationDate: fixedDate, compressionMethod: .none, bufferSize: 1 << 20) { position, size in
            var chunk = Data()
            var start = Int(position)
            let end = start + size
            if start < header.count {
                chunk.append(header.subdata(in: start..<min(end, header.count)))
                start = header.count
            }
            if start < end {
                try reader.seek(toOffset: UInt64(start - header.count))
                chunk.append(try reader.read(upToCount: end - start) ?? Data())
            }
            return chunk
        }
    }

    func remove() { for field in fields { field.spool.remove() } }
}

/// `.npy` version 1.0 headers: magic, version, little-endian header length, then the dict
/// literal padded with spaces and a newline so the data starts on a 64-byte boundary.
enum NPYHeader {
    static func bytes(descr: String, shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        let unpadded = 10 + dict.count + 1
        dict += Array(repeating: 0x20, count: (64 - unpadded % 64) % 64) + [0x0A]
        var out = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(dict.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: dict)
        return out
    }

    /// A 0-d unicode array (`<U n`, UTF-32LE) holding `text`.
    static func unicodeScalar(name: String, _ text: String) -> (String, String, [Int], Data) {
        let scalars = Array(text.unicodeScalars)
        var data = Data()
        for s in scalars { withUnsafeBytes(of: s.value.littleEndian) { data.append(contentsOf: $0) } }
        return (name, "<U\(max(scalars.count, 1))", [], scalars.isEmpty ? Data(count: 4) : data)
    }
}
