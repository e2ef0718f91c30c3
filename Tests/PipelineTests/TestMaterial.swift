import DemoAssets
import Foundation
import Pipeline

/// Paths and generated assets the end-to-end tests share.
enum TestMaterial {
    /// The repository root, from this file's location.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared/data/` beside the repository.
    static func shared(_ name: String) -> URL {
        root.deletingLastPathComponent().appendingPathComponent("shared/data/\(name)")
    }
    static let runner = shared("runner_1080p.mp4")
    static let dancers = shared("two_dancers_portrait.mp4")
    /// The BlazePose detector `make models` fetches.
    static let detector = root.appendingPathComponent("data/models/pose_detection.tflite")

    /// The demo assets (untrained checkpoint with the procedural body, sample clip), generated
    /// once per test process.
    static let demo: Result<DemoAssetPaths, Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pymaf-pipeline-tests-\(ProcessInfo.processInfo.processIdentifier)/demo")
        return try DemoAssets.prepare(in: folder)
    }

    /// A fresh empty folder for one test's outputs.
    static func scratchFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pymaf-pipeline-tests-\(ProcessInfo.processInfo.processIdentifier)/\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A configuration for `input` with the demo checkpoint, quiet, writing under `output`.
    static func configuration(_ input: RunConfiguration.Input, output: URL) throws -> RunConfiguration {
        var configuration = RunConfiguration(input: input)
        configuration.checkpoint = try demo.get().checkpoint
        configuration.dataDirectory = output.appendingPathComponent("no-data-folder")
        configuration.detectorModel = detector
        configuration.outputFolder = output
        configuration.quiet = true
        configuration.arguments = ["pymaf-video", "(test)"]
        return configuration
    }

    /// The `pymaf-video` executable built next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pymaf-video")
    }
}
