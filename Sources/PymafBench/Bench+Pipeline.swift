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
        // repeated, re-encoded frame by frame so the bench itself holds no frames). Each length
        // runs `pymaf-video` in a process of its own and the kernel's peak resident memory of
        // that process is compared: in this process the allocator still holds, scattered, what
        // the runs above freed, and that moves a later run's peak by tens of MiB whatever its
        // length (measured: 900, 300, 900 frames in one process peaked at 1594, 1644, 1621 MiB).
        let executable = try PeakMemory.siblingExecutable("pymaf-video")
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
            let output = scratch.appendingPathComponent("memory-\(length)")
            peaks.append(try PeakMemory.ofChild(executable, arguments: [
                "--vid_file", long.path, "--output_folder", output.path, "--frames", "0:\(length - 1)",
                "--checkpoint", assets.checkpoint.path, "--data_dir", root.appendingPathComponent("data").path,
                "--detector", root.appendingPathComponent("data/models/pose_detection.tflite").path, "--quiet",
            ]))
            let record = try RunRecord.read(from: output.appendingPathComponent("long/run.json"))
            print(String(format: "   memory: %d frames (render on, own process): peak resident %.0f MiB", record.frames.decoded,
                         Double(peaks.last!) / 1_048_576))
        }
        print(String(format: "   memory growth from %d to %d frames: %+.0f MiB (flat: within allocator noise, a few tens of MiB)",
                     lengths[0], lengths[1], Double(peaks[1] - peaks[0]) / 1_048_576))
    }
}

/// Peak resident memory of a child process.
enum PeakMemory {
    /// The executable named `name` built next to this one (`pymaf-video` beside `pymaf-bench`).
    ///
    /// - Throws: `BenchmarkFailure` saying how to build it when it is missing.
    static func siblingExecutable(_ name: String) throws(BenchmarkFailure) -> URL {
        let url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BenchmarkFailure("\(url.path) is missing: build it with `swift build -c release --product \(name)` (`make bench` does)")
        }
        return url
    }

    /// Runs `executable` with `arguments` to its end (standard output and error shared with
    /// this process) and returns its peak resident memory in bytes.
    ///
    /// The corresponding C functions are `posix_spawn` and `wait4` (its `ru_maxrss`, the child's
    /// own peak, not that of every child as `getrusage(RUSAGE_CHILDREN)` would give).
    ///
    /// - Throws: `BenchmarkFailure` when the process cannot start or does not exit with status 0.
    static func ofChild(_ executable: URL, arguments: [String]) throws(BenchmarkFailure) -> Int {
        let argv = ([executable.path] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = (argv + [nil]).withUnsafeBufferPointer { posix_spawn(&pid, executable.path, nil, nil, $0.baseAddress!, environ) }
        guard spawned == 0 else {
            throw BenchmarkFailure("cannot start \(executable.path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw BenchmarkFailure("waiting for \(executable.path): \(String(cString: strerror(errno)))") }
        }
        // Exited normally (no signal in the low 7 bits) with status 0 (the next 8 bits).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw BenchmarkFailure("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
        return usage.ru_maxrss * 1024  // KiB on Linux
    }
}
