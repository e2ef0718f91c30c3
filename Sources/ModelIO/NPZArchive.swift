import Foundation

/// A NumPy `.npz` archive: a zip of `.npy` entries, stored or deflated.
///
/// All entries are decoded when the archive is opened (so a corrupt file fails at once) and
/// their CRC-32s checked. Stored entries are views of the memory-mapped file; deflated ones are
/// inflated by ZIPFoundation. Object arrays, such as the lists of SciPy sparse matrices in
/// PyMAF's `mesh_downsampling.npz`, hold `PickleValue`s.
///
/// ```swift
/// let archive = try NPZArchive(contentsOf: url)
/// let downsampling = try archive.sparseMatrices("D")  // [6890→1723, 1723→431]
/// ```
public struct NPZArchive: Sendable {
    /// Array names in archive order (without the `.npy` suffix).
    public let names: [String]
    private let arrays: [String: NDArray]

    /// Reads the archive at `url`.
    public init(contentsOf url: URL) throws {
        let path = url.path
        let storage = try ByteStorage(mapping: url)
        self = try reportingFile(path) { try NPZArchive(bytes: storage.slice) }
    }

    /// Reads an archive held in `bytes`.
    ///
    /// - Parameter verifyChecksums: check each entry's CRC-32.
    public init(bytes: ByteSlice, verifyChecksums: Bool = true) throws {
        let directory = try ZipDirectory(bytes)
        var names: [String] = []
        var arrays: [String: NDArray] = [:]
        for entry in directory.entries where !entry.name.hasSuffix("/") {
            let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            let contents = try directory.contents(of: entry, verify: verifyChecksums)
            do {
                arrays[name] = try NPYFile.parse(contents)
            } catch var error as ModelIOError {
                error.reason = NPZArchive.naming(entry: entry.name, error.reason)
                throw error
            }
            names.append(name)
        }
        self.names = names
        self.arrays = arrays
    }

    private static func naming(entry: String, _ reason: ModelIOError.Reason) -> ModelIOError.Reason {
        switch reason {
        case .malformed(let text): .malformed("entry `\(entry)`: \(text)")
        case .unsupported(let text): .unsupported("entry `\(entry)`: \(text)")
        case .limitExceeded(let text): .limitExceeded("entry `\(entry)`: \(text)")
        default: reason
        }
    }

    /// The array called `name`, or nil.
    public subscript(name: String) -> NDArray? { arrays[name] }

    /// The array called `name`; throws `missingEntry` when absent.
    public func array(_ name: String) throws -> NDArray {
        guard let array = arrays[name] else { throw ModelIOError(.missingEntry("array `\(name)` (has: \(names.joined(separator: ", ")))")) }
        return array
    }

    /// The SciPy sparse matrices held by the object array `name`, in row-major order.
    public func sparseMatrices(_ name: String) throws -> [SparseMatrix] {
        let array = try array(name)
        guard array.dtype == nil else { throw ModelIOError(.malformed("array `\(name)` is numeric, not an object array")) }
        return try array.objectsInRowMajorOrder().enumerated().map { index, value in
            guard case .sparse(let matrix) = value else {
                throw ModelIOError(.malformed("element \(index) of `\(name)` is a \(value.kindName), not a sparse matrix"))
            }
            return matrix
        }
    }
}
