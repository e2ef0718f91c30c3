import ArgumentParser
import Foundation
import Pipeline
import VideoIO
import Smoothing
import Tensor

/// The main command's flags: PyMAF demo's names and meanings, then the product's own.
struct RunOptions: ParsableArguments {
    // MARK: Input (PyMAF's flags)

    @Option(name: .customLong("vid_file"), help: "Input video file.")
    var videoFile: String?

    @Option(name: .customLong("image_folder"), help: "Input folder of PNG/JPEG frames, taken in natural order.")
    var imageFolder: String?

    @Option(name: .customLong("img_file"), help: "Input single image; if no person is detected, the person is assumed centred.")
    var imageFile: String?

    // MARK: Output and model (PyMAF's flags)

    @Option(name: .customLong("output_folder"), help: "Results go to <output_folder>/<NAME>/.")
    var outputFolder = "output"

    @Option(help: "PyMAF checkpoint (PyTorch legacy or zip format).")
    var checkpoint = "data/pretrained_model/PyMAF_model_checkpoint.pt"

    @Option(name: .customLong("data_dir"), help: "PyMAF's data folder (smpl/SMPL_NEUTRAL.pkl, smpl_mean_params.npz, J_regressor_extra.npy, …).")
    var dataDirectory = "data"

    @Option(name: .customLong("model_batch_size"), help: "Person crops per regressor call.")
    var modelBatchSize = 8

    // MARK: Rendering (PyMAF's flags)

    @Flag(name: .customLong("no_render"), help: "Do not write the overlay video NAME_result.mp4.")
    var noRender = false

    @Flag(name: .customLong("with_raw"), help: "Put the original frame beside the overlay.")
    var withRaw = false

    @Flag(name: .customLong("empty_bg"), help: "Also draw the meshes on an empty background beside the overlay.")
    var emptyBackground = false

    @Flag(help: "Also draw the meshes seen from the side.")
    var sideview = false

    @Option(name: .customLong("render_ratio"), help: "Size of the overlay video relative to the input.")
    var renderRatio: Float = 1

    @Flag(name: .customLong("save_obj"), help: "Write meshes/<id>/<frame>.obj for every person and frame (independent of rendering).")
    var saveOBJ = false

    @Option(
        name: .customLong("recon_result_file"),
        help: "Render (and export) from a saved output.pkl instead of running the network; needs the same input.")
    var reconstructionFile: String?

    // MARK: The product's own

    @Option(name: .customLong("video_preset"), help: ArgumentHelp(
        "x264 preset of NAME_result.mp4: \(VideoEncoder.Preset.allCases.map(\.rawValue).joined(separator: ", ")). Faster presets take less CPU time per frame and write larger files.",
        valueName: "preset"))
    var videoPreset: VideoEncoder.Preset = .superfast

    @Option(name: .customLong("video_crf"), help: "x264 constant rate factor of NAME_result.mp4, 0–51: lower is better and larger (default 18, near-lossless).")
    var videoCRF: Int?

    @Option(help: ArgumentHelp(
        "Only frames A through B, 0-based, inclusive, numbered as in the full video ('A:' to the end, ':B' from the start).",
        valueName: "A:B"))
    var frames: String?

    @Flag(help: "Smooth the SMPL parameters over time with a One-Euro filter (real timestamps).")
    var smooth = false

    @Option(name: .customLong("smooth_preset"), help: "Smoothing preset: standard (rotations 1 Hz, β 3), vibe (VIBE's 0.004 cycles/frame: strong) or romp (3 Hz: light).")
    var smoothPreset = "standard"

    @Option(name: .customLong("min_cutoff"), help: "One-Euro minimum cutoff of the rotation filters in Hz: lower is smoother (overrides the preset; implies --smooth).")
    var minCutoff: Double?

    @Option(help: "One-Euro speed coefficient β of the rotation filters: higher follows fast motion with less lag (overrides the preset; implies --smooth).")
    var beta: Double?

    @Option(name: .customLong("d_cutoff"), help: "One-Euro cutoff of the rotation filters' speed estimate in Hz (overrides the preset; implies --smooth).")
    var derivativeCutoff: Double?

    @Option(help: ArgumentHelp(
        "Body shape: per-frame (each frame's own β, as PyMAF) or per-track (one robust β per person, from the first seconds of the track).",
        valueName: "per-frame|per-track"))
    var shape = "per-frame"

    @Option(help: ArgumentHelp(
        "Comma-separated animation formats to write per person: \(RunConfiguration.exportFormatNames.joined(separator: ", ")).",
        valueName: "formats"))
    var export: String?

    @Flag(help: "Write 8-bit alpha mattes per person and frame (mattes/<id>/<frame>.png) and a combined one.")
    var mattes = false

    @Option(name: .customLong("bbox_file"), help: "Person boxes from a file (PyMAF tracklet JSON or CSV frame,track,cx,cy,w,h) instead of the detector.")
    var boxFile: String?

    @Option(help: "Threads for the network's matrix products (default: every core).")
    var threads: Int?

    @Option(help: ArgumentHelp(
        "How the network's convolutions compute: float32 (default; matches PyTorch) or bfloat16 (inputs of each product rounded to 8 significant bits; faster on CPUs with Intel AMX; float32 elsewhere).",
        valueName: "precision"))
    var precision: Precision = .float32

    @Flag(help: "No progress on standard error.")
    var quiet = false

    // MARK: Tracking

    @Option(name: .customLong("max_people"), help: "Track at most this many people at once (default: all).")
    var maxPeople: Int?

    @Option(name: .customLong("person_id"), parsing: .upToNextOption, help: "Only these track ids (as written in the outputs).")
    var personIDs: [Int] = []

    @Option(name: .customLong("min_track_frames"), help: "Frames a new person must be seen in before being tracked; shorter tracks are dropped.")
    var minTrackFrames = 5

    @Option(name: .customLong("detection_threshold"), help: "Person detector score threshold.")
    var detectionThreshold: Float = 0.5

    @Option(name: .customLong("max_age"), help: "Frames a lost person is remembered for re-identification.")
    var maxAge = 30

    @Option(name: .customLong("bbox_scale"), help: "Crop side relative to the person's box (PyMAF's bbox_scale).")
    var boxScale: Float = 1.0

    @Option(help: "When a tracked person is not found in a frame: skip (write nothing, as PyMAF) or hold (repeat the last box).")
    var missing = "skip"

    @Option(name: .customLong("detector"), help: "BlazePose person detector model (make models fetches it).")
    var detectorModel = "data/models/pose_detection.tflite"

    /// The run configuration these flags describe.
    ///
    /// - Throws: `RunError.badArguments` naming the flag.
    func configuration(arguments: [String]) throws(RunError) -> RunConfiguration {
        let inputs = [videoFile.map { RunConfiguration.Input.video(fileURL($0)) },
                      imageFolder.map { .imageFolder(fileURL($0)) },
                      imageFile.map { .image(fileURL($0)) }].compactMap { $0 }
        guard inputs.count == 1, let input = inputs.first else {
            throw .badArguments(inputs.isEmpty
                ? "no input: give --vid_file, --image_folder or --img_file (or run `make demo`)"
                : "give only one of --vid_file, --image_folder, --img_file")
        }
        var configuration = RunConfiguration(input: input)
        configuration.arguments = arguments
        configuration.outputFolder = fileURL(outputFolder)
        configuration.checkpoint = fileURL(checkpoint)
        configuration.dataDirectory = fileURL(dataDirectory)
        configuration.detectorModel = fileURL(detectorModel)
        configuration.modelBatchSize = modelBatchSize
        configuration.render = !noRender
        configuration.renderSettings.withRaw = withRaw
        configuration.renderSettings.emptyBackground = emptyBackground
        configuration.renderSettings.sideView = sideview
        configuration.renderSettings.renderRatio = renderRatio
        configuration.videoPreset = videoPreset
        configuration.videoQuality = videoCRF
        configuration.saveOBJ = saveOBJ
        configuration.reconstructionFile = reconstructionFile.map(fileURL)
        configuration.mattes = mattes
        configuration.boxFile = boxFile.map(fileURL)
        configuration.threads = threads
        configuration.precision = precision
        configuration.quiet = quiet
        if let frames { configuration.frameRange = try FrameRangeSyntax.parse(frames) }
        if let export { try configuration.setExportFormats(export) }
        guard let shapeMode = ShapeMode(rawValue: shape) else {
            throw .badArguments("--shape: unknown value \(shape); choose per-frame or per-track")
        }
        if let minCutoff, !(minCutoff > 0 && minCutoff.isFinite) { throw .badArguments("--min_cutoff: must be a positive number of Hz, got \(minCutoff)") }
        if let beta, !(beta >= 0 && beta.isFinite) { throw .badArguments("--beta: must be zero or positive, got \(beta)") }
        if let derivativeCutoff, !(derivativeCutoff > 0 && derivativeCutoff.isFinite) { throw .badArguments("--d_cutoff: must be a positive number of Hz, got \(derivativeCutoff)") }
        let tuned = minCutoff != nil || beta != nil || derivativeCutoff != nil
        if smooth || tuned || shapeMode == .perTrack {
            guard let preset = RunConfiguration.Smoothing.Preset(rawValue: smoothPreset.lowercased()) else {
                throw .badArguments("--smooth_preset: unknown preset \(smoothPreset); choose standard, vibe or romp")
            }
            configuration.smoothing = RunConfiguration.Smoothing(
                preset: preset, minCutoff: minCutoff, beta: beta, derivativeCutoff: derivativeCutoff,
                shapeMode: shapeMode, filters: smooth || tuned)
        }
        configuration.tracking.maxPeople = maxPeople ?? .max
        configuration.personIDs = personIDs
        configuration.tracking.minTrackFrames = minTrackFrames
        configuration.tracking.detectionThreshold = detectionThreshold
        configuration.tracking.maxAge = maxAge
        configuration.tracking.bboxScale = boxScale
        try configuration.setMissingPolicy(missing)
        try configuration.validate()
        return configuration
    }

    private func fileURL(_ path: String) -> URL {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    }
}

extension Precision: ExpressibleByArgument {}
extension VideoEncoder.Preset: ExpressibleByArgument {}
