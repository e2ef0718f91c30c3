import Foundation
import Testing
@testable import Pipeline

@Suite struct RunRecordTests {
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
