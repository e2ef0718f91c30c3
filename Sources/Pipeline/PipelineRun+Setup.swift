import BodyModel
import DemoAssets
import Foundation
import VideoIO

extension PipelineRun {
    /// Opens the input as a frame source, seeking to `--frames` when given.
    ///
    /// - Throws: `.inputUnreadable`, or `.badArguments` for a range past the end.
    func openSource() throws(RunError) -> any FrameSource {
        do {
            switch configuration.input {
            case .video(let url):
                return try VideoDecoder(url: url, options: DecodeOptions(frameRange: configuration.frameRange))
            case .imageFolder(let url):
                return try ImageFolderSource(url: url, frameRange: configuration.frameRange)
            case .image(let url):
                if configuration.frameRange != nil { throw RunError.badArguments("--frames cannot be used with --img_file") }
                return try ImageFolderSource(url: url)
            }
        } catch let error as VideoIOError {
            if case .frameRangeOutOfBounds(_, let range, let count) = error {
                throw .badArguments("--frames \(range.lowerBound):\(range.upperBound == Int.max ? "" : String(range.upperBound)) starts after the last frame (the input has \(count) frames)")
            }
            throw .inputUnreadable(path: error.path, reason: error.description)
        } catch let error as RunError {
            throw error
        } catch {
            throw .inputUnreadable(path: configuration.input.url.path, reason: "\(error)")
        }
    }

    /// Creates `<output_folder>/<NAME>/` and checks that it takes files.
    func prepareRunFolder() throws(RunError) -> URL {
        let folder = configuration.runFolder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .outputNotWritable(path: folder.path, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw .outputNotWritable(path: folder.path, reason: "the folder is not writable")
        }
        return folder
    }

    /// The input's digest for `run.json` (for a folder: the digest of its file names and sizes).
    func inputDigest() throws -> RunRecord.FileDigest {
        try RunRecord.FileDigest(of: configuration.input.url)
    }

    /// Whether `url` is one of the demo checkpoints `make demo` generates.
    static func isDemoCheckpoint(_ url: URL) -> Bool {
        url.lastPathComponent == DemoAssetNames.checkpoint
    }

    /// Warnings for `run.json` from the decoder's report and the counts.
    func warnings(source: any FrameSource, frames: RunRecord.Frames) -> [String] {
        var warnings: [String] = []
        if let decoder = source as? VideoDecoder {
            let report = decoder.report
            if report.corruptPackets > 0 { warnings.append("\(report.corruptPackets) damaged packet(s) were skipped while decoding") }
            if report.concealedFrames > 0 { warnings.append("\(report.concealedFrames) frame(s) were damaged and concealed by the decoder") }
            if let truncation = report.truncation { warnings.append("the input is truncated: \(truncation.description)") }
        }
        if frames.decoded > 0 && frames.processed == 0 { warnings.append("nobody was found in any frame: nothing was regressed") }
        return warnings
    }
}

extension RunConfiguration {
    /// Settings recorded in `run.json`, by flag name.
    var recordedSettings: [String: String] {
        var settings: [String: String] = [
            "model_batch_size": String(modelBatchSize),
            "render": String(render),
            "render_ratio": String(renderSettings.renderRatio),
            "sideview": String(renderSettings.sideView),
            "empty_bg": String(renderSettings.emptyBackground),
            "with_raw": String(renderSettings.withRaw),
            "save_obj": String(saveOBJ),
            "mattes": String(mattes),
            "export": exportFormats.map(\.rawValue).joined(separator: ","),
            "bbox_scale": String(tracking.bboxScale),
            "detection_threshold": String(tracking.detectionThreshold),
            "max_age": String(tracking.maxAge),
            "min_track_frames": String(tracking.minTrackFrames),
            "missing": tracking.missingPolicy.rawValue,
        ]
        if tracking.maxPeople != .max { settings["max_people"] = String(tracking.maxPeople) }
        if !personIDs.isEmpty { settings["person_id"] = personIDs.map(String.init).joined(separator: ",") }
        if let threads { settings["threads"] = String(threads) }
        if let boxFile { settings["bbox_file"] = boxFile.path }
        if let reconstructionFile { settings["recon_result_file"] = reconstructionFile.path }
        return settings
    }
}
