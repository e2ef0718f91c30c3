import ArgumentParser
import Foundation
import VideoIO

/// The interim `make demo` (until the full pipeline replaces it): writes a generated sample clip
/// with the VideoIO encoder, decodes it and encodes it again, and says what it did.
struct VideoIODemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "video-io-demo", abstract: "Encode, decode and re-encode a generated sample clip.", shouldDisplay: false)

    @Argument(help: "Folder for sample.mp4 and sample_reencoded.mp4.")
    var folder: String = "data/demo"

    func run() throws {
        FFmpegLogLevel.set(.quiet)
        let out = URL(fileURLWithPath: folder, isDirectory: true)
        let sample = out.appendingPathComponent("sample.mp4")
        let copy = out.appendingPathComponent("sample_reencoded.mp4")
        do {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let (width, height, fps, count) = (640, 360, 30.0, 90)
            let encoder = try VideoEncoder(url: sample, width: width, height: height, frameRate: fps)
            for i in 0..<count { try encoder.append(.testPattern(index: i, time: Double(i) / fps, width: width, height: height)) }
            try encoder.finish()
            print("wrote \(sample.path): \(count) generated frames, \(width)x\(height) at \(Int(fps)) fps (\(encoder.encoderName))")

            let decoder = try VideoDecoder(url: sample)
            let info = decoder.info
            print("probed: \(info.codecName) \(info.width)x\(info.height), \(info.fps) fps, time base \(info.timeBase), "
                + "\(info.frameCountEstimate.map(String.init) ?? "?") frames")
            let reencoder = try VideoEncoder(url: copy, width: info.width, height: info.height, frameRate: info.fps)
            while let frame = try decoder.nextFrame() { try reencoder.append(frame) }
            try reencoder.finish()
            let report = decoder.report
            print("decoded \(report.framesDelivered) frames (\(report.firstTime ?? 0)–\(report.lastTime ?? 0) s, "
                + "\(report.corruptPackets) corrupt packets) and re-encoded them to \(copy.path)")
            print("this is the interim demo of video input/output; the full PyMAF pipeline replaces it")
        } catch let error as VideoIOError {
            FileHandle.standardError.write(Data("pymaf-video: \(error)\n".utf8))
            throw ExitCode(3)
        }
    }
}
