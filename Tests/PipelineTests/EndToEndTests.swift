import BodyModel
import Foundation
import ModelIO
import Testing
import VideoIO
@testable import Pipeline

/// The whole product on real clips: real decoding, the real BlazePose detector and tracker, real
/// crops, smoothing, every exporter and the renderer, with the network replaced by
/// `MeanPoseRegressor` (the demo's mean parameters on the procedural body: what the untrained
/// demo checkpoint predicts). Frame ranges and a quarter render ratio keep the suite within CI's time.
@Suite(.serialized, .quietFFmpeg) struct EndToEndTests {
    /// Decodes `url` and returns each frame's index and time (and the frames when asked).
    static func decode(_ url: URL, keep: Bool = false) throws -> (times: [Double], frames: [VideoFrame]) {
        let decoder = try VideoDecoder(url: url)
        var times: [Double] = []
        var frames: [VideoFrame] = []
        while let frame = try decoder.nextFrame() {
            times.append(frame.time)
            if keep { frames.append(frame) }
        }
        return (times, frames)
    }

    /// Runner clip, frames 30…59: one track; every output present and loadable; full-video frame
    /// numbers and the source's timestamps everywhere; the render has exactly that range.
    @Test func runnerOneTrackWithEveryOutput() throws {
        let out = try TestMaterial.scratchFolder("runner")
        var configuration = try TestMaterial.configuration(.video(TestMaterial.runner), output: out)
        configuration.frameRange = 30...59
        configuration.renderSettings.renderRatio = 0.25
        configuration.saveOBJ = true
        configuration.mattes = true
        configuration.exportFormats = [.glb, .pc2, .bvh, .usda]
        configuration.smoothing = .standard
        let record = try TestMaterial.run(configuration).run()

        let folder = out.appendingPathComponent("runner_1080p")
        #expect(record.status == .completed)
        #expect(record.tracks == [0])
        #expect(record.frames.decoded == 30 && record.frames.first == 30 && record.frames.last == 59)
        #expect(record.frames.processed == 30, "the detector finds the runner in every frame")

        // output.pkl: one track, frame ids 30…59, arrays of the body model's size.
        let vertexCount = try demoVertexCount()
        let saved = try SavedReconstruction.read(contentsOf: folder.appendingPathComponent("output.pkl"), vertexCount: vertexCount)
        #expect(saved.trackIDs == [0])
        #expect(saved.peopleByFrame.keys.sorted() == Array(30...59))

        // tracks/0000.npz with timestamps equal to the source's.
        let npz = try NPZArchive(contentsOf: folder.appendingPathComponent("tracks/0000.npz"))
        let source = try Self.decode(TestMaterial.runner)
        let times = try npz.array("timestamps").doubles()
        #expect(times.count == 30)
        for (i, t) in times.enumerated() { #expect(abs(t - source.times[30 + i]) < 1e-6) }
        #expect(try npz.array("frame_ids").int64s() == (30...59).map(Int64.init))

        // Overlay video: 30 frames, at the source's timestamps, a quarter of the size.
        let render = try VideoDecoder(url: folder.appendingPathComponent("runner_1080p_result.mp4"))
        #expect(render.info.width == 480)
        var renderTimes: [Double] = []
        while let frame = try render.nextFrame() { renderTimes.append(frame.time) }
        #expect(renderTimes.count == 30)
        #expect(abs(render.info.fps - 30) < 0.01)

        // Per-frame files, named by full-video frame number.
        let fm = FileManager.default
        for frame in [30, 59] {
            let name = String(format: "%06d", frame)
            #expect(fm.fileExists(atPath: folder.appendingPathComponent("meshes/0000/\(name).obj").path))
            #expect(fm.fileExists(atPath: folder.appendingPathComponent("mattes/0000/\(name).png").path))
            #expect(fm.fileExists(atPath: folder.appendingPathComponent("mattes/combined/\(name).png").path))
        }
        #expect(!fm.fileExists(atPath: folder.appendingPathComponent("meshes/0000/000029.obj").path))
        for suffix in [".glb", ".pc2", ".bvh", ".usda"] {
            #expect(fm.fileExists(atPath: folder.appendingPathComponent("runner_1080p_0000\(suffix)").path))
        }
        let json = try RunRecord.read(from: folder.appendingPathComponent("run.json"))
        #expect(json.input?.sha256.count == 64 && json.checkpoint?.sha256.count == 64)
        #expect(json.stages.map(\.name) == ["decode", "track", "crop", "regress", "smooth", "export", "render", "tally"])
        #expect(json.outputs.contains("output.pkl"))
        // No temporary or spool file is left behind.
        #expect(!json.outputs.contains { $0.contains(".tmp") || $0.contains("spool") })
    }

    /// Two dancers, frames 300…339 (both in view and apart): the tracker holds two people.
    @Test func dancersTwoTracks() throws {
        let out = try TestMaterial.scratchFolder("dancers")
        var configuration = try TestMaterial.configuration(.video(TestMaterial.dancers), output: out)
        configuration.frameRange = 300...339
        configuration.render = false
        let record = try TestMaterial.run(configuration).run()
        #expect(record.tracks.count == 2)
        #expect(record.video?.width == 720 && record.video?.height == 1280)
        // Both tracks' parameter files, frame ids within the range.
        for track in record.tracks {
            let npz = try NPZArchive(contentsOf: out.appendingPathComponent(String(format: "two_dancers_portrait/tracks/%04d.npz", track)))
            let ids = try npz.array("frame_ids").int64s()
            #expect(!ids.isEmpty && ids.allSatisfy { (300...339).contains($0) })
        }
    }

    /// `--recon_result_file`: rendering a saved output.pkl without the network reproduces the
    /// render (full size, where the overlay is exact) and the mattes.
    @Test func reconstructionFileReproducesTheRender() throws {
        let out = try TestMaterial.scratchFolder("recon")
        var first = try TestMaterial.configuration(.video(TestMaterial.runner), output: out.appendingPathComponent("first"))
        first.frameRange = 100...105
        first.mattes = true
        _ = try TestMaterial.run(first).run()
        let firstFolder = out.appendingPathComponent("first/runner_1080p")

        var again = first
        again.outputFolder = out.appendingPathComponent("again")
        again.reconstructionFile = firstFolder.appendingPathComponent("output.pkl")
        let a = try Self.decode(firstFolder.appendingPathComponent("runner_1080p_result.mp4"), keep: true)
        #expect(a.frames.count == 6)
        let record = try TestMaterial.run(again).run()
        #expect(record.stages.map(\.name) == ["decode", "lookup", "render", "tally"])
        let againFolder = out.appendingPathComponent("again/runner_1080p")
        let b = try Self.decode(againFolder.appendingPathComponent("runner_1080p_result.mp4"), keep: true)
        #expect(b.frames.count == 6)
        #expect(a.times == b.times)
        // The same meshes drawn on the same frames and encoded the same way: identical pixels.
        for (x, y) in zip(a.frames, b.frames) {
            let same = x.rgb == y.rgb  // (not inside #expect: it would print both frames)
            #expect(same, "frame \(x.index) differs")
        }
        for frame in 100...105 {
            let name = String(format: "mattes/0000/%06d.png", frame)
            let mine = try Data(contentsOf: firstFolder.appendingPathComponent(name))
            let again = try Data(contentsOf: againFolder.appendingPathComponent(name))
            #expect(mine == again, "\(name)")
        }
    }

    /// A `--frames` range shorter than --min_track_frames still tracks the person in it.
    @Test func shortRangeStillFindsThePerson() throws {
        let out = try TestMaterial.scratchFolder("short")
        var configuration = try TestMaterial.configuration(.video(TestMaterial.runner), output: out)
        configuration.frameRange = 100...101
        configuration.render = false
        let record = try TestMaterial.run(configuration).run()
        #expect(record.tracks == [0] && record.frames.processed == 2)
    }

    /// Ctrl-C: the run stops early, every file written is complete and consistent, and run.json
    /// says so.
    @Test func stopFinishesEveryWriter() throws {
        let out = try TestMaterial.scratchFolder("stop")
        var configuration = try TestMaterial.configuration(.video(TestMaterial.runner), output: out)
        configuration.renderSettings.renderRatio = 0.25
        let run = try TestMaterial.run(configuration)
        // Ctrl-C once five frames have come out of the pipeline.
        DispatchQueue.global().async {
            while run.framesFinished < 5 { Thread.sleep(forTimeInterval: 0.01) }
            run.requestStop()
        }
        #expect(throws: RunError.interrupted) { try run.run() }

        let folder = out.appendingPathComponent("runner_1080p")
        let json = try RunRecord.read(from: folder.appendingPathComponent("run.json"))
        #expect(json.status == .interrupted)
        #expect(json.frames.decoded > 0 && json.frames.decoded < 180)
        let npz = try NPZArchive(contentsOf: folder.appendingPathComponent("tracks/0000.npz"))
        #expect(try npz.array("frame_ids").int64s().count == json.frames.processed)
        let render = try Self.decode(folder.appendingPathComponent("runner_1080p_result.mp4"))
        #expect(render.times.count == json.frames.decoded)
    }

    private func demoVertexCount() throws -> Int {
        try TestMaterial.regressor.get().bodyModel.vertexCount
    }
}
