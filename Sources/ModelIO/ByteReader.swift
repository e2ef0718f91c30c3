/// A bounds-checked little-endian cursor over a `ByteSlice`.
///
/// Every read checks the remaining length first and throws `truncated` with the absolute
/// offset; nothing is read or allocated past the end.
struct ByteReader {
    let bytes: ByteSlice
    private let base: UnsafeRawPointer
    /// Position relative to the start of `bytes`.
    private(set) var position: Int

    init(_ bytes: ByteSlice, position: Int = 0) {
        self.bytes = bytes
        self.base = bytes.storage.base + bytes.offset
        self.position = position
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }
    /// Offset of the cursor within the underlying storage (for error messages).
    var absoluteOffset: Int { bytes.offset + position }

    private func require(_ length: Int) throws {
        guard length >= 0, length <= remaining else {
            throw ModelIOError(.truncated(needed: length < 0 ? 0 : length - remaining), offset: absoluteOffset)
        }
    }

    mutating func seek(to offset: Int) throws {
        guard offset >= 0, offset <= bytes.count else {
            throw ModelIOError(.truncated(needed: offset - bytes.count), offset: bytes.offset + bytes.count)
        }
        position = offset
    }

    mutating func skip(_ length: Int) throws {
        try require(length)
        position += length
    }

    mutating func uint8() throws -> UInt8 {
        try require(1)
        defer { position += 1 }
        return base.load(fromByteOffset: position, as: UInt8.self)
    }

    mutating func uint16() throws -> UInt16 {
        try require(2)
        defer { position += 2 }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt16.self))
    }

    mutating func uint32() throws -> UInt32 {
        try require(4)
        defer { position += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    mutating func uint64() throws -> UInt64 {
        try require(8)
        defer { position += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func int32() throws -> Int32 { Int32(bitPattern: try uint32()) }
    mutating func int64() throws -> Int64 { Int64(bitPattern: try uint64()) }

    /// A length field read as UInt64 and checked to fit in the remaining input.
    mutating func length64() throws -> Int {
        let at = absoluteOffset
        let value = try uint64()
        guard value <= UInt64(remaining) else {
            throw ModelIOError(.truncated(needed: value > UInt64(Int.max) ? Int.max : Int(value) - remaining), offset: at)
        }
        return Int(value)
    }

    /// `length` bytes as a slice of the input (no copy).
    mutating func slice(_ length: Int) throws -> ByteSlice {
        try require(length)
        defer { position += length }
        return ByteSlice(storage: bytes.storage, offset: bytes.offset + position, count: length)
    }

    /// `length` bytes copied out.
    mutating func bytes(_ length: Int) throws -> UnsafeRawBufferPointer {
        try require(length)
        defer { position += length }
        return UnsafeRawBufferPointer(start: base + position, count: length)
    }

    /// Bytes up to (not including) the next `\n`, which is consumed.
    mutating func line() throws -> UnsafeRawBufferPointer {
        let start = position
        var index = position
        while index < bytes.count {
            if base.load(fromByteOffset: index, as: UInt8.self) == 0x0A {
                position = index + 1
                return UnsafeRawBufferPointer(start: base + start, count: index - start)
            }
            index += 1
        }
        throw ModelIOError(.truncated(needed: 1), offset: bytes.offset + bytes.count)
    }
}
