import Foundation
@testable import VideoIO

/// Where tests find real clips and make their own material.
enum TestMaterial {
    /// `../shared/data` beside the repository root (computed from this file's path).
    static let sharedData: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    static var runner: URL { sharedData.appendingPathComponent("runner_1080p.mp4") }
    static var dancers: URL { sharedData.appendingPathComponent("two_dancers_portrait.mp4") }
    static var cocoImage: URL { sharedData.appendingPathComponent("coco_person.jpg") }

    /// A fresh temporary folder, removed by the caller with `removeItem`.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("videoio-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Every frame of a source.
    static func decodeAll(_ source: FrameSource) throws -> [VideoFrame] {
        var frames: [VideoFrame] = []
        while let frame = try source.nextFrame() { frames.append(frame) }
        return frames
    }
}

extension TestMaterial {
    /// Encodes test-pattern frames at the given times into `url` and returns the frames written.
    @discardableResult
    static func writeClip(
        _ url: URL, times: [Double], width: Int = 160, height: Int = 96, frameRate: Double = 12,
        options: VideoEncoder.Options = .init()
    ) throws -> [VideoFrame] {
        let encoder = try VideoEncoder(url: url, width: width, height: height, frameRate: frameRate, options: options)
        let frames = times.enumerated().map { VideoFrame.testPattern(index: $0.offset, time: $0.element, width: width, height: height) }
        for frame in frames { try encoder.append(frame) }
        try encoder.finish()
        return frames
    }

    /// Mean absolute difference per byte of two pictures of one size.
    static func meanAbsoluteError(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count)
        var sum = 0
        for i in 0..<a.count { sum += abs(Int(a[i]) - Int(b[i])) }
        return Double(sum) / Double(a.count)
    }

    /// Peak signal-to-noise ratio in dB of two pictures of one size.
    static func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        var squared = 0.0
        for i in 0..<a.count {
            let d = Double(a[i]) - Double(b[i])
            squared += d * d
        }
        let mse = squared / Double(a.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }
}
