import BodyModel
import Foundation
import PersonTracking
import PyMAF
import Smoothing
import Tensor
import VideoIO

/// The models one run uses, loaded before any frame is decoded.
struct LoadedModels {
    /// The body model the meshes are made of (from the checkpoint or PyMAF's data folder).
    var bodyModel: SMPLModel
    /// The network; nil when re-rendering a saved result.
    var regressor: (any BodyRegressor)?
    /// The person detector; nil with `--bbox_file` or a saved result.
    var detector: PersonDetector?
    /// The saved result (`--recon_result_file`).
    var saved: SavedReconstruction?
    /// Whether the checkpoint holds the untrained demo weights.
    var demoWeights: Bool
}

extension PipelineRun {
    /// Loads the checkpoint (and the detector when needed), recording digests in `record`.
    ///
    /// - Throws: `.checkpointMissing` with where PyMAF users find it, `.modelInvalid`, or
    ///   `.inputUnreadable` for a bad `--recon_result_file`.
    func loadModels(record: inout RunRecord) throws(RunError) -> LoadedModels {
        let c = configuration
        guard FileManager.default.fileExists(atPath: c.checkpoint.path) else {
            throw .checkpointMissing(path: c.checkpoint.path)
        }
        BLAS.threadCount = c.threads ?? BLAS.processorCount
        let (precision, note) = PyMAFRegressor.availablePrecision(c.precision)
        if let note { record.warnings.append(note) }
        if c.precision != .float32 { record.settings["precision"] = precision.rawValue }
        let regressor: any BodyRegressor
        do {
            regressor = try regressorLoader.load(c.checkpoint, c.dataDirectory, precision)
        } catch let error as RunError {
            throw error
        } catch {
            throw .modelInvalid(path: c.checkpoint.path, reason: "\(error)")
        }
        do {
            record.checkpoint = try RunRecord.FileDigest(of: c.checkpoint)
        } catch {
            throw .modelInvalid(path: c.checkpoint.path, reason: "\(error)")
        }
        let demo = Self.isDemoCheckpoint(c.checkpoint)
        record.demoWeights = demo
        record.bodyModel = "\(regressor.bodyModel.vertexCount) vertices, \(regressor.bodyModel.faceCount) faces"
        var models = LoadedModels(bodyModel: regressor.bodyModel, regressor: regressor, detector: nil, saved: nil, demoWeights: demo)
        if let file = c.reconstructionFile {
            models.saved = try SavedReconstruction.read(contentsOf: file, vertexCount: regressor.bodyModel.vertexCount)
            models.regressor = nil
            return models
        }
        if c.boxFile == nil {
            do {
                models.detector = try PersonDetector(modelURL: c.detectorModel, scoreThreshold: c.tracking.detectionThreshold)
            } catch {
                throw .modelInvalid(path: c.detectorModel.path, reason: "\(error)")
            }
        }
        return models
    }

    /// The tracking stage: the detector and tracker, the boxes of `--bbox_file`, or for a
    /// single image the detection (or, with none, the centred person PyMAF assumes).
    func makeTracking(models: LoadedModels, info: StreamInfo, warnings: RunWarnings) throws(RunError) -> TrackingStage {
        var c = configuration
        // A `--frames` range shorter than --min_track_frames would confirm nobody: within such a
        // range a person needs to be seen in every frame instead.
        if let range = c.frameRange, range.upperBound != Int.max, range.count < c.tracking.minTrackFrames {
            c.tracking.minTrackFrames = max(1, range.count)
        }
        let finder: TrackingStage.Finder
        do {
            if let file = c.boxFile {
                let boxes: BoxTable
                do {
                    boxes = try BoxTable(contentsOf: file)
                } catch {
                    throw RunError.inputUnreadable(path: file.path, reason: "\(error)")
                }
                finder = .tracker(try PersonTracker(boxes: boxes, options: c.tracking))
            } else if let detector = models.detector {
                if case .image = c.input {
                    finder = .image(detector, c.tracking)
                } else {
                    finder = .tracker(try PersonTracker(detector: detector, options: c.tracking))
                }
            } else {
                throw RunError.stageFailed(stage: "track", reason: "no detector and no --bbox_file")
            }
        } catch let error as RunError {
            throw error
        } catch {
            throw .badArguments("\(error)")
        }
        return TrackingStage(finder: finder, personIDs: Set(c.personIDs), noteFallback: { warnings.add($0) })
    }

    /// The regression stage around the network.
    func makeRegression(models: LoadedModels) throws(RunError) -> RegressionStage {
        RegressionStage(regressor: models.regressor!)
    }

    /// The smoothing stage, or nil without `--smooth`.
    func makeSmoothing(models: LoadedModels, info: StreamInfo) -> SmoothingStage? {
        guard let smoothing = configuration.smoothing else { return nil }
        return SmoothingStage(smoother: TrackSmoother(
            settings: smoothing.settings(fps: info.fps), bodyModel: models.bodyModel,
            imageWidth: info.width, imageHeight: info.height))
    }

    /// The smoothing settings as JSON, recorded in each track's `.npz` and in `run.json`
    /// ("null" without smoothing).
    func smoothingDescription(fps: Double) -> String {
        guard let smoothing = configuration.smoothing else { return "null" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(smoothing.settings(fps: fps)) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs the network on each batch of crops and turns its outputs into `PersonFrame`s placed in
/// their frames (full-image camera from the crop camera and the box).
struct RegressionStage: Stage {
    let regressor: any BodyRegressor

    mutating func process(_ batch: CropBatch) throws -> [FrameResult] {
        var frames = batch.frames
        let n = batch.owners.count
        guard n > 0 else { return frames }
        let output = try regressor.regress(Tensor(shape: [n, 3, 224, 224], data: batch.crops))
        let v3 = output.vertexCount * 3
        for (k, owner) in batch.owners.enumerated() {
            let frame = frames[owner.frame]
            let b = owner.person.box
            let box = SIMD4(b.centerX, b.centerY, b.width, b.height)
            let predCam = SIMD3(output.predCam[3 * k], output.predCam[3 * k + 1], output.predCam[3 * k + 2])
            let theta = output.theta[(85 * k)..<(85 * k + 85)]  // [cam 3 | betas 10 | pose 72]
            frames[owner.frame].people.append(PersonFrame(
                trackID: owner.person.trackID, frameIndex: frame.index, time: frame.time, box: box, predCam: predCam,
                origCam: WeakPerspectiveCamera.origCam(predCam: predCam, box: box, imageWidth: frame.width, imageHeight: frame.height),
                betas: Array(theta.dropFirst(3).prefix(10)),
                rotations: Array(output.rotations[(216 * k)..<(216 * k + 216)]),
                pose: Array(theta.suffix(72)),
                vertices: Array(output.vertices[(v3 * k)..<(v3 * k + v3)]),
                joints: Array(output.joints[(147 * k)..<(147 * k + 147)])))
        }
        for i in frames.indices { frames[i].people.sort { $0.trackID < $1.trackID } }
        return frames
    }

    mutating func finish() throws -> [FrameResult] { [] }
}
