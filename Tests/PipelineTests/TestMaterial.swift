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
    /// This test process's scratch folder.
    static let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pymaf-pipeline-tests-\(ProcessInfo.processInfo.processIdentifier)")

    /// A fresh empty folder for one test's outputs.
    static func scratchFolder(_ name: String) throws -> URL {
        let url = scratch.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The network stand-in, built once.
    static let regressor: Result<MeanPoseRegressor, Error> = Result { try MeanPoseRegressor() }

    /// The file the stand-in runs record as their checkpoint (its digest goes to run.json).
    static let standInCheckpoint: Result<URL, Error> = Result {
        let url = scratch.appendingPathComponent("stand-in-checkpoint.bin")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try Data("mean-pose stand-in for the network\n".utf8).write(to: url)
        return url
    }

    /// A quiet configuration for `input` writing under `output`, with the real detector.
    static func configuration(_ input: RunConfiguration.Input, output: URL) throws -> RunConfiguration {
        var configuration = RunConfiguration(input: input)
        configuration.checkpoint = try standInCheckpoint.get()
        configuration.dataDirectory = output.appendingPathComponent("no-data-folder")
        configuration.detectorModel = detector
        configuration.outputFolder = output
        configuration.quiet = true
        configuration.arguments = ["pymaf-video", "(test)"]
        return configuration
    }

    /// A run of `configuration` with the network stand-in.
    static func run(_ configuration: RunConfiguration) throws -> PipelineRun {
        PipelineRun(configuration: configuration, regressor: try regressor.get().loader, progressStyle: .silent)
    }

    /// The `pymaf-video` executable built next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pymaf-video")
    }
}
