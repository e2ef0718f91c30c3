import Foundation

/// A value to write as a pickle: plain Python data plus the constructs libraries use to
/// rebuild their objects (`GLOBAL` + `REDUCE`/`BUILD`, persistent ids) and NumPy arrays.
public indirect enum PickleNode: Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleNode])
    case tuple([PickleNode])
    /// A dict, written in the given order.
    case dict([(key: PickleNode, value: PickleNode)])
    /// A `collections.OrderedDict`, written in the given order.
    case orderedDict([(key: PickleNode, value: PickleNode)])
    /// A class or function by module and name (`GLOBAL`).
    case global(module: String, name: String)
    /// `callable(*arguments)` (`REDUCE`).
    case reduce(PickleNode, arguments: [PickleNode])
    /// `object.__setstate__(state)` or `object.__dict__.update(state)` (`BUILD`).
    case build(PickleNode, state: PickleNode)
    /// A persistent id (`BINPERSID`), resolved by the reader's `persistent_load`.
    case persistentID(PickleNode)
    /// A NumPy array, written as `numpy.ndarray.__reduce__` does.
    case ndarray(NumPyArrayData)
}

/// Encodes `PickleNode` trees as pickles (protocol 2 to 5) that Python's `pickle.load` reads.
///
/// Globals are memoized and reused. Protocol 2 writes bytes as `_codecs.encode(str, 'latin1')`
/// as Python 3 does; protocol 3+ uses `BINBYTES`.
///
/// ```swift
/// let bytes = try PickleWriter(protocol: 4).encode(.dict([(.string("betas"), .ndarray(betas))]))
/// ```
public struct PickleWriter: Sendable {
    public let protocolVersion: UInt8

    public init(protocol version: Int = 4) {
        protocolVersion = UInt8(clamping: min(max(version, 2), 5))
    }

    /// The pickle bytes of `node`.
    public func encode(_ node: PickleNode) throws -> [UInt8] {
        var encoder = PickleEncoder(protocolVersion: protocolVersion)
        encoder.output = [0x80, protocolVersion]
        try encoder.write(node, depth: 0)
        encoder.output.append(0x2E)  // STOP
        return encoder.output
    }

    /// Writes the pickle of `node` to `url` (temporary name, renamed when complete).
    public func write(_ node: PickleNode, to url: URL) throws {
        try AtomicFile.write(try encode(node), to: url)
    }
}

private struct PickleEncoder {
    let protocolVersion: UInt8
    var output: [UInt8] = []
    var memo: [String: UInt32] = [:]

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
    }

    mutating func write(_ node: PickleNode, depth: Int) throws {
        guard depth < 500 else { throw ModelIOError(.limitExceeded("pickle nodes nested deeper than 500")) }
        switch node {
        case .none: output.append(0x4E)
        case .bool(let value): output.append(value ? 0x88 : 0x89)
        case .int(let value): writeInteger(value)
        case .float(let value):
            output.append(0x47)  // BINFLOAT, big-endian
            withUnsafeBytes(of: value.bitPattern.bigEndian) { output.append(contentsOf: $0) }
        case .string(let text): writeString(text)
        case .bytes(let bytes): try writeBytes(bytes, depth: depth)
        case .list(let items):
            output.append(0x5D)  // EMPTY_LIST
            try writeBatched(items.map { [$0] }, opcode: 0x65, depth: depth)  // APPENDS
        case .tuple(let items):
            switch items.count {
            case 0: output.append(0x29)
            case 1...3:
                for item in items { try write(item, depth: depth + 1) }
                output.append([0x85, 0x86, 0x87][items.count - 1])
            default:
                output.append(0x28)  // MARK
                for item in items { try write(item, depth: depth + 1) }
                output.append(0x74)  // TUPLE
            }
        case .dict(let entries):
            output.append(0x7D)  // EMPTY_DICT
            try writeBatched(entries.map { [$0.key, $0.value] }, opcode: 0x75, depth: depth)  // SETITEMS
        case .global(let module, let name):
            writeGlobal(module: module, name: name)
        case .orderedDict(let entries):
            writeGlobal(module: "collections", name: "OrderedDict")
            output.append(0x29)  // EMPTY_TUPLE
            output.append(0x52)  // REDUCE
            try writeBatched(entries.map { [$0.key, $0.value] }, opcode: 0x75, depth: depth)
        case .reduce(let callable, let arguments):
            try write(callable, depth: depth + 1)
            try write(.tuple(arguments), depth: depth + 1)
            output.append(0x52)  // REDUCE
        case .build(let object, let state):
            try write(object, depth: depth + 1)
            if case .none = state { return }
            try write(state, depth: depth + 1)
            output.append(0x62)  // BUILD
        case .persistentID(let id):
            try write(id, depth: depth + 1)
            output.append(0x51)  // BINPERSID
        case .ndarray(let array):
            try writeArray(array, depth: depth)
        }
    }

    /// Items in batches of 1000 between MARK and `opcode`, as Python's pickler does.
    private mutating func writeBatched(_ groups: [[PickleNode]], opcode: UInt8, depth: Int) throws {
        var start = 0
        while start < groups.count {
            let end = min(start + 1000, groups.count)
            output.append(0x28)  // MARK
            for group in groups[start..<end] {
                for item in group { try write(item, depth: depth + 1) }
            }
            output.append(opcode)
            start = end
        }
    }

    private mutating func writeInteger(_ value: Int64) {
        if value >= 0 && value < 256 {
            output.append(0x4B)  // BININT1
            output.append(UInt8(value))
        } else if value >= 0 && value < 65536 {
            output.append(0x4D)  // BININT2
            append(UInt16(value))
        } else if let small = Int32(exactly: value) {
            output.append(0x4A)  // BININT
            append(small)
        } else {
            output.append(0x8A)  // LONG1, 8 bytes little-endian two's complement
            output.append(8)
            append(value)
        }
    }

    private mutating func writeString(_ text: String) {
        let utf8 = Array(text.utf8)
        if protocolVersion >= 4 && utf8.count < 256 {
            output.append(0x8C)  // SHORT_BINUNICODE
            output.append(UInt8(utf8.count))
        } else if utf8.count <= Int(UInt32.max) {
            output.append(0x58)  // BINUNICODE
            append(UInt32(utf8.count))
        } else {
            output.append(0x8D)  // BINUNICODE8
            append(UInt64(utf8.count))
        }
        output.append(contentsOf: utf8)
    }

    private mutating func writeBytes(_ bytes: [UInt8], depth: Int) throws {
        if protocolVersion < 3 {
            // Python 3's protocol 2 form: _codecs.encode(bytes.decode('latin1'), 'latin1').
            let text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
            try write(.reduce(.global(module: "_codecs", name: "encode"), arguments: [.string(text), .string("latin1")]), depth: depth + 1)
            return
        }
        if bytes.count < 256 {
            output.append(0x43)  // SHORT_BINBYTES
            output.append(UInt8(bytes.count))
        } else if bytes.count <= Int(UInt32.max) {
            output.append(0x42)  // BINBYTES
            append(UInt32(bytes.count))
        } else {
            output.append(0x8E)  // BINBYTES8
            append(UInt64(bytes.count))
        }
        output.append(contentsOf: bytes)
    }

    private mutating func writeGlobal(module: String, name: String) {
        let key = module + "\n" + name
        if let index = memo[key] {
            if index < 256 {
                output.append(0x68)  // BINGET
                output.append(UInt8(index))
            } else {
                output.append(0x6A)  // LONG_BINGET
                append(index)
            }
            return
        }
        output.append(0x63)  // GLOBAL
        output.append(contentsOf: Array(key.utf8))
        output.append(0x0A)
        let index = UInt32(memo.count)
        memo[key] = index
        if index < 256 {
            output.append(0x71)  // BINPUT
            output.append(UInt8(index))
        } else {
            output.append(0x72)  // LONG_BINPUT
            append(index)
        }
    }

    /// `numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b')` then `BUILD` with
    /// `(1, shape, dtype, False, raw bytes)`, the form NumPy 1.x and 2.x both read.
    private mutating func writeArray(_ array: NumPyArrayData, depth: Int) throws {
        let code = String(NumPyDType.descr(array.dtype).dropFirst())
        let order = array.dtype.byteWidth > 1 ? "<" : "|"
        let dtype = PickleNode.build(
            .reduce(.global(module: "numpy", name: "dtype"), arguments: [.string(code), .bool(false), .bool(true)]),
            state: .tuple([.int(3), .string(order), .none, .none, .none, .int(-1), .int(-1), .int(0)]))
        let node = PickleNode.build(
            .reduce(.global(module: "numpy.core.multiarray", name: "_reconstruct"),
                    arguments: [.global(module: "numpy", name: "ndarray"), .tuple([.int(0)]), .bytes([0x62])]),
            state: .tuple([.int(1), .tuple(array.shape.map { .int(Int64($0)) }), dtype, .bool(false), .bytes(array.bytes)]))
        try write(node, depth: depth + 1)
    }
}
