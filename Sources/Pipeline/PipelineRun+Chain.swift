import BodyModel
import Export
import Foundation
import Render
import VideoIO

extension PipelineRun {
    /// Joins the stages on `runner` for this configuration.
    func buildChain(
        on runner: PipelineRunner, source: any FrameSource, models: LoadedModels, folder: URL, tally: RunTally,
        warnings: RunWarnings
    ) throws(RunError) {
        let c = configuration
        let capacities = c.queueCapacities
        let drawing = c.render || c.mattes
        let decoded = runner.source("decode", capacity: capacities.decoded) { try source.nextFrame() }
        var results: BoundedQueue<FrameResult>
        if let saved = models.saved {
            results = runner.stage(
                "lookup", ReconstructionLookup(saved: saved, keepPixels: drawing), input: decoded, capacity: capacities.results)
        } else {
            let tracked = runner.stage("track", try makeTracking(models: models, info: source.info, warnings: warnings), input: decoded, capacity: capacities.tracked)
            let batches = runner.stage(
                "crop", CropBatcher(batchSize: c.modelBatchSize, keepPixels: drawing), input: tracked, capacity: capacities.batches)
            results = runner.stage("regress", try makeRegression(models: models), input: batches, capacity: capacities.results)
            if let smoothing = makeSmoothing(models: models, info: source.info) {
                results = runner.stage("smooth", smoothing, input: results, capacity: capacities.results)
            }
        }
        if let export = try makeExport(models: models, info: source.info, folder: folder) {
            results = runner.stage("export", export, input: results, capacity: capacities.results)
        }
        if drawing {
            results = runner.stage("render", try makeRender(models: models, info: source.info, folder: folder), input: results, capacity: capacities.results)
        }
        runner.sink("tally", RunTally.Sink(tally: tally), input: results)
    }

    /// The export stage: parameter tracks (unless re-rendering a saved result), `--save_obj`
    /// and `--export` formats; nil when there is nothing to write.
    func makeExport(models: LoadedModels, info: StreamInfo, folder: URL) throws(RunError) -> ExportStage? {
        let c = configuration
        var formats = c.exportFormats
        if c.saveOBJ && !formats.contains(.obj) { formats.append(.obj) }
        let parameterTracks = models.saved == nil
        if formats.isEmpty && !parameterTracks { return nil }
        let options = ExportOptions(
            formats: formats, parameterTracks: parameterTracks, smoothingDescription: smoothingDescription(fps: info.fps))
        let video = ExportVideo(name: c.input.name, fps: info.fps, width: info.width, height: info.height)
        do {
            let session = try ExportSession(outputFolder: folder, video: video, options: options, bodyModel: models.bodyModel)
            return ExportStage(session: session)
        } catch {
            throw Self.classify(error)
        }
    }

    /// The render stage: `NAME_result.mp4` at the source's frame rate (`NAME_result.png` for a
    /// single image) and, with `--mattes`, the mattes.
    func makeRender(models: LoadedModels, info: StreamInfo, folder: URL) throws(RunError) -> RenderStage {
        let c = configuration
        let name = c.input.name
        do {
            let renderer = try OverlayRenderer(
                faces: models.bodyModel.faces, vertexCount: models.bodyModel.vertexCount, settings: c.renderSettings)
            let size = renderer.outputSize(sourceWidth: info.width, sourceHeight: info.height)
            var encoder: VideoEncoder?
            var still: URL?
            if c.render {
                if case .image = c.input {
                    still = folder.appendingPathComponent("\(name)_result.png")
                } else {
                    encoder = try VideoEncoder(
                        url: folder.appendingPathComponent("\(name)_result.mp4"), width: size.width, height: size.height,
                        frameRate: info.fps, options: VideoEncoder.Options(quality: c.videoQuality, preset: c.videoPreset))
                }
            }
            return RenderStage(
                renderer: renderer, encoder: encoder, stillImage: still,
                mattesFolder: c.mattes ? folder.appendingPathComponent("mattes", isDirectory: true) : nil)
        } catch {
            throw Self.classify(error)
        }
    }
}
