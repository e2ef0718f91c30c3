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
        print("   wall: frames per elapsed second; cpu: frames per CPU second (user + system, all threads),")
        print("   the fairer ratio when other processes share the cores")
        for threads in [1, 0] {
            let ours = try medianRun(runs: runs) { try decodeAll(clip, threads: threads) }
            let arguments = ["-threads", String(threads)]
            let theirs = try medianRun(runs: runs) { try ffmpegDecode(clip, threadArguments: arguments) }
            let label = threads == 0 ? "auto threads" : "1 thread"
            print("   \(label): VideoDecoder \(ours.frames) frames \(fixed(ours.wallFPS)) fps wall, \(fixed(ours.cpuFPS)) fps cpu; "
                + "ffmpeg \(arguments.joined(separator: " ")) \(theirs.frames) frames \(fixed(theirs.wallFPS)) fps wall, "
                + "\(fixed(theirs.cpuFPS)) fps cpu")
            let wallRatio = theirs.wallFPS / ours.wallFPS
            let cpuRatio = theirs.cpuFPS / ours.cpuFPS
            let verdict = threads == 1 ? (max(wallRatio, cpuRatio) <= 1.2 ? "  target ≤ 1.2×: met" : "  target ≤ 1.2×: NOT met") : ""
            print("     ffmpeg/ours: \(fixed(wallRatio, 2))× wall, \(fixed(cpuRatio, 2))× cpu\(verdict)")
        }
        print("   VideoDecoder: decoder threads as stated; RGB conversion (libswscale, the frame's colour matrix) on the calling thread.")
        print("   ffmpeg: `ffmpeg -threads N -i clip -pix_fmt rgb24 -f null -`, times from its -benchmark line (rtime, utime + stime).")
    }

    private static func fixed(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    private struct Measurement {
        var frames: Int
        var wallSeconds: Double
        var cpuSeconds: Double
        var wallFPS: Double { Double(frames) / wallSeconds }
        var cpuFPS: Double { Double(frames) / cpuSeconds }
    }

    private static func medianRun(runs: Int, _ measure: () throws -> Measurement) throws -> Measurement {
        _ = try measure()
        let all = try (0..<runs).map { _ in try measure() }
        let wall = all.map(\.wallSeconds).sorted()[runs / 2]
        let cpu = all.map(\.cpuSeconds).sorted()[runs / 2]
        return Measurement(frames: all[0].frames, wallSeconds: wall, cpuSeconds: cpu)
    }

    /// User + system CPU seconds of this process so far (all threads).
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    private static func decodeAll(_ clip: URL, threads: Int) throws -> Measurement {
        let cpuStart = processCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let decoder = try VideoDecoder(url: clip, options: DecodeOptions(threadCount: threads))
        var frames = 0
        while try decoder.nextFrame() != nil { frames += 1 }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Measurement(frames: frames, wallSeconds: wall, cpuSeconds: processCPUSeconds() - cpuStart)
    }

    /// Runs the ffmpeg CLI and reads its own timing of the work (`-benchmark`: `utime=…s stime=…s rtime=…s`).
    private static func ffmpegDecode(_ clip: URL, threadArguments: [String]) throws -> Measurement {
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
        let words = output.split { $0 == " " || $0.isNewline }
        func seconds(_ key: String) -> Double? {
            words.first { $0.hasPrefix(key + "=") }.flatMap { Double($0.dropFirst(key.count + 1).dropLast()) }
        }
        guard process.terminationStatus == 0, let rtime = seconds("rtime"), let utime = seconds("utime"), let stime = seconds("stime")
        else {
            throw BenchmarkFailure("ffmpeg did not run as expected (install it with `make bench-deps`): \(output.suffix(300))")
        }
        let frames = output.components(separatedBy: "frame=").last
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) } ?? 0
        return Measurement(frames: frames, wallSeconds: rtime, cpuSeconds: utime + stime)
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
