import Foundation
import Testing
import Pipeline

@Suite struct SHA256DigestTests {
    /// FIPS 180-4 examples and a message spanning many blocks, fed in uneven pieces.
    @Test func sha256MatchesTestVectors() {
        #expect(SHA256Digest.hexDigest(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hexDigest(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hexDigest(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256Digest()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        for _ in 0..<1001 { million.update(piece) }
        million.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000 - 999 * 1001))
        #expect(million.finalize().map { String(format: "%02x", $0) }.joined()
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func fileDigestEqualsBytesDigest() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = (0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try Data(bytes).write(to: url)
        #expect(try SHA256Digest.hexDigest(ofFileAt: url) == SHA256Digest.hexDigest(of: bytes))
    }
}
