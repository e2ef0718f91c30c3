import Foundation

/// Writes PyMAF's / VIBE's `output.pkl`, `{track_id: {pred_cam, orig_cam, verts, pose, betas,
/// joints3d, joints2d (None), bboxes, frame_ids}}`, streaming each array from its spool.
///
/// Each array is the expression `numpy.array(numpy.reshape(numpy.frombuffer(<bytes>, dtype),
/// shape))`, built with GLOBAL + REDUCE opcodes only, so the file loads with `pickle.load` and
/// `joblib.load` under NumPy 1.x and 2.x alike (no `numpy.core`/`numpy._core` module path) and
/// yields writeable arrays. Protocol 3 (BINBYTES, < 4 GiB per array); protocol 4 with BINBYTES8
/// when any array is larger.
enum VIBEPickleWriter {
    static func write(tracks: [ParameterTrackWriter], to url: URL) throws {
        let large = tracks.contains { track in track.fields.contains { $0.spool.byteCount >= Int(UInt32.max) } }
        let file = try AtomicFile(url: url)
        do {
            try file.write([0x80, large ? 4 : 3, UInt8(ascii: "}"), UInt8(ascii: "(")])
            for track in tracks {
                var key = BinaryBuffer()
                key.append(bytes: [UInt8(ascii: "J")])
                key.append(int32: Int32(track.trackID))
                key.append(bytes: [UInt8(ascii: "}"), UInt8(ascii: "(")])
                try file.write(key.data)
                for name in ParameterTrackWriter.pickleFieldOrder {
                    try file.write(unicode(name))
                    guard let field = track.field(name) else {
                        try file.write([UInt8(ascii: "N")])  // joints2d: None
                        continue
                    }
                    try writeArray(field, rows: track.frameCount, large: large, to: file)
                }
                try file.write([UInt8(ascii: "u")])
            }
            try file.write([UInt8(ascii: "u"), UInt8(ascii: ".")])
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    private static func unicode(_ text: String) -> Data {
        var b = BinaryBuffer()
        b.append(bytes: [UInt8(ascii: "X")])
        b.append(uint32: UInt32(text.utf8.count))
        b.append(bytes: Array(text.utf8))
        return b.data
    }

    private static func global(_ module: String, _ name: String) -> Data {
        Data([UInt8(ascii: "c")] + Array("\(module)\n\(name)\n".utf8))
    }

    private static func writeArray(_ field: ParameterTrackWriter.Field, rows: Int, large: Bool, to file: AtomicFile) throws {
        var head = Data()
        head.append(global("numpy", "array"))
        head.append(global("numpy", "reshape"))
        head.append(global("numpy", "frombuffer"))
        var length = BinaryBuffer()
        if large {
            length.append(bytes: [0x8E])
            withUnsafeBytes(of: UInt64(field.spool.byteCount).littleEndian) { length.append(bytes: Array($0)) }
        } else {
            length.append(bytes: [UInt8(ascii: "B")])
            length.append(uint32: UInt32(field.spool.byteCount))
        }
        head.append(length.data)
        try file.write(head)
        try file.append(contentsOf: field.spool)
        var tail = Data()
        tail.append(unicode(field.descr))
        tail.append(contentsOf: [0x86, UInt8(ascii: "R")])  // frombuffer(bytes, dtype)
        let shape = [rows] + field.shapeTail
        var shapeBytes = BinaryBuffer()
        shapeBytes.append(bytes: [UInt8(ascii: "(")])  // MARK
        for dimension in shape {
            shapeBytes.append(bytes: [UInt8(ascii: "J")])
            shapeBytes.append(int32: Int32(dimension))
        }
        shapeBytes.append(bytes: [UInt8(ascii: "t")])  // TUPLE
        tail.append(shapeBytes.data)
        tail.append(contentsOf: [0x86, UInt8(ascii: "R")])  // reshape(array, shape)
        tail.append(contentsOf: [0x85, UInt8(ascii: "R")])  // array(reshaped): a writeable copy
        try file.write(tail)
    }
}
