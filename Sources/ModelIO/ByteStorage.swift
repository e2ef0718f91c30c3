import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Immutable bytes that tensors and arrays view without copying: a memory-mapped file or an
/// owned buffer.
///
/// The memory stays valid for the life of the object; every `ByteSlice` keeps its storage alive.
public final class ByteStorage: @unchecked Sendable {
    // Safe to share: the bytes are never written after `init`.
    let base: UnsafeRawPointer
    /// Number of bytes.
    public let count: Int
    private let owner: Owner

    private enum Owner {
        case mapped(length: Int)
        case allocated
        case empty
    }

    /// Maps the file at `url` read-only (a private, copy-on-write mapping).
    ///
    /// The corresponding C function is `mmap`.
    public init(mapping url: URL) throws {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ModelIOError(.fileSystem("cannot open the file (\(String(cString: strerror(errno))))"), file: path)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ModelIOError(.fileSystem("cannot stat the file (\(String(cString: strerror(errno))))"), file: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ModelIOError(.fileSystem("not a regular file"), file: path)
        }
        let length = Int(info.st_size)
        if length == 0 {
            base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 64))
            count = 0
            owner = .empty
            return
        }
        let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw ModelIOError(.fileSystem("cannot memory-map the file (\(String(cString: strerror(errno))))"), file: path)
        }
        base = UnsafeRawPointer(address)
        count = length
        owner = .mapped(length: length)
    }

    /// Copies `bytes` into a new 64-byte aligned buffer.
    public convenience init(copying bytes: some Collection<UInt8>) {
        self.init(capacity: bytes.count) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    /// Allocates `capacity` bytes (64-byte aligned) and lets `fill` write all of them.
    init(capacity: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1), alignment: 64)
        do {
            try fill(UnsafeMutableRawBufferPointer(start: memory, count: capacity))
        } catch {
            memory.deallocate()
            throw error
        }
        base = UnsafeRawPointer(memory)
        count = capacity
        owner = .allocated
    }

    deinit {
        switch owner {
        case .mapped(let length):
            munmap(UnsafeMutableRawPointer(mutating: base), length)
        case .allocated, .empty:
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// Whether the bytes are a memory mapping of a file (rather than a copy).
    public var isMemoryMapped: Bool {
        if case .mapped = owner { return true }
        return false
    }

    /// The whole storage as a slice.
    public var slice: ByteSlice { ByteSlice(storage: self, offset: 0, count: count) }
}

/// A range of bytes inside a `ByteStorage`, valid by construction.
public struct ByteSlice: Sendable {
    public let storage: ByteStorage
    /// Start within `storage`.
    public let offset: Int
    /// Length in bytes.
    public let count: Int

    init(storage: ByteStorage, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0 && offset <= storage.count && count <= storage.count - offset)
        self.storage = storage
        self.offset = offset
        self.count = count
    }

    /// A sub-range, checked against this slice.
    public func slice(from start: Int, count length: Int) throws -> ByteSlice {
        guard start >= 0, length >= 0, start <= count, length <= count - start else {
            throw ModelIOError(.truncated(needed: max(0, start &+ length &- count)), offset: offset + max(0, start))
        }
        return ByteSlice(storage: storage, offset: offset + start, count: length)
    }

    /// Calls `body` with the bytes; the pointer must not escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base + offset, count: count))
    }

    /// A copy of the bytes.
    public var array: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes as `Data` (a copy).
    public var data: Data { withUnsafeBytes { Data($0) } }
}

extension ByteSlice: Equatable {
    public static func == (lhs: ByteSlice, rhs: ByteSlice) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in a.elementsEqual(b) } }
    }
}
