import DemoAssets
import Foundation
import Pipeline
import Tensor
import VideoIO

// `pymaf-bench pipeline`: end-to-end frames/s on the 1080p runner clip with a full-size untrained
// checkpoint (the demo checkpoint: PyMAF's real architecture), without and with the overlay
// render (float32, then --precision bfloat16 where Intel AMX is usable), per-stage busy time and
// the bottleneck; then peak memory on a short and a long clip.
extension BenchmarkSuite {
    static var pipeline: BenchmarkSuite {
        BenchmarkSuite(
            name: "pipeline",
            summary: "end to end on runner_1080p.mp4 (targets ≥ 15 frames/s without render, ≥ 10 with), stages, memory",
            run: runPipeline)
    }

    private static func runPipeline() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let clip = root.deletingLastPathComponent().appendingPathComponent("shared/data/runner_1080p.mp4")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pymaf-bench-pipeline-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let assets = try DemoAssets.prepare(in: root.appendingPathComponent("data/demo"))

        func configuration(_ input: URL, render: Bool) -> RunConfiguration {
            var c = RunConfiguration(input: .video(input))
            c.checkpoint = assets.checkpoint
            c.dataDirectory = root.appendingPathComponent("data")
            c.detectorModel = root.appendingPathComponent("data/models/pose_detection.tflite")
            c.outputFolder = scratch.appendingPathComponent(render ? "render" : "norender")
            c.render = render
            c.quiet = true
            return c
        }

        // float32 (the default), then --precision bfloat16 where Intel AMX makes it fast.
        var runs: [(render: Bool, precision: Precision)] = [(false, .float32), (true, .float32)]
        if BFloat16GEMM.amxUsable { runs += [(false, .bfloat16), (true, .bfloat16)] }
        for (render, precision) in runs {
            var c = configuration(clip, render: render)
            c.precision = precision
            let record = try PipelineRun(configuration: c, regressor: .pyMAF).run()
            let wall = record.stages.map(\.wallSeconds).max() ?? record.elapsedSeconds
            let rate = Double(record.frames.decoded) / wall
            let target = render ? 10.0 : 15.0
            print(String(format: "   %@, %@: %d frames in %.2f s = %.1f frames/s (target ≥ %.0f: %@); %.2f s with model loading",
                         precision.rawValue, render ? "with render   " : "without render", record.frames.decoded, wall, rate, target,
                         rate >= target ? "met" : "NOT met", record.elapsedSeconds))
            for stage in record.stages {
                print(String(format: "      %-8@ busy %6.2f s (%5.1f ms/frame)  waiting for input %6.2f s",
                             stage.name, stage.busySeconds, 1000 * stage.busySeconds / Double(max(record.frames.decoded, 1)),
                             stage.waitingForInputSeconds))
            }
            if let bottleneck = record.stages.bottleneck {
                print("      bottleneck: \(bottleneck.name)")
            }
        }

        // Memory: a 300-frame and a 900-frame 1080p clip of the same content (the runner clip
        // repeated, re-encoded frame by frame so the bench itself holds no frames). Each run's
        // own peak resident memory (the peak is reset before it) must not grow with length.
        let long = scratch.appendingPathComponent("long.mp4")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let lengths = [300, 900]
        var source = try VideoDecoder(url: clip)
        let info = source.info
        let encoder = try VideoEncoder(url: long, width: info.width, height: info.height, frameRate: info.fps)
        var written = 0
        while written < lengths.max()! {
            guard var frame = try source.nextFrame() else {
                source = try VideoDecoder(url: clip)
                continue
            }
            frame.index = written
            frame.time = Double(written) / info.fps
            try encoder.append(frame)
            written += 1
        }
        try encoder.finish()
        var peaks: [Int] = []
        for length in lengths {
            var c = configuration(long, render: true)
            c.frameRange = 0...(length - 1)
            c.outputFolder = scratch.appendingPathComponent("memory-\(length)")
            let reset = PeakMemory.reset()
            let record = try PipelineRun(configuration: c, regressor: .pyMAF).run()
            peaks.append(PeakMemory.residentBytes())
            print(String(format: "   memory: %d frames (render on): peak resident %.0f MiB %@", record.frames.decoded,
                         Double(peaks.last!) / 1_048_576, reset ? "during this run" : "(peak not reset: includes earlier runs)"))
        }
        print(String(format: "   memory growth from %d to %d frames: %+.0f MiB (flat: within allocator noise, a few tens of MiB)",
                     lengths[0], lengths[1], Double(peaks[1] - peaks[0]) / 1_048_576))
    }
}

/// The process's peak resident memory (`VmHWM` of /proc/self/status), in bytes.
enum PeakMemory {
    /// Resets the peak to the current resident size (writes 5 to /proc/self/clear_refs); false
    /// when the kernel refuses.
    static func reset() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kib = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kib * 1024
        }
        return 0
    }
}
