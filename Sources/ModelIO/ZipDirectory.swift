import Foundation
import ZIPFoundation

/// The central directory of a zip file, read with every offset and size checked against the
/// file, so that stored entries can be viewed in place (memory-mapped) rather than extracted.
///
/// ZIPFoundation extracts entries into `Data`; PyTorch checkpoints need the byte offset of each
/// stored record to map tensors without copying, which its API does not expose. Deflated
/// entries are still inflated by ZIPFoundation (`Data.decompress`); CRC-32s use `ZipChecksum`
/// (see there why not ZIPFoundation's).
struct ZipDirectory {
    struct Entry {
        var name: String
        /// 0 = stored, 8 = deflated.
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        /// Offset of the entry's data (after its local header) in the file.
        var dataOffset: Int
    }

    let file: ByteSlice
    let entries: [Entry]
    private let index: [String: Int]

    /// Most entries a directory may list.
    static let maximumEntries = 1 << 20

    init(_ file: ByteSlice) throws {
        self.file = file
        var reader = ByteReader(file)
        let end = try ZipDirectory.findEndRecord(file)
        try reader.seek(to: end + 10)
        var entryCount = Int(try reader.uint16())
        var directorySize = Int(try reader.uint32())
        var directoryOffset = Int(try reader.uint32())
        // ZIP64: the end record's fields are saturated and a locator precedes it.
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF, end >= 20 {
            try reader.seek(to: end - 20)
            if try reader.uint32() == 0x0706_4B50 {
                try reader.skip(4)
                let record = try reader.uint64()
                guard record <= UInt64(file.count) else { throw ModelIOError(.malformed("ZIP64 locator points outside the file")) }
                try reader.seek(to: Int(record))
                guard try reader.uint32() == 0x0606_4B50 else { throw ModelIOError(.malformed("ZIP64 end record missing")) }
                try reader.skip(8 + 2 + 2 + 4 + 4 + 8)
                entryCount = Int(clamping: try reader.uint64())
                directorySize = Int(clamping: try reader.uint64())
                directoryOffset = Int(clamping: try reader.uint64())
            }
        }
        guard entryCount <= ZipDirectory.maximumEntries else {
            throw ModelIOError(.limitExceeded("zip lists \(entryCount) entries"))
        }
        guard directoryOffset <= file.count, directorySize <= file.count - directoryOffset else {
            throw ModelIOError(.malformed("zip central directory lies outside the file"), offset: end)
        }
        try reader.seek(to: directoryOffset)
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        for _ in 0..<entryCount {
            let entry = try ZipDirectory.readCentralEntry(&reader, file: file)
            if index[entry.name] == nil { index[entry.name] = entries.count }
            entries.append(entry)
        }
        self.entries = entries
        self.index = index
    }

    private static func findEndRecord(_ file: ByteSlice) throws -> Int {
        // The end record is 22 bytes plus a comment of at most 65535 bytes.
        guard file.count >= 22 else { throw ModelIOError(.malformed("too small to be a zip file")) }
        let lowest = max(0, file.count - 22 - 0xFFFF)
        return try file.withUnsafeBytes { raw in
            var position = file.count - 22
            while position >= lowest {
                if raw[position] == 0x50, raw[position + 1] == 0x4B, raw[position + 2] == 0x05, raw[position + 3] == 0x06 {
                    return position
                }
                position -= 1
            }
            throw ModelIOError(.malformed("no zip end-of-central-directory record"))
        }
    }

    private static func readCentralEntry(_ reader: inout ByteReader, file: ByteSlice) throws -> Entry {
        let at = reader.absoluteOffset
        guard try reader.uint32() == 0x0201_4B50 else {
            throw ModelIOError(.malformed("bad zip central directory signature"), offset: at)
        }
        try reader.skip(4)  // versions
        let flags = try reader.uint16()
        let method = try reader.uint16()
        try reader.skip(4)  // time, date
        let crc = try reader.uint32()
        var compressed = UInt64(try reader.uint32())
        var uncompressed = UInt64(try reader.uint32())
        let nameLength = Int(try reader.uint16())
        let extraLength = Int(try reader.uint16())
        let commentLength = Int(try reader.uint16())
        try reader.skip(8)  // disk, attributes
        var localOffset = UInt64(try reader.uint32())
        let nameBytes = try reader.bytes(nameLength)
        var extra = ByteReader(try reader.slice(extraLength))
        try reader.skip(commentLength)
        guard flags & 0x1 == 0 else { throw ModelIOError(.unsupported("encrypted zip entries"), offset: at) }
        // ZIP64 extended information replaces the saturated fields, in this order.
        while extra.remaining >= 4 {
            let tag = try extra.uint16()
            let size = Int(try extra.uint16())
            var field = ByteReader(try extra.slice(size))
            if tag == 0x0001 {
                if uncompressed == 0xFFFF_FFFF { uncompressed = try field.uint64() }
                if compressed == 0xFFFF_FFFF { compressed = try field.uint64() }
                if localOffset == 0xFFFF_FFFF { localOffset = try field.uint64() }
            }
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        guard localOffset <= UInt64(file.count), compressed <= UInt64(file.count), uncompressed <= UInt64(Int.max) else {
            throw ModelIOError(.malformed("zip entry `\(name)` lies outside the file"), offset: at)
        }
        // The local header repeats name and extra with its own lengths.
        var local = ByteReader(file)
        try local.seek(to: Int(localOffset))
        guard try local.uint32() == 0x0403_4B50 else {
            throw ModelIOError(.malformed("bad local header signature for zip entry `\(name)`"), offset: Int(localOffset))
        }
        try local.skip(22)
        let localNameLength = Int(try local.uint16())
        let localExtraLength = Int(try local.uint16())
        try local.skip(localNameLength + localExtraLength)
        let dataOffset = local.position
        guard UInt64(dataOffset) + compressed <= UInt64(file.count) else {
            throw ModelIOError(.truncated(needed: Int(UInt64(dataOffset) + compressed) - file.count), offset: dataOffset)
        }
        guard method == 0 || method == 8 else {
            throw ModelIOError(.unsupported("zip compression method \(method) for `\(name)`"), offset: at)
        }
        if method == 0, compressed != uncompressed {
            throw ModelIOError(.malformed("stored zip entry `\(name)` has different sizes"), offset: at)
        }
        return Entry(name: name, method: method, crc32: crc, compressedSize: Int(compressed),
                     uncompressedSize: Int(uncompressed), dataOffset: dataOffset)
    }

    func entry(named name: String) -> Entry? {
        index[name].map { entries[$0] }
    }

    /// The entry's bytes: a view of the file when stored, inflated when deflated. The CRC-32 is
    /// checked unless `verify` is false.
    func contents(of entry: Entry, verify: Bool = true) throws -> ByteSlice {
        let raw = try file.slice(from: entry.dataOffset, count: entry.compressedSize)
        let bytes: ByteSlice
        if entry.method == 0 {
            bytes = raw
        } else {
            bytes = try ZipDirectory.inflate(raw, expectedSize: entry.uncompressedSize, name: entry.name)
        }
        if verify {
            let actual = ZipDirectory.crc32(bytes)
            guard actual == entry.crc32 else {
                throw ModelIOError(.checksumMismatch(entry: entry.name, expected: entry.crc32, actual: actual),
                                   offset: entry.dataOffset)
            }
        }
        return bytes
    }

    /// Largest inflated size an entry may declare.
    static let maximumInflatedSize = 1 << 32

    /// Inflates raw deflate data into exactly `expectedSize` bytes (more or less is an error).
    static func inflate(_ raw: ByteSlice, expectedSize: Int, name: String) throws -> ByteSlice {
        guard expectedSize <= maximumInflatedSize else {
            throw ModelIOError(.limitExceeded("zip entry `\(name)` declares \(expectedSize) bytes"))
        }
        return try ByteStorage(capacity: expectedSize) { output in
            var written = 0
            do {
                _ = try Data.decompress(size: Int64(raw.count), bufferSize: 1 << 16, skipCRC32: true,
                                        provider: { position, size in
                    // ZIPFoundation keeps asking until the stream ends: running out of input
                    // before that is a truncated entry, not an empty read (which would spin).
                    guard position >= 0, Int(position) < raw.count, size > 0 else {
                        throw ModelIOError(.malformed("zip entry `\(name)` ends inside its deflate stream"))
                    }
                    let length = min(size, raw.count - Int(position))
                    return raw.withUnsafeBytes { Data($0[Int(position)..<(Int(position) + length)]) }
                }, consumer: { chunk in
                    guard chunk.count <= expectedSize - written else {
                        throw ModelIOError(.malformed("zip entry `\(name)` inflates to more than its declared \(expectedSize) bytes"))
                    }
                    chunk.withUnsafeBytes { source in
                        if let base = source.baseAddress, let target = output.baseAddress {
                            memcpy(target + written, base, source.count)
                        }
                    }
                    written += chunk.count
                })
            } catch let error as ModelIOError {
                throw error
            } catch {
                throw ModelIOError(.malformed("zip entry `\(name)` is not valid deflate data (\(error))"))
            }
            guard written == expectedSize else {
                throw ModelIOError(.malformed("zip entry `\(name)` inflates to \(written) bytes, declared \(expectedSize)"))
            }
        }.slice
    }

    /// CRC-32 of the bytes, without copying them.
    static func crc32(_ bytes: ByteSlice) -> UInt32 {
        bytes.withUnsafeBytes { ZipChecksum.crc32($0) }
    }

    static func crc32(_ raw: UnsafeRawBufferPointer) -> UInt32 {
        ZipChecksum.crc32(raw)
    }
}
