import Foundation
import ZIPFoundation

/// Writes NumPy `.npz` archives (as `numpy.savez` / `savez_compressed`) with ZIPFoundation.
///
/// ```swift
/// try NPZWriter(compressed: true).write([("betas", try NumPyArrayData(floats: betas, shape: [n, 10]))], to: url)
/// ```
public struct NPZWriter: Sendable {
    /// Deflate the entries (`savez_compressed`) rather than store them (`savez`).
    public var compressed: Bool

    /// Entries carry a fixed date (as `numpy.savez` does: 1980-01-01) so output depends only on content.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)

    public init(compressed: Bool = false) {
        self.compressed = compressed
    }

    /// Writes the arrays as `<name>.npy` entries, in order (temporary name, renamed when complete).
    public func write(_ arrays: [(name: String, array: NumPyArrayData)], to url: URL) throws {
        var seen = Set<String>()
        for (name, _) in arrays {
            guard !name.isEmpty, !name.contains("/"), seen.insert(name).inserted else {
                throw ModelIOError(.malformed("array name `\(name)` is empty, has a slash or repeats"), file: url.path)
            }
        }
        try AtomicFile.write(to: url) { temporary in
            let archive: Archive
            do {
                archive = try Archive(url: temporary, accessMode: .create)
            } catch {
                throw ModelIOError(.fileSystem("cannot create the zip archive (\(error))"))
            }
            for (name, array) in arrays {
                let data = Data(NPYWriter.encode(array))
                try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: NPZWriter.entryDate,
                                     compressionMethod: compressed ? .deflate : .none) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
        }
    }
}
