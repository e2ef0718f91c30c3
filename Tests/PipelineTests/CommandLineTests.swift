import Foundation
import Testing
@testable import Pipeline

/// The `pymaf-video` executable: exit statuses, one clear line per error, Ctrl-C.
@Suite struct CommandLineTests {
    struct Outcome {
        var status: Int32
        var standardError: String
    }

    /// Runs the executable with `arguments`; `interruptAfter` sends SIGINT after that many seconds.
    static func run(_ arguments: [String], interruptAfter: Double? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = TestMaterial.executable
        process.arguments = arguments
        process.currentDirectoryURL = TestMaterial.root
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        if let delay = interruptAfter {
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGINT)
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardError: text)
    }

    @Test func badArgumentsExitWith2() throws {
        let noInput = try Self.run([])
        #expect(noInput.status == 2)
        #expect(noInput.standardError.contains("--vid_file"))
        let badRange = try Self.run(["--vid_file", TestMaterial.runner.path, "--frames", "9:3"])
        #expect(badRange.status == 2)
        #expect(badRange.standardError.contains("--frames"))
        let unknownFlag = try Self.run(["--vid_file", TestMaterial.runner.path, "--no_such_flag"])
        #expect(unknownFlag.status == 2)
        let badExport = try Self.run(["--vid_file", TestMaterial.runner.path, "--export", "fbx"])
        #expect(badExport.status == 2 && badExport.standardError.contains("fbx"))
    }

    @Test func unreadableInputExitsWith3() throws {
        let outcome = try Self.run(["--vid_file", "/no/such/clip.mp4"])
        #expect(outcome.status == 3)
        #expect(outcome.standardError.contains("/no/such/clip.mp4"))
        #expect(outcome.standardError.split(separator: "\n").count == 1)
    }

    @Test func missingCheckpointExitsWith4AndSaysWhereToGetIt() throws {
        let out = try TestMaterial.scratchFolder("cli-missing")
        let outcome = try Self.run([
            "--vid_file", TestMaterial.runner.path, "--checkpoint", out.appendingPathComponent("absent.pt").path,
            "--output_folder", out.path,
        ])
        #expect(outcome.status == 4)
        #expect(outcome.standardError.contains("PyMAF_model_checkpoint.pt") && outcome.standardError.contains("make demo"))
    }

    /// The output folder is checked before any model is loaded.
    @Test func unwritableOutputExitsWith5() throws {
        let outcome = try Self.run(["--vid_file", TestMaterial.runner.path, "--output_folder", "/proc/pymaf-output"])
        #expect(outcome.status == 5)
        #expect(outcome.standardError.contains("/proc/pymaf-output"))
    }

    @Test func helpExplainsFlagsWithDefaults() throws {
        let process = Process()
        process.executableURL = TestMaterial.executable
        process.arguments = ["--help"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for flag in ["--vid_file", "--image_folder", "--img_file", "--output_folder", "--checkpoint", "--model_batch_size",
                     "--no_render", "--with_raw", "--empty_bg", "--sideview", "--render_ratio", "--save_obj",
                     "--recon_result_file", "--data_dir", "--frames", "--smooth", "--export", "--mattes", "--bbox_file",
                     "--threads", "--quiet"] {
            #expect(text.contains(flag), "\(flag) missing from --help")
        }
        #expect(text.contains("(default: output)") && text.contains("(default: 8)"))
    }
}
