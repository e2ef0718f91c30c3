import Foundation
import PersonTracking
import Tensor
import VideoIO

/// `pymaf-bench tracking`: the person detector alone (one thread), and the detector + tracker +
/// crop over the runner clip. Targets: detector ≤ 8 ms/frame on one thread (LiteRT: 5.4),
/// tracker + crop ≤ 2 ms/frame.
extension BenchmarkSuite {
    static var tracking: BenchmarkSuite {
        BenchmarkSuite(name: "tracking", summary: "person detector, tracker and crop (targets: detector ≤ 8 ms, tracker + crop ≤ 2 ms)", run: runTrackingBench)
    }
}

private func runTrackingBench() throws {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let detector = try PersonDetector(modelURL: root.appendingPathComponent(PersonDetector.defaultModelPath))
    // Network time does not depend on the pixels: a synthetic 1920×1088 frame, letterboxed.
    var rgb = [UInt8](repeating: 0, count: 1920 * 1088 * 3)
    for i in rgb.indices { rgb[i] = UInt8(truncatingIfNeeded: (i / 3) % 1920 + (i % 3) * 70) }
    let frame = VideoFrame(index: 0, time: 0, width: 1920, height: 1088, rgb: rgb)
    let threads = BLAS.threadCount
    BLAS.threadCount = 1
    defer { BLAS.threadCount = threads }
    let perFrame = TrackingBenchTiming.median(runs: 5) {
        let start = DispatchTime.now()
        for _ in 0..<20 { _ = detector.detect(frame) }
        return TrackingBenchTiming.milliseconds(since: start) / 20
    }
    print(String(format: "   detector (whole frame, 1 thread): %.2f ms/frame  [target ≤ 8; LiteRT 5.4]", perFrame))
}

enum TrackingBenchTiming {
    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }

    /// Median of `runs` measurements after one warm-up.
    static func median(runs: Int, _ measure: () throws -> Double) rethrows -> Double {
        _ = try measure()
        let values = try (0..<runs).map { _ in try measure() }.sorted()
        return values[runs / 2]
    }
}
