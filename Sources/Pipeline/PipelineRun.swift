import BodyModel
import Export
import Foundation
import Render
import VideoIO

/// One run of the product: video (or images) in, per-person meshes, exports, renders and
/// `run.json` out. The command line builds a `RunConfiguration` and calls `run()`; tests do too.
///
/// The stages are wired by a `PipelineRunner`, each on its own serial queue:
///
///     decode → track → crop (batches) → regress → smooth → export → render → tally
///
/// or, with `--recon_result_file`, `decode → lookup (saved output.pkl) → export → render → tally`.
///
/// `requestStop()` (Ctrl-C) stops decoding; what is in flight drains through every stage, every
/// writer is finished so the files on disk are complete, `run.json` says `interrupted`, and
/// `run()` throws `RunError.interrupted`.
///
///     let run = PipelineRun(configuration: configuration, regressor: .pyMAF)
///     let record = try run.run()   // also written to <output>/<NAME>/run.json
public final class PipelineRun: @unchecked Sendable {
    public let configuration: RunConfiguration
    let regressorLoader: RegressorLoader
    let progressStyle: ProgressReporter.Style
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var activeRunner: PipelineRunner?
    private var activeTally: RunTally?
    private var stopRequested = false

    /// - Parameters:
    ///   - configuration: What to do.
    ///   - regressor: How the network is loaded from the checkpoint.
    ///   - progressStyle: How to show progress; by default a bar on a terminal, plain lines
    ///     otherwise, nothing with `quiet`.
    ///   - log: Where notes and warnings go (standard error by default).
    public init(
        configuration: RunConfiguration, regressor: RegressorLoader, progressStyle: ProgressReporter.Style? = nil,
        log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) {
        self.configuration = configuration
        self.regressorLoader = regressor
        self.progressStyle = progressStyle ?? .forStandardError(quiet: configuration.quiet)
        self.log = log
    }

    /// Stops decoding; the frames in flight are finished and written. Safe from any thread
    /// (a signal handler's queue), any number of times.
    public func requestStop() {
        let runner = lock.withLock { () -> PipelineRunner? in
            stopRequested = true
            return activeRunner
        }
        runner?.requestStop()
    }

    var wasStopRequested: Bool { lock.withLock { stopRequested } }

    /// Frames that have come out of the last stage so far (0 before the run starts).
    public var framesFinished: Int { lock.withLock { activeTally }?.progress.framesDone ?? 0 }

    /// Runs to the end of the input (or until stopped) and writes `run.json`.
    ///
    /// - Returns: The record written to `run.json`.
    /// - Throws: `RunError`; `.interrupted` after a stop, once everything is written.
    public func run() throws(RunError) -> RunRecord {
        try configuration.validate()
        let started = Date()
        var record = RunRecord(arguments: configuration.arguments, startedAt: started)
        record.settings = configuration.recordedSettings

        let source = try openSource()
        let folder = try prepareRunFolder()
        let models: LoadedModels
        do {
            models = try loadModels(record: &record)
        } catch {
            record.status = .failed
            record.error = error.description
            record.finishedAt = Date()
            try? record.write(toFolder: folder)
            throw error
        }
        record.video = RunRecord.Video(
            width: source.info.width, height: source.info.height, framesPerSecond: source.info.fps,
            rotation: source.info.rotation)
        if configuration.smoothing != nil { record.settings["smoothing"] = smoothingDescription(fps: source.info.fps) }
        record.frameRange = configuration.frameRange.map { [$0.lowerBound, $0.upperBound == Int.max ? -1 : $0.upperBound] }
        do {
            record.input = try inputDigest()
        } catch {
            throw .inputUnreadable(path: configuration.input.url.path, reason: "\(error)")
        }
        if configuration.quiet == false, models.demoWeights {
            log("note: these are the untrained demo weights: every person gets the mean body pose. "
                + "For real results use PyMAF's data/ folder: --checkpoint data/pretrained_model/PyMAF_model_checkpoint.pt --data_dir data")
        }

        let progress = ProgressReporter(style: progressStyle, total: expectedFrameCount(source.info))
        let tally = RunTally(progress: progress)
        lock.withLock { activeTally = tally }
        let stageWarnings = RunWarnings()
        let runner = PipelineRunner()
        var failure: RunError?
        do {
            try buildChain(on: runner, source: source, models: models, folder: folder, tally: tally, warnings: stageWarnings)
        } catch {
            failure = error
        }
        if failure == nil {
            let stopEarly = lock.withLock { () -> Bool in
                activeRunner = runner
                return stopRequested
            }
            if stopEarly { runner.requestStop() }
            do {
                record.stages = try runner.run()
            } catch {
                failure = Self.classify(error)
                record.stages = runner.finishedTimings
            }
            lock.withLock { activeRunner = nil }
            progress.finish()
        }

        record.frames = tally.frames
        record.tracks = tally.tracks
        record.warnings += stageWarnings.all + warnings(source: source, frames: record.frames)
        record.outputs = Self.listFiles(in: folder)
        record.finishedAt = Date()
        record.elapsedSeconds = record.finishedAt!.timeIntervalSince(started)
        if let failure {
            record.status = failure == .interrupted ? .interrupted : .failed
            record.error = failure.description
        } else if runner.wasStopped {
            record.status = .interrupted
        }
        for warning in record.warnings { log("warning: \(warning)") }
        try record.write(toFolder: folder)
        if let failure { throw failure }
        if record.status == .interrupted { throw .interrupted }
        return record
    }

    /// Frames the progress bar counts to: the container's estimate, within `--frames`.
    func expectedFrameCount(_ info: StreamInfo) -> Int? {
        guard let estimate = info.frameCountEstimate else { return nil }
        guard let range = configuration.frameRange else { return estimate }
        return max(0, min(estimate - 1, range.upperBound) - range.lowerBound + 1)
    }

    /// The user-facing error for anything a stage threw.
    static func classify(_ error: Error) -> RunError {
        switch error {
        case let error as RunError:
            return error
        case let error as VideoIOError:
            switch error {
            case .writingFailed, .frameMismatch:
                return .outputNotWritable(path: error.path, reason: error.description)
            default:
                return .inputUnreadable(path: error.path, reason: error.description)
            }
        case let error as ExportError:
            if case .cannotWrite(let path, _) = error { return .outputNotWritable(path: path, reason: error.description) }
            return .stageFailed(stage: "export", reason: error.description)
        case let error as RenderError:
            return .stageFailed(stage: "render", reason: "\(error)")
        default:
            return .stageFailed(stage: "pipeline", reason: "\(error)")
        }
    }

    /// Every regular file under `folder`, relative, sorted (for `run.json`).
    static func listFiles(in folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let base = folder.standardizedFileURL.path + "/"
        var files: [String] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            let relative = path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
            if relative != "run.json" { files.append(relative) }
        }
        return files.sorted()
    }
}
