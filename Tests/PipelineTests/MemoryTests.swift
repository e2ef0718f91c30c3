import Foundation
import Testing
import VideoIO
@testable import Pipeline

/// Memory stays flat with the video's length: a 4000-frame clip runs through every stage (boxes
/// from a file, the network stand-in, export, render, mattes) while resident memory is sampled.
/// Keeping every frame's pixels would add 4000 × 147 KiB ≈ 575 MiB and every frame's results
/// about 80 MiB more; the bound allows 96 MiB of growth after the first 800 frames, which covers
/// allocator noise and other suites running in the same process.
@Suite struct MemoryTests {
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return 0
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

        var configuration = try TestMaterial.configuration(.video(clip), output: folder)
        configuration.boxFile = boxFile
        configuration.mattes = true
        configuration.smoothing = .standard
        configuration.tracking.minTrackFrames = 1

        // Sample resident memory while the run goes, keyed by frames finished.
        let samples = Samples()
        let run = try TestMaterial.run(configuration)
        let sampler = DispatchSource.makeTimerSource(queue: .global())
        sampler.schedule(deadline: .now(), repeating: .milliseconds(20))
        sampler.setEventHandler { samples.add(run.framesFinished, Self.residentBytes()) }
        sampler.resume()
        let record = try run.run()
        sampler.cancel()

        #expect(record.frames.processed == frames)
        let early = samples.peak { $0 <= 800 }
        let late = samples.peak { $0 > 800 }
        #expect(early > 0 && late > 0)
        #expect(late - early < 96 << 20, "resident memory grew from \(early >> 20) MiB to \(late >> 20) MiB")
    }
}

/// (frames finished, resident bytes) pairs from the sampler.
private final class Samples: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [(frames: Int, bytes: Int)] = []
    func add(_ frames: Int, _ bytes: Int) { lock.withLock { values.append((frames, bytes)) } }
    func peak(where include: (Int) -> Bool) -> Int {
        lock.withLock { values.filter { include($0.frames) }.map(\.bytes).max() ?? 0 }
    }
}
