import BodyModel
import Export
import Foundation
import Smoothing

/// `pymaf-bench export`: exporter throughput on an SMPL-sized body (6890 vertices) and the
/// smoother's accuracy and speed. Targets (performance.md / issue): OBJ ≥ 100 frames/s on one
/// core; GLB, PC2, BVH and NPZ for 1000 frames < 1 s each; smoothing 1000 frames < 50 ms.
extension BenchmarkSuite {
    static var export: BenchmarkSuite {
        BenchmarkSuite(name: "export", summary: "exporters (6890-vertex frames) and smoothing", run: runExportBenchmarks)
    }
}

private func runExportBenchmarks() throws {
    let model = try ExportSampleBody.make()
    let video = ExportVideo(name: "bench", fps: 30, width: 1920, height: 1080)
    let template = ExportSampleBody.frame(model: model, trackID: 1, index: 0, fps: 30, width: 1920, height: 1080)
    func frames(_ count: Int) -> [PersonFrame] {
        (0..<count).map { i in
            var f = template
            f.frameIndex = i
            f.time = Double(i) / 30
            return f
        }
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pymaf-bench-export-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }

    /// (wall seconds, CPU seconds of this process) for one export; single-threaded code, so
    /// CPU seconds are the one-core figure even on a busy machine.
    func timeExport(_ formats: [ExportFormat], parameterTracks: Bool, pickle: Bool = true, frames input: [PersonFrame]) throws -> (wall: Double, cpu: Double) {
        try? FileManager.default.removeItem(at: folder)
        let start = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        let session = try ExportSession(outputFolder: folder, video: video,
                                        options: ExportOptions(formats: formats, parameterTracks: parameterTracks, vibePickle: pickle),
                                        bodyModel: model)
        for frame in input { try session.add(frame) }
        try session.finish()
        return (seconds(since: start), processCPUSeconds() - cpuStart)
    }

    let objFrames = 300
    let obj = try timeExport([.obj], parameterTracks: false, frames: frames(objFrames))
    print(String(format: "   OBJ sequence: %d frames: %.0f frames/s wall (%.3f s), %.0f frames/s per CPU second (target ≥ 100)",
                 objFrames, Double(objFrames) / obj.wall, obj.wall, Double(objFrames) / obj.cpu))
    let thousand = frames(1000)
    for (label, formats) in [("GLB", [ExportFormat.glb]), ("PC2 + rest OBJ", [.pc2]), ("BVH", [.bvh]), ("USDA (skeleton)", [.usda])] {
        let t = try timeExport(formats, parameterTracks: false, frames: thousand)
        print(String(format: "   %@: 1000 frames in %.3f s wall, %.3f s CPU (target < 1 s)", label, t.wall, t.cpu))
    }
    let npz = try timeExport([], parameterTracks: true, pickle: false, frames: thousand)
    print(String(format: "   NPZ (verts included, 83 MB): 1000 frames in %.3f s wall, %.3f s CPU (target < 1 s)", npz.wall, npz.cpu))
    let both = try timeExport([], parameterTracks: true, frames: thousand)
    print(String(format: "   NPZ + output.pkl (2 × 83 MB): 1000 frames in %.3f s wall, %.3f s CPU", both.wall, both.cpu))

    // Smoothing: filters alone, then with SMPL re-posing of every frame.
    var bank = 0.0
    _ = bank
    do {
        var smoother = TrackSmoother(settings: .standard, bodyModel: model, imageWidth: 1920, imageHeight: 1080)
        let start = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        var checksum: Float = 0
        for frame in thousand { checksum += smoother.filterOnly(frame).rotations[4] }
        bank = seconds(since: start) * 1000
        print(String(format: "   smoothing filters, 1000 frames of one track: %.2f ms wall, %.2f ms CPU (target < 50 ms; checksum %.3f)",
                     bank, (processCPUSeconds() - cpuStart) * 1000, checksum))
    }
    do {
        var smoother = TrackSmoother(settings: .standard, bodyModel: model, imageWidth: 1920, imageHeight: 1080)
        let cpuStart = processCPUSeconds()
        var count = 0
        for frame in thousand.prefix(200) { count += smoother.process(frame).count }
        print(String(format: "   smoothing + SMPL re-posing: %.2f ms CPU per frame (%d frames)", (processCPUSeconds() - cpuStart) * 1000 / Double(count), count))
    }

    print("   smoothing accuracy (synthetic 24-joint track, 3° noise, 6 rad/s turn; error in degrees, lag in ms):")
    let evaluation = SmoothingEvaluation()
    for (label, settings) in [("defaults (1.0 Hz, β 3.0)", SmoothingSettings.standard),
                              ("VIBE (0.004 cycles/frame, 0.7)", .vibe(fps: 30)), ("ROMP (3.0 Hz, 0.7)", .romp)] {
        let r = evaluation.evaluate(settings)
        print(String(format: "     %@: error %.2f° → %.2f°, fast-motion lag %.1f ms", label, r.rawError, r.smoothedError, r.fastLag))
    }
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// CPU time of this process (all threads), seconds.
private func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
