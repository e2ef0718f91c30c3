import Foundation

/// A PyTorch checkpoint (`torch.save` output) read without executing it: either serialization —
/// the zip format of PyTorch ≥ 1.6 or the legacy stream format older versions (PyTorch 1.1 for
/// PyMAF's released model) wrote.
///
/// The file is memory-mapped; tensors are typed views over its bytes until converted.
///
/// ```swift
/// let checkpoint = try TorchCheckpoint(contentsOf: url)
/// for (key, tensor) in try checkpoint.stateDict() {
///     print(key, tensor.shape, tensor.dtype)
/// }
/// ```
public final class TorchCheckpoint: Sendable {
    public enum Format: String, Sendable {
        /// `archive/data.pkl` plus one stored record per storage (PyTorch ≥ 1.6).
        case zip
        /// Magic number, protocol and system-info pickles, the object pickle, the storage keys,
        /// then each storage's bytes (before PyTorch 1.6).
        case legacy
    }

    public let format: Format
    /// The unpickled object: usually a dict such as `{"model": state_dict, ...}`.
    public let root: PickleValue
    /// The file's bytes (a memory mapping when read from a file).
    public let bytes: ByteStorage

    /// Opens and decodes the checkpoint at `url`.
    ///
    /// - Parameter verifyChecksums: check each zip record's CRC-32 (reads every byte once).
    public convenience init(contentsOf url: URL, verifyChecksums: Bool = true) throws {
        let path = url.path
        let storage = try ByteStorage(mapping: url)
        try self.init(bytes: storage, path: path, verifyChecksums: verifyChecksums)
    }

    /// Decodes a checkpoint held in `bytes`; `path` only names it in errors.
    public init(bytes: ByteStorage, path: String = "<memory>", verifyChecksums: Bool = true) throws {
        self.bytes = bytes
        let file = bytes.slice
        let isZip = file.withUnsafeBytes { $0.starts(with: [0x50, 0x4B, 0x03, 0x04]) }
        do {
            if isZip {
                format = .zip
                root = try TorchCheckpoint.loadZip(file, verify: verifyChecksums)
            } else {
                format = .legacy
                root = try TorchCheckpoint.loadLegacy(file)
            }
        } catch let error as ModelIOError {
            throw error.inFile(path)
        }
    }

    /// The state dict: `root["model"]` when present (else `root["state_dict"]`, else the root),
    /// in key order. Every value must be a tensor.
    public func stateDict() throws -> [(key: String, tensor: StoredTensor)] {
        let dict = root["model"] ?? root["state_dict"] ?? root
        guard let entries = dict.entries else {
            throw ModelIOError(.malformed("the checkpoint holds no state dict (its root is a \(root.kindName))"))
        }
        return try entries.map { entry in
            guard let key = entry.key.text else { throw ModelIOError(.malformed("state dict key is a \(entry.key.kindName)")) }
            guard case .tensor(let tensor) = entry.value else {
                throw ModelIOError(.malformed("state dict entry `\(key)` is a \(entry.value.kindName), not a tensor"))
            }
            return (key, tensor)
        }
    }

    // MARK: - Zip format

    private static func loadZip(_ file: ByteSlice, verify: Bool) throws -> PickleValue {
        let directory = try ZipDirectory(file)
        guard let pickleEntry = directory.entries.first(where: { $0.name.hasSuffix("/data.pkl") && !$0.name.dropLast(9).contains("/") }) else {
            throw ModelIOError(.missingEntry("archive/data.pkl (not a PyTorch zip checkpoint)"))
        }
        let prefix = String(pickleEntry.name.dropLast("data.pkl".count))
        if let order = directory.entry(named: prefix + "byteorder") {
            let text = try directory.contents(of: order, verify: verify).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            guard text == "little" else { throw ModelIOError(.unsupported("byte order `\(text)`")) }
        }
        let pickle = try directory.contents(of: pickleEntry, verify: verify)
        if verify { try verifyStoredRecords(directory, prefix: prefix + "data/") }
        let unpickler = Unpickler { request in
            guard let entry = directory.entry(named: prefix + "data/" + request.key) else {
                throw ModelIOError(.missingEntry(prefix + "data/" + request.key))
            }
            // Stored records were checked above, all at once; deflated ones are checked as inflated.
            let bytes = try directory.contents(of: entry, verify: verify && entry.method != 0)
            let (needed, overflow) = request.elementCount.multipliedReportingOverflow(by: request.dtype.byteWidth)
            guard !overflow, needed <= bytes.count else {
                throw ModelIOError(.malformed("storage `\(request.key)` has \(bytes.count) bytes, \(request.elementCount) \(request.dtype.rawValue) elements declared"))
            }
            return try bytes.slice(from: 0, count: needed)
        }
        return try unpickler.load(pickle).value
    }

    /// Checks the CRC-32 of every stored storage record, spreading the records over the cores.
    private static func verifyStoredRecords(_ directory: ZipDirectory, prefix: String) throws {
        let records = directory.entries.filter { $0.method == 0 && $0.name.hasPrefix(prefix) }
            .sorted { $0.compressedSize > $1.compressedSize }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, records.count))
        let failures = FailureBox()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Largest first, dealt round-robin: the workers get similar byte counts.
            for index in stride(from: worker, to: records.count, by: workers) {
                do {
                    _ = try directory.contents(of: records[index], verify: true)
                } catch let error as ModelIOError {
                    failures.record(error, at: index)
                    return
                } catch {
                    return
                }
            }
        }
        if let error = failures.first { throw error }
    }

    // MARK: - Legacy format

    /// The legacy format's magic number 0x1950a86a20f9469cfc6c, little-endian.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    private static func loadLegacy(_ file: ByteSlice) throws -> PickleValue {
        var position = 0
        func next(_ unpickler: Unpickler = Unpickler()) throws -> PickleValue {
            let rest = try file.slice(from: position, count: file.count - position)
            let (value, length) = try unpickler.load(rest)
            position += length
            return value
        }
        let isPickle = file.withUnsafeBytes { $0.first == 0x80 }
        guard isPickle else {
            throw ModelIOError(.malformed("neither a zip nor a legacy PyTorch checkpoint (tar checkpoints from PyTorch < 0.4 are not supported)"))
        }
        guard case .bigInt(let magic) = try next(), magic == legacyMagic else {
            throw ModelIOError(.malformed("legacy checkpoint magic number is wrong"), offset: 0)
        }
        guard try next().intValue == 1001 else {
            throw ModelIOError(.unsupported("legacy checkpoint protocol version (expected 1001)"))
        }
        let systemInfo = try next()
        guard systemInfo["little_endian"]?.boolValue ?? true else {
            throw ModelIOError(.unsupported("big-endian legacy checkpoints"))
        }
        // Pass 1: learn each storage's type and size. The storages come after the pickles, so
        // the object pickle is decoded once with stand-in bytes taken from the file itself
        // (every real storage fits in the file; one that does not is a truncated file).
        let objectStart = position
        var requests: [String: Unpickler.StorageRequest] = [:]
        _ = try next(Unpickler { request in
            if let known = requests[request.key], known.dtype != request.dtype || known.elementCount != request.elementCount {
                throw ModelIOError(.malformed("storage `\(request.key)` is declared with two types or sizes"))
            }
            requests[request.key] = request
            return try standIn(file, request)
        })
        let keysValue = try next()
        guard let keyItems = keysValue.items else { throw ModelIOError(.malformed("legacy storage key list is not a list")) }
        // The storages: for each key, an int64 element count and the raw elements.
        var reader = ByteReader(file, position: position)
        var storages: [String: ByteSlice] = [:]
        for item in keyItems {
            guard let key = item.text else { throw ModelIOError(.malformed("legacy storage key is a \(item.kindName)")) }
            guard let request = requests[key] else {
                throw ModelIOError(.malformed("storage `\(key)` is listed but no tensor uses it"), offset: reader.absoluteOffset)
            }
            let at = reader.absoluteOffset
            let count = try reader.int64()
            guard count == Int64(request.elementCount) else {
                throw ModelIOError(.malformed("storage `\(key)` holds \(count) elements, \(request.elementCount) declared"), offset: at)
            }
            let (length, overflow) = request.elementCount.multipliedReportingOverflow(by: request.dtype.byteWidth)
            guard !overflow else { throw ModelIOError(.limitExceeded("storage `\(key)` size")) }
            storages[key] = try reader.slice(length)
        }
        // Pass 2: the object pickle again, now over the real storages.
        position = objectStart
        return try next(Unpickler { request in
            guard let root = storages[request.key] else {
                throw ModelIOError(.missingEntry("bytes of storage `\(request.key)`"))
            }
            guard let view = request.view else { return root }
            let width = request.dtype.byteWidth
            return try root.slice(from: view.offset * width, count: view.count * width)
        })
    }

    private static func standIn(_ file: ByteSlice, _ request: Unpickler.StorageRequest) throws -> ByteSlice {
        let width = request.dtype.byteWidth
        let (length, overflow) = request.elementCount.multipliedReportingOverflow(by: width)
        guard !overflow, length <= file.count else {
            throw ModelIOError(.truncated(needed: overflow ? Int.max : length - file.count))
        }
        guard let view = request.view else { return try file.slice(from: 0, count: length) }
        guard view.offset <= request.elementCount, view.count <= request.elementCount - view.offset else {
            throw ModelIOError(.malformed("storage view (\(view.offset), \(view.count)) outside its root of \(request.elementCount)"))
        }
        return try file.slice(from: view.offset * width, count: view.count * width)
    }
}

/// Collects the errors of parallel checks; reports the one of the lowest record index.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: (index: Int, error: ModelIOError)?

    func record(_ error: ModelIOError, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if failure == nil || index < failure!.index { failure = (index, error) }
    }

    var first: ModelIOError? {
        lock.lock()
        defer { lock.unlock() }
        return failure?.error
    }
}
