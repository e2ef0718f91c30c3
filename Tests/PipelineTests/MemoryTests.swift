import Foundation
import Testing
import VideoIO
@testable import Pipeline

/// Memory stays flat with the video's length: the `pymaf-video` executable runs a 4000-frame clip
/// through every stage (boxes from a file, the small PyMAF fixture, smoothing, export, render,
/// mattes) while its resident memory is sampled from `/proc/<pid>/status`. A child process, so
/// the suites running beside this one in the test process do not count.
///
/// Keeping every frame's pixels would add 4000 × 147 KiB ≈ 575 MiB, and every frame's results
/// about 80 MiB more. Throughput is steady, so such growth would put at least 30% of it (≈ 170
/// MiB) between the peak of the first 35% of the run's time and the peak of its last 35%; the
/// bound allows 96 MiB, which covers allocator noise.
@Suite(.quietFFmpeg) struct MemoryTests {
    static func residentBytes(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
        }
        return nil
    }

    @Test func residentMemoryIsFlatWithLength() throws {
        let folder = try TestMaterial.scratchFolder("memory")
        let clip = folder.appendingPathComponent("long.mp4")
        let frames = 4000, width = 256, height = 192
        let encoder = try VideoEncoder(url: clip, width: width, height: height, frameRate: 30)
        var boxes = "frame,track,cx,cy,w,h\n"
        for i in 0..<frames {
            try encoder.append(VideoFrame.testPattern(index: i, time: Double(i) / 30, width: width, height: height))
            boxes += "\(i),0,128,96,150,150\n"
        }
        try encoder.finish()
        let boxFile = folder.appendingPathComponent("boxes.csv")
        try boxes.write(to: boxFile, atomically: true, encoding: .utf8)

        let fixtures = TestMaterial.root.appendingPathComponent("Tests/PyMAFTests/Fixtures")
        let process = Process()
        process.executableURL = TestMaterial.executable
        process.arguments = [
            "--vid_file", clip.path, "--output_folder", folder.path, "--bbox_file", boxFile.path,
            "--checkpoint", fixtures.appendingPathComponent("pymaf_small_zip.pt").path,
            "--data_dir", fixtures.appendingPathComponent("data_small").path,
            "--smooth", "--mattes", "--min_track_frames", "1", "--threads", "1", "--quiet",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice

        // (seconds since start, resident bytes), sampled every 20 ms until the process ends.
        let samples = Samples()
        try process.run()
        let pid = process.processIdentifier
        let start = DispatchTime.now().uptimeNanoseconds
        let sampler = DispatchSource.makeTimerSource(queue: .global())
        sampler.schedule(deadline: .now(), repeating: .milliseconds(20))
        sampler.setEventHandler {
            if let bytes = Self.residentBytes(of: pid) {
                samples.add(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, bytes)
            }
        }
        sampler.resume()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        sampler.cancel()
        #expect(process.terminationStatus == 0, "stderr: \(text)")

        let record = try RunRecord.read(from: folder.appendingPathComponent("long/run.json"))
        #expect(record.frames.processed == frames)
        let duration = samples.lastTime
        let early = samples.peak { $0 <= 0.35 * duration }
        let late = samples.peak { $0 >= 0.65 * duration }
        #expect(early > 0 && late > 0)
        #expect(late - early < 96 << 20, "resident memory grew from \(early >> 20) MiB to \(late >> 20) MiB")
    }
}

/// (seconds, resident bytes) pairs from the sampler.
private final class Samples: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [(time: Double, bytes: Int)] = []
    func add(_ time: Double, _ bytes: Int) { lock.withLock { values.append((time, bytes)) } }
    var lastTime: Double { lock.withLock { values.last?.time ?? 0 } }
    func peak(where include: (Double) -> Bool) -> Int {
        lock.withLock { values.filter { include($0.time) }.map(\.bytes).max() ?? 0 }
    }
}
