import Foundation
import ModelIO
import Testing
import VideoIO
@testable import Pipeline

/// The `pymaf-video` executable: exit statuses, one clear line per error, Ctrl-C.
@Suite(.quietFFmpeg) struct CommandLineTests {
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
        let badShape = try Self.run(["--vid_file", TestMaterial.runner.path, "--shape", "average"])
        #expect(badShape.status == 2 && badShape.standardError.contains("--shape"))
        let badCutoff = try Self.run(["--vid_file", TestMaterial.runner.path, "--min_cutoff", "-1"])
        #expect(badCutoff.status == 2 && badCutoff.standardError.contains("--min_cutoff"))
        let badQuality = try Self.run(["--vid_file", TestMaterial.runner.path, "--video_crf", "60"])
        #expect(badQuality.status == 2 && badQuality.standardError.contains("--video_crf"))
        let badPreset = try Self.run(["--vid_file", TestMaterial.runner.path, "--video_preset", "turbo"])
        #expect(badPreset.status == 2 && badPreset.standardError.contains("--video_preset"))
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
                     "--threads", "--precision", "--quiet", "--min_cutoff", "--beta", "--shape", "--max_people",
                     "--min_track_frames", "--detection_threshold", "--missing", "--bbox_scale", "--video_preset", "--video_crf"] {
            #expect(text.contains(flag), "\(flag) missing from --help")
        }
        // Help text wraps at the terminal's width: compare with runs of white space collapsed.
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("(default: output)") && flat.contains("(default: 8)") && flat.contains("(values: float32, bfloat16; default: float32)"))
        #expect(flat.contains("default: superfast"))
    }

    /// `--precision bfloat16` reaches the network and run.json; without Intel AMX the run says
    /// so and computes in float32.
    @Test func precisionIsRecorded() throws {
        let folder = try TestMaterial.scratchFolder("cli-precision")
        let clip = folder.appendingPathComponent("clip.mp4")
        let encoder = try VideoEncoder(url: clip, width: 128, height: 96, frameRate: 25)
        var boxes = "frame,track,cx,cy,w,h\n"
        for i in 0..<6 {
            try encoder.append(VideoFrame.testPattern(index: i, time: Double(i) / 25, width: 128, height: 96))
            boxes += "\(i),0,64,48,80,80\n"
        }
        try encoder.finish()
        let boxFile = folder.appendingPathComponent("boxes.csv")
        try boxes.write(to: boxFile, atomically: true, encoding: .utf8)
        let fixtures = TestMaterial.root.appendingPathComponent("Tests/PyMAFTests/Fixtures")
        let outcome = try Self.run([
            "--vid_file", clip.path, "--output_folder", folder.path, "--bbox_file", boxFile.path,
            "--checkpoint", fixtures.appendingPathComponent("pymaf_small_zip.pt").path,
            "--data_dir", fixtures.appendingPathComponent("data_small").path,
            "--min_track_frames", "1", "--no_render", "--quiet", "--precision", "bfloat16",
        ])
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        let record = try RunRecord.read(from: folder.appendingPathComponent("clip/run.json"))
        #expect(record.frames.processed == 6)
        let used = record.settings["precision"]
        #expect(used == "bfloat16" || (used == "float32" && record.warnings.contains { $0.contains("AMX") }),
                "precision \(used ?? "none"), warnings \(record.warnings)")
    }

    /// A subcommand's flags are its own, even where the main command has a flag of the same name.
    @Test func subcommandsKeepTheirFlags() throws {
        let out = try TestMaterial.scratchFolder("cli-subcommand")
        let absent = out.appendingPathComponent("absent-checkpoint.pt").path
        let regress = try Self.run([
            "regress", "--checkpoint", absent, "--input", out.appendingPathComponent("crops.npy").path,
            "--output", out.appendingPathComponent("out.npz").path,
        ])
        #expect(regress.status != 0)
        #expect(regress.standardError.contains(absent), "regress did not see its --checkpoint: \(regress.standardError)")
        let help = try Self.run(["demo", "--help"])
        #expect(help.status == 0)
    }

    /// Ctrl-C on the real executable: status 130, run.json marked interrupted, and every file
    /// under its final name complete (no temporary names left). Uses the small PyMAF fixture.
    @Test func interruptExitsWith130AndFinishesFiles() throws {
        let out = try TestMaterial.scratchFolder("cli-interrupt")
        let fixtures = TestMaterial.root.appendingPathComponent("Tests/PyMAFTests/Fixtures")
        let process = Process()
        process.executableURL = TestMaterial.executable
        process.arguments = [
            "--vid_file", TestMaterial.runner.path, "--output_folder", out.path,
            "--checkpoint", fixtures.appendingPathComponent("pymaf_small_zip.pt").path,
            "--data_dir", fixtures.appendingPathComponent("data_small").path,
            "--detector", TestMaterial.detector.path, "--render_ratio", "0.25", "--export", "glb,bvh",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Ctrl-C as soon as the first progress line shows frames coming out of the pipeline.
        var text = ""
        let reader = errors.fileHandleForReading
        while !text.contains("/180 frames") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGINT)
        text += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "stderr: \(text)")

        let folder = out.appendingPathComponent("runner_1080p")
        let record = try RunRecord.read(from: folder.appendingPathComponent("run.json"))
        #expect(record.status == .interrupted)
        #expect(record.frames.decoded < 180)
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.contains(".tmp") || $0.hasPrefix(".") || $0.contains("/.") }, "\(names)")
        // Every file the run names is there and readable.
        for name in record.outputs {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
        let npz = try NPZArchive(contentsOf: folder.appendingPathComponent("tracks/0000.npz"))
        #expect(try npz.array("frame_ids").int64s().count == record.frames.processed)
    }

    /// `pymaf-video demo` (what `make demo` runs) on a machine with no PyMAF files: generates the
    /// assets, finds the humanoid with the real detector, regresses with the untrained demo
    /// checkpoint and writes every output, saying plainly that the weights are untrained.
    @Test func demoRunsTheWholePipeline() throws {
        let scratch = try TestMaterial.scratchFolder("cli-demo")
        let data = scratch.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("models"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: data.appendingPathComponent("models/pose_detection.tflite"), withDestinationURL: TestMaterial.detector)
        let out = scratch.appendingPathComponent("out")
        let outcome = try Self.run(["demo", "--data_dir", data.path, "--output_folder", out.path, "--quiet"])
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(outcome.standardError.contains("UNTRAINED"))
        let folder = out.appendingPathComponent("demo_clip")
        let record = try RunRecord.read(from: folder.appendingPathComponent("run.json"))
        #expect(record.status == .completed)
        #expect(record.tracks == [0])
        #expect(record.frames.processed == record.frames.decoded && record.frames.decoded > 0, "the detector finds the humanoid in every frame")
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        for name in ["output.pkl", "tracks/0000.npz", "demo_clip_result.mp4", "demo_clip_0000.glb"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
    }
}

