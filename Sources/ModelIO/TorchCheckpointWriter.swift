import Foundation

/// Writes a state dict as a PyTorch checkpoint that `torch.load` (and `TorchCheckpoint`) reads:
/// zip format by default (as PyTorch ≥ 1.6 writes), or the legacy stream format.
///
/// Tensors are contiguous float32 or int64, each with its own storage.
///
/// ```swift
/// var writer = TorchCheckpointWriter()
/// try writer.append("fc.weight", shape: [10, 4], floats: weights)
/// try writer.append("bn.num_batches_tracked", shape: [], int64s: [0])
/// try writer.write(to: url)  // {"model": OrderedDict(...)}
/// ```
public struct TorchCheckpointWriter: Sendable {
    public enum Values: Sendable {
        case float32([Float])
        case int64([Int64])

        var count: Int {
            switch self {
            case .float32(let values): values.count
            case .int64(let values): values.count
            }
        }

        var dtype: ScalarType {
            switch self {
            case .float32: .float32
            case .int64: .int64
            }
        }

        func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            switch self {
            case .float32(let values): try values.withUnsafeBytes(body)
            case .int64(let values): try values.withUnsafeBytes(body)
            }
        }
    }

    public struct Entry: Sendable {
        public var key: String
        public var shape: [Int]
        public var values: Values
    }

    public var format: TorchCheckpoint.Format
    /// Wrap the state dict as `{"model": state_dict}` (PyMAF's layout) rather than writing it bare.
    public var wrapsInModelKey: Bool
    public private(set) var entries: [Entry] = []

    public init(format: TorchCheckpoint.Format = .zip, wrapsInModelKey: Bool = true) {
        self.format = format
        self.wrapsInModelKey = wrapsInModelKey
    }

    /// Appends a float32 tensor; `floats` holds its elements in row-major order.
    public mutating func append(_ key: String, shape: [Int], floats: [Float]) throws {
        try append(Entry(key: key, shape: shape, values: .float32(floats)))
    }

    /// Appends an int64 tensor.
    public mutating func append(_ key: String, shape: [Int], int64s: [Int64]) throws {
        try append(Entry(key: key, shape: shape, values: .int64(int64s)))
    }

    public mutating func append(_ entry: Entry) throws {
        guard try NDArray.elementCount(entry.shape) == entry.values.count else {
            throw ModelIOError(.malformed("tensor `\(entry.key)` of shape \(entry.shape) given \(entry.values.count) values"))
        }
        guard !entries.contains(where: { $0.key == entry.key }) else {
            throw ModelIOError(.malformed("tensor `\(entry.key)` appended twice"))
        }
        entries.append(entry)
    }

    /// Writes the checkpoint to `url` (temporary name, renamed when complete).
    public func write(to url: URL) throws {
        try AtomicFile.write(to: url) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary.path) else {
                throw ModelIOError(.fileSystem("cannot create the file"))
            }
            defer { try? handle.close() }
            var sink = FileSink(handle: handle)
            switch format {
            case .zip: try writeZip(to: &sink, archiveName: "archive")
            case .legacy: try writeLegacy(to: &sink)
            }
            try sink.flush()
        }
    }

    /// The object pickle: tensors refer to storages "0", "1", … by persistent id.
    func objectPickle(legacy: Bool) throws -> [UInt8] {
        let storageTypes: [ScalarType: String] = [.float32: "FloatStorage", .int64: "LongStorage"]
        let items: [(key: PickleNode, value: PickleNode)] = entries.enumerated().map { index, entry in
            var id: [PickleNode] = [
                .string("storage"), .global(module: "torch", name: storageTypes[entry.values.dtype]!),
                .string(String(index)), .string("cpu"), .int(Int64(entry.values.count)),
            ]
            if legacy { id.append(.none) }
            let strides = ElementGather.contiguousStrides(entry.shape).map { PickleNode.int(Int64($0)) }
            let tensor = PickleNode.reduce(.global(module: "torch._utils", name: "_rebuild_tensor_v2"), arguments: [
                .persistentID(.tuple(id)), .int(0), .tuple(entry.shape.map { .int(Int64($0)) }),
                .tuple(strides), .bool(false), .orderedDict([]),
            ])
            return (.string(entry.key), tensor)
        }
        let stateDict = PickleNode.orderedDict(items)
        let root = wrapsInModelKey ? PickleNode.dict([(.string("model"), stateDict)]) : stateDict
        return try PickleWriter(protocol: 2).encode(root)
    }

    // MARK: - Zip

    private func writeZip(to sink: inout FileSink, archiveName: String) throws {
        var zip = ZipStoredWriter()
        try zip.add(name: "\(archiveName)/data.pkl", bytes: try objectPickle(legacy: false), to: &sink)
        try zip.add(name: "\(archiveName)/byteorder", bytes: Array("little".utf8), to: &sink)
        for (index, entry) in entries.enumerated() {
            try entry.values.withUnsafeBytes { raw in
                try zip.add(name: "\(archiveName)/data/\(index)", bytes: raw, to: &sink)
            }
        }
        try zip.add(name: "\(archiveName)/version", bytes: Array("3\n".utf8), to: &sink)
        try zip.finish(to: &sink)
    }

    // MARK: - Legacy

    private func writeLegacy(to sink: inout FileSink) throws {
        let writer = PickleWriter(protocol: 2)
        var magic: [UInt8] = [0x80, 0x02, 0x8A, UInt8(TorchCheckpoint.legacyMagic.count)]
        magic += TorchCheckpoint.legacyMagic
        magic.append(0x2E)
        try sink.write(magic)
        try sink.write(try writer.encode(.int(1001)))
        let systemInfo = PickleNode.dict([
            (.string("protocol_version"), .int(1001)),
            (.string("little_endian"), .bool(true)),
            (.string("type_sizes"), .dict([(.string("short"), .int(2)), (.string("int"), .int(4)), (.string("long"), .int(4))])),
        ])
        try sink.write(try writer.encode(systemInfo))
        try sink.write(try objectPickle(legacy: true))
        try sink.write(try writer.encode(.list(entries.indices.map { .string(String($0)) })))
        for entry in entries {
            try sink.write(NumPyArrayData.littleEndianBytes([Int64(entry.values.count)]))
            try entry.values.withUnsafeBytes { try sink.write($0) }
        }
    }
}

/// Buffered sequential writes to a file, counting the bytes written.
struct FileSink {
    let handle: FileHandle
    private(set) var offset = 0
    private var buffer: [UInt8] = []

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        offset += bytes.count
        if buffer.count + bytes.count > 1 << 20 { try flush() }
        if bytes.count >= 1 << 20 {
            try handle.write(contentsOf: Data(bytes))
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    mutating func flush() throws {
        if !buffer.isEmpty {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}

/// Writes a zip of stored (uncompressed) entries whose data start on 64-byte boundaries, as
/// PyTorch's own writer does so that records can be memory-mapped. Sizes must stay below 4 GiB.
struct ZipStoredWriter {
    private struct Record {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt32
        var headerOffset: UInt32
    }

    private var records: [Record] = []

    mutating func add(name: String, bytes: [UInt8], to sink: inout FileSink) throws {
        try bytes.withUnsafeBytes { try add(name: name, bytes: $0, to: &sink) }
    }

    mutating func add(name: String, bytes: UnsafeRawBufferPointer, to sink: inout FileSink) throws {
        let nameBytes = Array(name.utf8)
        guard bytes.count < Int(UInt32.max), sink.offset + bytes.count + 30 + nameBytes.count + 68 < Int(UInt32.max) else {
            throw ModelIOError(.unsupported("checkpoints of 4 GiB or more (ZIP64) are not written"))
        }
        let headerOffset = sink.offset
        // Pad the extra field ('FB' tag, as PyTorch) so the data starts on a 64-byte boundary.
        let unpadded = headerOffset + 30 + nameBytes.count + 4
        let padding = (64 - unpadded % 64) % 64
        let crc = ZipDirectory.crc32(bytes)
        var header: [UInt8] = []
        header += NumPyArrayData.littleEndianBytes([UInt32(0x0403_4B50)])
        header += NumPyArrayData.littleEndianBytes([UInt16(20), 0, 0, 0, 0x21])  // version, flags, stored, time, date
        header += NumPyArrayData.littleEndianBytes([crc, UInt32(bytes.count), UInt32(bytes.count)])
        header += NumPyArrayData.littleEndianBytes([UInt16(nameBytes.count), UInt16(4 + padding)])
        header += nameBytes
        header += NumPyArrayData.littleEndianBytes([UInt16(0x4246), UInt16(padding)])
        header += [UInt8](repeating: 0x5A, count: padding)
        try sink.write(header)
        try sink.write(bytes)
        records.append(Record(name: nameBytes, crc: crc, size: UInt32(bytes.count), headerOffset: UInt32(headerOffset)))
    }

    func finish(to sink: inout FileSink) throws {
        guard records.count < 0xFFFF else {
            throw ModelIOError(.unsupported("checkpoints of 65535 records or more (ZIP64) are not written"))
        }
        let directoryOffset = sink.offset
        var directory: [UInt8] = []
        for record in records {
            directory += NumPyArrayData.littleEndianBytes([UInt32(0x0201_4B50)])
            directory += NumPyArrayData.littleEndianBytes([UInt16(20), 20, 0, 0, 0, 0x21])  // made by, needed, flags, method, time, date
            directory += NumPyArrayData.littleEndianBytes([record.crc, record.size, record.size])
            directory += NumPyArrayData.littleEndianBytes([UInt16(record.name.count), 0, 0, 0, 0])  // name, extra, comment, disk, internal attributes
            directory += NumPyArrayData.littleEndianBytes([UInt32(0), record.headerOffset])  // external attributes, offset
            directory += record.name
        }
        try sink.write(directory)
        var end: [UInt8] = NumPyArrayData.littleEndianBytes([UInt32(0x0605_4B50)])
        end += NumPyArrayData.littleEndianBytes([UInt16(0), 0, UInt16(records.count), UInt16(records.count)])
        end += NumPyArrayData.littleEndianBytes([UInt32(directory.count), UInt32(directoryOffset)])
        end += NumPyArrayData.littleEndianBytes([UInt16(0)])
        try sink.write(end)
    }
}
