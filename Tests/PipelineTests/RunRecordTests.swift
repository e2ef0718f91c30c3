import Foundation
import Testing
@testable import Pipeline

@Suite struct RunRecordTests {
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

    @Test func writesAndReadsBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runrecord-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("input.bin")
        try Data("abc".utf8).write(to: inputFile)

        var record = RunRecord(arguments: ["pymaf-video", "--vid_file", "input.bin"])
        record.status = .interrupted
        record.input = try RunRecord.FileDigest(of: inputFile)
        record.frames.decoded = 12
        record.stages = [StageTiming(name: "decode", busySeconds: 0.5, wallSeconds: 1, inputs: 0, outputs: 12)]
        record.warnings = ["no person in frame 3"]
        try record.write(toFolder: folder)

        let back = try RunRecord.read(from: folder.appendingPathComponent("run.json"))
        #expect(back.status == .interrupted)
        #expect(back.input?.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(back.input?.bytes == 3)
        #expect(back.stages == record.stages)
        #expect(back.version == PymafVideoVersion.current)
        #expect(back.warnings == record.warnings)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["input.bin", "run.json"])
    }

    @Test func unwritableFolderIsTyped() {
        let record = RunRecord(arguments: [])
        #expect {
            try record.write(toFolder: URL(fileURLWithPath: "/proc/no-such-folder"))
        } throws: { error in
            (error as? RunError)?.exitStatus == .outputNotWritable
        }
    }
}
