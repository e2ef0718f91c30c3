internal import CFFmpeg
import Foundation

/// SHA-256 of bytes and files through libavutil's `av_sha` (FFmpeg is already linked for
/// decoding), for the input and checkpoint digests a run records.
///
///     var digest = SHA256Digest()
///     digest.update(Array("abc".utf8))
///     digest.hexString()                                    // "ba7816bf…"
///     try SHA256Digest.hexDigest(ofFileAt: url)              // 64 lowercase hex digits
public struct SHA256Digest: ~Copyable {
    private let context: OpaquePointer

    public init() {
        guard let context = av_sha_alloc() else { fatalError("av_sha_alloc: out of memory") }
        self.context = context
        av_sha_init(context, 256)
    }

    deinit { av_free(UnsafeMutableRawPointer(context)) }

    /// Feeds more bytes.
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let fedInPlace: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feed(UnsafeRawBufferPointer(buffer))
        }
        if fedInPlace == nil { Array(bytes).withUnsafeBytes { feed($0) } }
    }

    private func feed(_ buffer: UnsafeRawBufferPointer) {
        // av_sha_update takes a size_t length (FFmpeg ≥ 5); feed in pieces to stay generic.
        var offset = 0
        while offset < buffer.count {
            let count = min(buffer.count - offset, 1 << 30)
            av_sha_update(context, buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), numericCast(count))
            offset += count
        }
    }

    /// The 32-byte digest; the value is used up.
    public consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        av_sha_final(context, &out)
        return out
    }

    /// The digest as 64 lowercase hexadecimal digits; the value is used up.
    public consuming func hexString() -> String {
        finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal digits.
    public static func hexDigest<Bytes: Collection>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var digest = SHA256Digest()
        digest.update(bytes)
        return digest.hexString()
    }

    /// The digest of a file's contents, read in 4 MiB pieces.
    public static func hexDigest(ofFileAt url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var digest = SHA256Digest()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            digest.update(chunk)
        }
        return digest.hexString()
    }
}
