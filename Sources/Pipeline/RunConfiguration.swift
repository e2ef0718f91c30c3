import Export
import Foundation
import Render

/// Everything one run needs to know, built by the command line (or a test) and validated once.
///
/// Defaults are those of PyMAF's demo where it has the option (`output`, batch size 8, the
/// checkpoint under `data/pretrained_model/`), and the product's own choices otherwise.
///
///     var configuration = RunConfiguration(input: .video(URL(fileURLWithPath: "clip.mp4")))
///     configuration.frameRange = 100...199
///     configuration.exportFormats = [.glb]
///     try configuration.validate()
public struct RunConfiguration: Sendable, Equatable {
    /// What to read.
    public enum Input: Sendable, Equatable {
        /// A video file (`--vid_file`).
        case video(URL)
        /// A folder of PNG/JPEG images in natural order (`--image_folder`).
        case imageFolder(URL)
        /// One image (`--img_file`); with no detection, the person is assumed centred.
        case image(URL)

        /// The path given by the user.
        public var url: URL {
            switch self {
            case .video(let url), .imageFolder(let url), .image(let url): url
            }
        }

        /// `NAME` in the output layout: the file name without its extension, or the folder name.
        public var name: String {
            switch self {
            case .video(let url), .image(let url): url.deletingPathExtension().lastPathComponent
            case .imageFolder(let url): url.standardizedFileURL.lastPathComponent
            }
        }
    }

    /// How people are found and followed (the tracking options).
    public struct Tracking: Sendable, Equatable {
        /// Keep at most this many tracks per frame, largest boxes first; `nil` keeps all.
        public var maxPeople: Int?
        /// Tracks shorter than this many frames are dropped.
        public var minTrackFrames: Int = 1
        /// Detector score threshold.
        public var detectionThreshold: Float = 0.5
        /// Frames a lost track is kept alive for re-association.
        public var maxAge: Int = 30
        /// Side of the square crop relative to the person's box (PyMAF's `bbox_scale`).
        public var boxScale: Float = 1.0
        /// Only these track ids are processed (`--person_id`); empty means all.
        public var personIDs: [Int] = []

        public init() {}
    }

    /// One-Euro smoothing of the SMPL parameters over time (`--smooth`).
    public struct Smoothing: Sendable, Equatable {
        /// Minimum cutoff frequency in Hz: lower smooths slow motion harder.
        public var minCutoff: Double
        /// Speed coefficient: higher lets fast motion through with less lag.
        public var beta: Double
        /// Cutoff of the speed estimate in Hz.
        public var derivativeCutoff: Double

        public init(minCutoff: Double, beta: Double, derivativeCutoff: Double) {
            self.minCutoff = minCutoff
            self.beta = beta
            self.derivativeCutoff = derivativeCutoff
        }
    }

    /// Capacities of the bounded queues between stages (elements, not bytes).
    public struct QueueCapacities: Sendable, Equatable {
        /// Decoded frames waiting for the tracker.
        public var decoded: Int = 8
        /// Tracked frames waiting for the cropper.
        public var tracked: Int = 8
        /// Crop batches waiting for the regressor.
        public var batches: Int = 2
        /// Regressed frames waiting for smoothing, export and rendering.
        public var results: Int = 16

        public init() {}
    }

    public var input: Input
    /// `--output_folder`: the run writes into `<outputFolder>/<NAME>/`.
    public var outputFolder = URL(fileURLWithPath: "output")
    /// `--checkpoint`: the PyMAF checkpoint (legacy or zip PyTorch format).
    public var checkpoint = URL(fileURLWithPath: "data/pretrained_model/PyMAF_model_checkpoint.pt")
    /// `--data_dir`: PyMAF's `data/` folder (SMPL files, mean parameters, regressors).
    public var dataDirectory = URL(fileURLWithPath: "data")
    /// The BlazePose detector (`make models` puts it under `data/models/`).
    public var detectorModel = URL(fileURLWithPath: "data/models/pose_detection.tflite")
    /// `--model_batch_size`: crops per regressor call.
    public var modelBatchSize = 8
    /// `--no_render` turns this off: write `NAME_result.mp4`.
    public var render = true
    /// `--sideview`, `--empty_bg`, `--with_raw`, `--render_ratio`.
    public var renderSettings = RenderSettings()
    /// `--save_obj`: one OBJ per person per frame.
    public var saveOBJ = false
    /// `--recon_result_file`: render from a saved `output.pkl` instead of regressing.
    public var reconstructionFile: URL?
    /// `--frames A:B`: only frames A…B of the full video (indices in a full decode).
    public var frameRange: ClosedRange<Int>?
    /// `--smooth`: One-Euro settings, or `nil` for raw per-frame estimates.
    public var smoothing: Smoothing?
    /// `--export`: animation and geometry formats besides the parameter tracks.
    public var exportFormats: [ExportFormat] = []
    /// `--mattes`: 8-bit alpha mattes per person per frame.
    public var mattes = false
    /// `--bbox_file`: boxes from a file instead of the detector.
    public var boxFile: URL?
    /// `--threads`: threads for the regressor's matrix products; `nil` uses every core.
    public var threads: Int?
    /// `--quiet`: no progress on standard error.
    public var quiet = false
    public var tracking = Tracking()
    public var queueCapacities = QueueCapacities()
    /// The command line as typed, recorded in `run.json`.
    public var arguments: [String] = []

    public init(input: Input) {
        self.input = input
    }

    /// The folder this run writes into: `<outputFolder>/<NAME>/`.
    public var runFolder: URL { outputFolder.appendingPathComponent(input.name, isDirectory: true) }

    /// Checks values that do not depend on files.
    ///
    /// - Throws: `RunError.badArguments` naming the option.
    public func validate() throws(RunError) {
        func bad(_ message: String) -> RunError { .badArguments(message) }
        if modelBatchSize < 1 { throw bad("--model_batch_size must be at least 1 (got \(modelBatchSize))") }
        if !(renderSettings.renderRatio > 0 && renderSettings.renderRatio <= 4) {
            throw bad("--render_ratio must be in (0, 4] (got \(renderSettings.renderRatio))")
        }
        if let range = frameRange, range.lowerBound < 0 { throw bad("--frames must start at frame 0 or later") }
        if let threads, threads < 1 { throw bad("--threads must be at least 1 (got \(threads))") }
        if let smoothing, !(smoothing.minCutoff > 0 && smoothing.beta >= 0 && smoothing.derivativeCutoff > 0) {
            throw bad("--smooth settings must be positive (min cutoff and derivative cutoff > 0, beta ≥ 0)")
        }
        if tracking.detectionThreshold <= 0 || tracking.detectionThreshold >= 1 {
            throw bad("--detection_threshold must be in (0, 1) (got \(tracking.detectionThreshold))")
        }
        if let maxPeople = tracking.maxPeople, maxPeople < 1 { throw bad("--max_people must be at least 1") }
        if tracking.minTrackFrames < 1 { throw bad("--min_track_frames must be at least 1") }
        if tracking.maxAge < 0 { throw bad("--max_age must be 0 or more") }
        if !(tracking.boxScale > 0) { throw bad("--bbox_scale must be positive") }
        if reconstructionFile != nil, case .image = input {
            throw bad("--recon_result_file re-renders a video or image folder; it cannot be used with --img_file")
        }
        if reconstructionFile != nil && !render && !saveOBJ && exportFormats.isEmpty && !mattes {
            throw bad("--recon_result_file with --no_render has nothing to do: add --save_obj, --export or --mattes")
        }
        let capacities = queueCapacities
        if min(capacities.decoded, capacities.tracked, capacities.batches, capacities.results) < 1 {
            throw bad("queue capacities must be at least 1")
        }
    }
}

extension RunConfiguration.Smoothing {
    /// VIBE's demo settings in real time (its 0.004 per frame at 30 fps is 0.12 Hz; β 0.7; the
    /// speed estimate's cutoff ≈ the frame rate): strong smoothing.
    public static let vibe = Self(minCutoff: 0.12, beta: 0.7, derivativeCutoff: 30)
    /// Moderate smoothing (1 Hz, β 0.7), the default for `--smooth`.
    public static let standard = Self(minCutoff: 1.0, beta: 0.7, derivativeCutoff: 1.0)
    /// ROMP's settings (3 Hz, β 0.7): light smoothing with little lag.
    public static let romp = Self(minCutoff: 3.0, beta: 0.7, derivativeCutoff: 1.0)
}
