/// A bounds-checked view of a FlatBuffers byte buffer, as TFLite files use it.
///
/// Every offset and length read from the file is checked against the buffer before use, so a
/// truncated or hostile file yields a `TFLiteError`, never a crash or an unbounded allocation.
/// Values are little-endian and read byte by byte (a hostile file need not be aligned).
struct TFLiteFlatBuffer {
    let bytes: [UInt8]
    let path: String

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    // MARK: scalars

    func checkRange(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw TFLiteError.truncated(path: path, offset: offset, need: length, what: what())
        }
    }

    func u8(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt8 {
        try checkRange(offset, 1, what())
        return bytes[offset]
    }

    func u16(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt16 {
        try checkRange(offset, 2, what())
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt32 {
        try checkRange(offset, 4, what())
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    func i32(_ offset: Int, _ what: @autoclosure () -> String) throws -> Int32 {
        Int32(bitPattern: try u32(offset, what()))
    }

    func u64(_ offset: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        let lo = UInt64(try u32(offset, what()))
        let hi = UInt64(try u32(offset + 4, what()))
        return lo | hi << 32
    }

    // MARK: tables

    /// The root table, whose offset is the file's first 32-bit word.
    func root() throws -> Table {
        let offset = Int(try u32(0, "root table offset"))
        return try table(at: offset, "root table")
    }

    /// The table starting at `position`, with its vtable validated.
    func table(at position: Int, _ what: @autoclosure () -> String) throws -> Table {
        let name = what()
        let vtableDelta = Int(try i32(position, name + " vtable offset"))
        let vtable = position - vtableDelta
        let vtableSize = Int(try u16(vtable, name + " vtable size"))
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw TFLiteError.malformed(path: path, what: "\(name): vtable at byte \(vtable) has size \(vtableSize)")
        }
        try checkRange(vtable, vtableSize, name + " vtable")
        let tableSize = Int(try u16(vtable + 2, name + " table size"))
        guard tableSize >= 4 else {
            throw TFLiteError.malformed(path: path, what: "\(name): table at byte \(position) has size \(tableSize)")
        }
        try checkRange(position, tableSize, name)
        return Table(position: position, vtable: vtable, fieldCount: (vtableSize - 4) / 2, size: tableSize, name: name)
    }

    struct Table {
        let position: Int
        let vtable: Int
        let fieldCount: Int
        let size: Int
        let name: String
    }

    /// Absolute position of field `id` of `table`, or nil when the field is absent.
    func fieldPosition(_ table: Table, _ id: Int, width: Int) throws -> Int? {
        guard id < table.fieldCount else { return nil }
        let relative = Int(try u16(table.vtable + 4 + 2 * id, "\(table.name) field \(id)"))
        guard relative != 0 else { return nil }
        guard relative + width <= table.size else {
            throw TFLiteError.malformed(path: path, what: "\(table.name): field \(id) lies outside its table")
        }
        return table.position + relative
    }

    func int32(_ table: Table, _ id: Int, default value: Int32 = 0) throws -> Int32 {
        guard let at = try fieldPosition(table, id, width: 4) else { return value }
        return try i32(at, "\(table.name) field \(id)")
    }

    func uint32(_ table: Table, _ id: Int, default value: UInt32 = 0) throws -> UInt32 {
        guard let at = try fieldPosition(table, id, width: 4) else { return value }
        return try u32(at, "\(table.name) field \(id)")
    }

    func uint64(_ table: Table, _ id: Int, default value: UInt64 = 0) throws -> UInt64 {
        guard let at = try fieldPosition(table, id, width: 8) else { return value }
        return try u64(at, "\(table.name) field \(id)")
    }

    func int8(_ table: Table, _ id: Int, default value: Int8 = 0) throws -> Int8 {
        guard let at = try fieldPosition(table, id, width: 1) else { return value }
        return Int8(bitPattern: try u8(at, "\(table.name) field \(id)"))
    }

    func uint8(_ table: Table, _ id: Int, default value: UInt8 = 0) throws -> UInt8 {
        guard let at = try fieldPosition(table, id, width: 1) else { return value }
        return try u8(at, "\(table.name) field \(id)")
    }

    func bool(_ table: Table, _ id: Int, default value: Bool = false) throws -> Bool {
        guard let at = try fieldPosition(table, id, width: 1) else { return value }
        return try u8(at, "\(table.name) field \(id)") != 0
    }

    /// Follows the 32-bit forward offset stored in field `id`.
    func indirect(_ table: Table, _ id: Int) throws -> Int? {
        guard let at = try fieldPosition(table, id, width: 4) else { return nil }
        let target = at + Int(try u32(at, "\(table.name) field \(id) offset"))
        try checkRange(target, 4, "\(table.name) field \(id) target")
        return target
    }

    func subtable(_ table: Table, _ id: Int, _ what: String) throws -> Table? {
        guard let at = try indirect(table, id) else { return nil }
        return try self.table(at: at, what)
    }

    /// A vector's first element position and element count, checked to fit the file.
    func vector(_ table: Table, _ id: Int, elementSize: Int, _ what: String) throws -> (start: Int, count: Int)? {
        guard let at = try indirect(table, id) else { return nil }
        let count = Int(try u32(at, what + " length"))
        let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow else { throw TFLiteError.truncated(path: path, offset: at + 4, need: Int.max, what: what) }
        try checkRange(at + 4, bytesNeeded, what)
        return (at + 4, count)
    }

    func int32Vector(_ table: Table, _ id: Int, _ what: String) throws -> [Int32] {
        guard let (start, count) = try vector(table, id, elementSize: 4, what) else { return [] }
        return try (0..<count).map { try i32(start + 4 * $0, what) }
    }

    func uint16Vector(_ table: Table, _ id: Int, _ what: String) throws -> [UInt16] {
        guard let (start, count) = try vector(table, id, elementSize: 2, what) else { return [] }
        return try (0..<count).map { try u16(start + 2 * $0, what) }
    }

    func byteVector(_ table: Table, _ id: Int, _ what: String) throws -> [UInt8] {
        guard let (start, count) = try vector(table, id, elementSize: 1, what) else { return [] }
        return Array(bytes[start..<(start + count)])
    }

    func string(_ table: Table, _ id: Int, _ what: String) throws -> String? {
        guard let (start, count) = try vector(table, id, elementSize: 1, what) else { return nil }
        return String(decoding: bytes[start..<(start + count)], as: UTF8.self)
    }

    func tableVector(_ table: Table, _ id: Int, _ what: String) throws -> [Table] {
        guard let (start, count) = try vector(table, id, elementSize: 4, what) else { return [] }
        return try (0..<count).map { index in
            let slot = start + 4 * index
            let target = slot + Int(try u32(slot, "\(what)[\(index)] offset"))
            return try self.table(at: target, "\(what)[\(index)]")
        }
    }
}
