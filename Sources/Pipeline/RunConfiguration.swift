import Export
import Tensor
import Foundation
import PersonTracking
import Render
import Smoothing
import VideoIO

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

    /// One-Euro smoothing of the SMPL parameters over time (`--smooth`): a preset of the
    /// Smoothing module and the command line's overrides of its rotation filters.
    public struct Smoothing: Sendable, Equatable {
        /// The presets `--smooth_preset` names.
        public enum Preset: String, Sendable, CaseIterable {
            /// The project's defaults (rotations 1 Hz, β 3; camera and shape as ROMP).
            case standard
            /// VIBE's `--smooth` (0.004 cycles/frame, β 0.7) at the video's frame rate: strong.
            case vibe
            /// ROMP's filters (3 Hz, β 0.7): light, little lag.
            case romp
        }

        public var preset: Preset
        /// Overrides of the rotation filters' minimum cutoff (Hz) and speed coefficient.
        public var minCutoff: Double?
        public var beta: Double?
        /// Override of the rotation filters' derivative cutoff (Hz).
        public var derivativeCutoff: Double?
        /// `--shape`: each frame's own β, or one robust β per person.
        public var shapeMode: ShapeMode
        /// False for `--shape per-track` without `--smooth`: the parameters pass through
        /// unfiltered and only the shape is fixed per person.
        public var filters: Bool

        public init(
            preset: Preset = .standard, minCutoff: Double? = nil, beta: Double? = nil, derivativeCutoff: Double? = nil,
            shapeMode: ShapeMode = .perFrame, filters: Bool = true
        ) {
            self.preset = preset
            self.minCutoff = minCutoff
            self.beta = beta
            self.derivativeCutoff = derivativeCutoff
            self.shapeMode = shapeMode
            self.filters = filters
        }

        public static let standard = Smoothing()
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
    /// `--video_preset`, `--video_crf`: how `NAME_result.mp4` is encoded (x264 preset and CRF;
    /// MPEG-4 Part 2 when this FFmpeg lacks libx264 uses only the quality).
    public var videoPreset: VideoEncoder.Preset = .superfast
    public var videoQuality: Int?
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
    /// `--precision`: how the network's convolutions compute (float32 matches PyTorch).
    public var precision: Precision = .float32
    /// `--quiet`: no progress on standard error.
    public var quiet = false
    /// The tracking options (`--max_people`, `--min_track_frames`, `--detection_threshold`,
    /// `--max_age`, `--bbox_scale`, `--missing`).
    public var tracking = TrackingOptions()
    /// `--person_id`: only these track ids are regressed and written; empty means everyone.
    public var personIDs: [Int] = []
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
        if let videoQuality, !(0...51).contains(videoQuality) { throw bad("--video_crf must be in 0…51 (got \(videoQuality))") }
        if let range = frameRange, range.lowerBound < 0 { throw bad("--frames must start at frame 0 or later") }
        if let threads, threads < 1 { throw bad("--threads must be at least 1 (got \(threads))") }
        if let smoothing, !((smoothing.minCutoff ?? 1) > 0 && (smoothing.beta ?? 0) >= 0 && (smoothing.derivativeCutoff ?? 1) > 0) {
            throw bad("--smooth settings must be positive (--min_cutoff and --d_cutoff > 0, --beta ≥ 0)")
        }
        do {
            try tracking.validate()
        } catch let error as PersonTrackingError {
            if case .invalidOption(let name, let reason) = error { throw bad("--\(name) \(reason)") }
            throw bad(error.description)
        } catch {
            throw bad("\(error)")
        }
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
