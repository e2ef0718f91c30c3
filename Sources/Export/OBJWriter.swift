import Foundation

/// Wavefront OBJ meshes: `v x y z` (%.6f, Y-up metres) in the body model's vertex order, then
/// `f a b c` with 1-based indices, CCW from outside. One file per frame for sequences.
enum OBJWriter {
    /// The text of one mesh; `faceLines` is the prebuilt face block (shared by every frame).
    static func text(vertices: [Float], faceLines: [UInt8], header: String) -> TextBuffer {
        var text = TextBuffer(reservingCapacity: vertices.count * 11 + faceLines.count + 64)
        text.append(header)
        var i = 0
        while i + 2 < vertices.count {
            text.append("v ")
            text.append(vertices[i], decimals: 6)
            text.append(byte: 32)
            text.append(vertices[i + 1], decimals: 6)
            text.append(byte: 32)
            text.append(vertices[i + 2], decimals: 6)
            text.append(byte: 10)
            i += 3
        }
        var out = text
        out.appendRaw(faceLines)
        return out
    }

    /// `f a b c` lines (1-based) for triangles given 0-based, (F, 3).
    static func faceLines(_ faces: [UInt32]) -> [UInt8] {
        var text = TextBuffer(reservingCapacity: faces.count * 7)
        var i = 0
        while i + 2 < faces.count {
            text.append("f ")
            text.append(Int(faces[i]) + 1)
            text.append(byte: 32)
            text.append(Int(faces[i + 1]) + 1)
            text.append(byte: 32)
            text.append(Int(faces[i + 2]) + 1)
            text.append(byte: 10)
            i += 3
        }
        return text.bytes
    }

    /// Writes one mesh to `url` through a temporary name.
    static func write(vertices: [Float], faceLines: [UInt8], header: String, to url: URL) throws {
        let file = try AtomicFile(url: url)
        do {
            try file.write(text(vertices: vertices, faceLines: faceLines, header: header).data)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}
