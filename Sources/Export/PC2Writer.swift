import Foundation

/// Point Cache 2 (`.pc2`, read by Blender's MeshCache modifier, 3ds Max, Maya) plus the
/// rest-pose OBJ it applies to.
///
/// Header (32 bytes, little-endian): "POINTCACHE2\0", int32 version 1, int32 point count,
/// float32 start frame, float32 sample rate (1), int32 sample count; then float32 (x, y, z)
/// per point per sample. One sample per video frame from the track's first frame index;
/// frames missing from the track hold the previous sample so sample i is frame start + i.
/// Vertices are the exact Y-up vertices with root motion (`ExportFrame`).
final class PC2Writer: TrackFormatWriter {
    private let file: AtomicFile
    private let restURL: URL
    private let faceLines: [UInt8]
    private let pointCount: Int
    private var sampleCount = 0
    private var lastFrame: (index: Int, vertices: [Float])?

    init(url: URL, restURL: URL, pointCount: Int, faceLines: [UInt8]) throws {
        file = try AtomicFile(url: url)
        self.restURL = restURL
        self.pointCount = pointCount
        self.faceLines = faceLines
    }

    func append(_ frame: ExportFrame) throws {
        if let last = lastFrame {
            for _ in 0..<max(0, frame.frameIndex - last.index - 1) { try writeSample(last.vertices) }
        } else {
            var header = BinaryBuffer()
            header.append(bytes: Array("POINTCACHE2".utf8) + [0])
            header.append(int32: 1)
            header.append(int32: Int32(pointCount))
            header.append(float: Float(frame.frameIndex))
            header.append(float: 1)
            header.append(int32: 0)
            try file.write(header.data)
        }
        try writeSample(frame.vertices)
        lastFrame = (frame.frameIndex, frame.vertices)
    }

    private func writeSample(_ vertices: [Float]) throws {
        try file.write(vertices.withUnsafeBufferPointer { Data(buffer: $0) })
        sampleCount += 1
    }

    func finish(rig: ExportRig) throws -> [URL] {
        var count = BinaryBuffer()
        count.append(int32: Int32(sampleCount))
        try file.patch(Array(count.data), at: 28)
        try file.commit()
        try OBJWriter.write(
            vertices: rig.restVertices, faceLines: faceLines,
            header: "# rest pose for \(file.url.lastPathComponent): Y-up, metres\n", to: restURL)
        return [file.url, restURL]
    }

    func discard() { file.discard() }
}
