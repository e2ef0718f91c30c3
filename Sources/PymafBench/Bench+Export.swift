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

    func timeExport(_ formats: [ExportFormat], parameterTracks: Bool, frames input: [PersonFrame]) throws -> Double {
        try? FileManager.default.removeItem(at: folder)
        let start = ContinuousClock.now
        let session = try ExportSession(outputFolder: folder, video: video,
                                        options: ExportOptions(formats: formats, parameterTracks: parameterTracks), bodyModel: model)
        for frame in input { try session.add(frame) }
        try session.finish()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    let objFrames = 300
    let objSeconds = try timeExport([.obj], parameterTracks: false, frames: frames(objFrames))
    print(String(format: "   OBJ sequence: %d frames in %.3f s = %.0f frames/s (target ≥ 100)", objFrames, objSeconds, Double(objFrames) / objSeconds))
    let thousand = frames(1000)
    for (label, formats) in [("GLB", [ExportFormat.glb]), ("PC2 + rest OBJ", [.pc2]), ("BVH", [.bvh]), ("USDA (skeleton)", [.usda])] {
        let seconds = try timeExport(formats, parameterTracks: false, frames: thousand)
        print(String(format: "   %@: 1000 frames in %.3f s (target < 1 s)", label, seconds))
    }
    let npz = try timeExport([], parameterTracks: true, frames: thousand)
    print(String(format: "   NPZ + output.pkl (verts included, 2 × 83 MB): 1000 frames in %.3f s (target < 1 s)", npz))

    // Smoothing: filters alone, then with SMPL re-posing of every frame.
    var bank = 0.0
    do {
        var smoother = TrackSmoother(settings: .standard, bodyModel: model, imageWidth: 1920, imageHeight: 1080)
        let start = ContinuousClock.now
        var checksum: Float = 0
        for frame in thousand { checksum += smoother.filterOnly(frame).rotations[4] }
        let elapsed = ContinuousClock.now - start
        bank = Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1e3
        print(String(format: "   smoothing filters, 1000 frames of one track: %.2f ms (target < 50 ms; checksum %.3f)", bank, checksum))
    }
    do {
        var smoother = TrackSmoother(settings: .standard, bodyModel: model, imageWidth: 1920, imageHeight: 1080)
        let start = ContinuousClock.now
        var count = 0
        for frame in thousand.prefix(200) { count += smoother.process(frame).count }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1e3
        print(String(format: "   smoothing + SMPL re-posing: %.2f ms per frame (%d frames)", ms / Double(count), count))
    }

    print("   smoothing accuracy (synthetic 24-joint track, 3° noise, 6 rad/s turn; error in degrees, lag in ms):")
    let evaluation = SmoothingEvaluation()
    for (label, settings) in [("defaults (1.0 Hz, β 3.0)", SmoothingSettings.standard),
                              ("VIBE (0.004 cycles/frame, 0.7)", .vibe(fps: 30)), ("ROMP (3.0 Hz, 0.7)", .romp)] {
        let r = evaluation.evaluate(settings)
        print(String(format: "     %@: error %.2f° → %.2f°, fast-motion lag %.1f ms", label, r.rawError, r.smoothedError, r.fastLag))
    }
}
