import Foundation
import Testing
@testable import Pipeline

@Suite struct RunConfigurationTests {
    @Test func frameRangeSyntax() throws {
        #expect(try FrameRangeSyntax.parse("100:199") == 100...199)
        #expect(try FrameRangeSyntax.parse("7") == 7...7)
        #expect(try FrameRangeSyntax.parse("5:") == 5...Int.max)
        #expect(try FrameRangeSyntax.parse(":9") == 0...9)
        for bad in ["9:5", "-1:4", "a:b", "1:2:3", ""] {
            #expect(throws: RunError.self) { try FrameRangeSyntax.parse(bad) }
        }
    }

    @Test func defaultsFollowPyMAFsDemo() {
        let configuration = RunConfiguration(input: .video(URL(fileURLWithPath: "/videos/dance.mp4")))
        #expect(configuration.outputFolder.lastPathComponent == "output")
        #expect(configuration.checkpoint.path.hasSuffix("data/pretrained_model/PyMAF_model_checkpoint.pt"))
        #expect(configuration.modelBatchSize == 8)
        #expect(configuration.render)
        #expect(configuration.runFolder.lastPathComponent == "dance")
        #expect(RunConfiguration.Input.imageFolder(URL(fileURLWithPath: "/shots/take_3/")).name == "take_3")
    }

    @Test func validationNamesTheFlag() {
        var configuration = RunConfiguration(input: .video(URL(fileURLWithPath: "a.mp4")))
        configuration.modelBatchSize = 0
        #expect(throws: RunError.badArguments("--model_batch_size must be at least 1 (got 0)")) { try configuration.validate() }
        configuration.modelBatchSize = 4
        configuration.reconstructionFile = URL(fileURLWithPath: "output.pkl")
        configuration.render = false
        #expect(throws: RunError.self) { try configuration.validate() }
        configuration.saveOBJ = true
        #expect(throws: Never.self) { try configuration.validate() }
    }

    @Test func errorsMapToDistinctExitCodes() {
        let errors: [RunError] = [
            .badArguments("x"), .inputUnreadable(path: "a", reason: "b"), .checkpointMissing(path: "c"),
            .modelInvalid(path: "d", reason: "e"), .outputNotWritable(path: "f", reason: "g"), .interrupted,
        ]
        #expect(errors.map(\.exitStatus.rawValue) == [2, 3, 4, 4, 5, 130])
        let missing = RunError.checkpointMissing(path: "data/pretrained_model/PyMAF_model_checkpoint.pt").description
        #expect(missing.contains("make demo") && missing.contains("--checkpoint") && missing.contains("data/"))
    }
}
