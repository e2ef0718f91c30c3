import Foundation
import VideoIO

extension BenchmarkSuite {
    /// Decoding the 1080p runner clip to RGB24 with `VideoDecoder`, next to the ffmpeg command
    /// line doing the same conversion in the same run (target: within 1.2× of `ffmpeg -threads 1`).
    static var decode: BenchmarkSuite {
        BenchmarkSuite(
            name: "decode",
            summary: "1080p H.264 → RGB24 frames/s, VideoDecoder next to the ffmpeg CLI (target: within 1.2× of ffmpeg -threads 1)",
            run: DecodeBench.run)
    }
}

enum DecodeBench {
    static func run() throws {
        let clip = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/runner_1080p.mp4")
        let runs = 5
        print("   clip: \(clip.path); median of \(runs) runs after a warm-up")
        for threads in [1, 0] {
            let ours = try medianRun(runs: runs) { try decodeAll(clip, threads: threads) }
            let arguments = ["-threads", threads == 0 ? "0" : String(threads)]
            let theirs = try medianRun(runs: runs) { try ffmpegTranscodeSeconds(clip, threadArguments: arguments) }
            let label = threads == 0 ? "auto threads" : "\(threads) thread"
            let ratio = theirs.fps / ours.fps
            let verdict = threads == 1 ? (ratio <= 1.2 ? " (target ≤ 1.2×: met)" : " (target ≤ 1.2×: NOT met)") : ""
            print("   \(label): VideoDecoder \(fixed(ours.fps)) frames/s (\(ours.frames) frames), "
                + "ffmpeg \(arguments.joined(separator: " ")) \(fixed(theirs.fps)) frames/s (\(theirs.frames) frames) "
                + "→ ffmpeg/ours \(fixed(ratio, 2))×\(verdict)")
        }
        print("   VideoDecoder: decoder threads as stated, RGB conversion (libswscale, bicubic flags, frame's colour matrix) on the calling thread.")
        print("   ffmpeg: `ffmpeg <threads> -i clip -pix_fmt rgb24 -f null -`, time from its -benchmark rtime (excludes process start).")
    }

    private static func fixed(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    private struct Measurement {
        var frames: Int
        var seconds: Double
        var fps: Double { Double(frames) / seconds }
    }

    private static func medianRun(runs: Int, _ measure: () throws -> Measurement) throws -> Measurement {
        _ = try measure()
        let all = try (0..<runs).map { _ in try measure() }.sorted { $0.seconds < $1.seconds }
        return all[all.count / 2]
    }

    private static func decodeAll(_ clip: URL, threads: Int) throws -> Measurement {
        let start = DispatchTime.now().uptimeNanoseconds
        let decoder = try VideoDecoder(url: clip, options: DecodeOptions(threadCount: threads))
        var frames = 0
        while try decoder.nextFrame() != nil { frames += 1 }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Measurement(frames: frames, seconds: seconds)
    }

    /// Runs the ffmpeg CLI and reads its own timing of the work (`-benchmark`: `rtime=…s`).
    private static func ffmpegTranscodeSeconds(_ clip: URL, threadArguments: [String]) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-hide_banner", "-nostats", "-benchmark"] + threadArguments
            + ["-i", clip.path, "-pix_fmt", "rgb24", "-f", "null", "-"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let rtime = output.split(separator: " ").first(where: { $0.hasPrefix("rtime=") }),
            let seconds = Double(rtime.dropFirst("rtime=".count).dropLast())
        else {
            throw BenchmarkFailure("ffmpeg did not run (install it with `make bench-deps`): \(output.suffix(300))")
        }
        let frames = output.components(separatedBy: "frame=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) } ?? 0
        return Measurement(frames: frames, seconds: seconds)
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
