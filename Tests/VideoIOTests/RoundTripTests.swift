import Foundation
import Testing
@testable import VideoIO

/// Encode generated frames with `VideoEncoder`, decode them with `VideoDecoder`, compare.
@Suite(.quietFFmpeg) struct RoundTripTests {
    /// Both codecs the encoder may choose. The thresholds are what these codecs reach on the
    /// test pattern at the default quality (x264 CRF 18, MPEG-4 qscale 3) with 4:2:0 chroma, which
    /// blurs colour across the square's and disc's sharp edges: measured PSNR 31.1–40 dB and mean
    /// error below 2 levels. A wrong frame, colour matrix or range falls far below (≈ 9–20 dB).
    @Test(arguments: [VideoEncoder.Codec.h264, .mpeg4])
    func framesComeBackInOrderWithTheirTimesWithinCodecLoss(codec: VideoEncoder.Codec) throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("round-trip.mp4")
        let times = (0..<36).map { Double($0) / 12 }
        let written = try TestMaterial.writeClip(clip, times: times, options: .init(codec: codec))

        let decoder = try VideoDecoder(url: clip)
        #expect(decoder.info.codecName == (codec == .h264 ? "h264" : "mpeg4"))
        #expect(decoder.info.width == 160 && decoder.info.height == 96)
        #expect(decoder.info.frameCountEstimate == 36)
        #expect(abs(decoder.info.fps - 12) < 1e-9)
        let decoded = try TestMaterial.decodeAll(decoder)
        #expect(decoded.count == 36)
        #expect(decoded.map(\.index) == Array(0..<36))
        for (original, back) in zip(written, decoded) {
            #expect(abs(back.time - original.time) < 1e-6)
            let psnr = TestMaterial.psnr(original.rgb, back.rgb)
            #expect(psnr > 29, "frame \(original.index): \(psnr) dB")
            #expect(TestMaterial.meanAbsoluteError(original.rgb, back.rgb) < 3)
        }
        // Order: each decoded frame is closer to its own source than to its neighbour's.
        for i in 1..<36 {
            #expect(TestMaterial.meanAbsoluteError(written[i].rgb, decoded[i].rgb)
                < TestMaterial.meanAbsoluteError(written[i - 1].rgb, decoded[i].rgb))
        }
        #expect(decoder.report == {
            var report = DecodeReport()
            report.framesDelivered = 36
            report.firstTime = 0
            report.lastTime = decoded.last!.time
            return report
        }())
    }

    /// The preset and CRF reach x264: it records the settings it ran with in the stream
    /// (`subme` is 0 for ultrafast, 1 for superfast, 2 for veryfast; `cabac` is off only in
    /// ultrafast), and every preset's file decodes.
    @Test(arguments: [(VideoEncoder.Preset.ultrafast, "subme=0", "cabac=0"), (.superfast, "subme=1", "cabac=1"),
                      (.veryfast, "subme=2", "cabac=1")])
    func presetAndQualityReachX264(_ c: (VideoEncoder.Preset, String, String)) throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("\(c.0.rawValue).mp4")
        try TestMaterial.writeClip(clip, times: (0..<6).map { Double($0) / 12 }, options: .init(codec: .h264, quality: 23, preset: c.0))
        let text = String(decoding: try Data(contentsOf: clip), as: UTF8.self)
        #expect(text.contains(c.1) && text.contains(c.2) && text.contains("crf=23.0"), "\(c.0)")
        #expect(try TestMaterial.decodeAll(VideoDecoder(url: clip)).count == 6)
    }

    @Test func variableFrameRateTimesComeFromTimestamps() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("vfr.mp4")
        // Irregular gaps at a nominal 10 fps: index / fps would be wrong for all but the first.
        let times = [0, 0.05, 0.3, 0.31, 0.7, 0.75, 1.5, 1.52, 1.9, 2.6]
        try TestMaterial.writeClip(clip, times: times, frameRate: 10)
        let decoded = try TestMaterial.decodeAll(VideoDecoder(url: clip))
        #expect(decoded.map(\.index) == Array(0..<times.count))
        // The encoder's clock has 40960 ticks/s at 10 fps: times come back within half a tick.
        for (frame, time) in zip(decoded, times) {
            #expect(abs(frame.time - time) <= 0.5 / 40960 + 1e-9, "frame \(frame.index): \(frame.time) vs \(time)")
        }
    }

    @Test func encoderWritesUnderATemporaryNameUntilFinished() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("partial.mp4")
        var encoder: VideoEncoder? = try VideoEncoder(url: clip, width: 64, height: 48, frameRate: 25)
        try encoder!.append(.testPattern(index: 0, time: 0, width: 64, height: 48))
        #expect(!FileManager.default.fileExists(atPath: clip.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1)
        // Abandoned before finish: nothing is left behind, not even the temporary file.
        encoder = nil
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let finished = try VideoEncoder(url: clip, width: 64, height: 48, frameRate: 25)
        try finished.append(.testPattern(index: 0, time: 0, width: 64, height: 48))
        try finished.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["partial.mp4"])
    }

    @Test func encoderRejectsAFrameOfAnotherSize() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("size.mp4")
        let encoder = try VideoEncoder(url: clip, width: 64, height: 48, frameRate: 25)
        #expect(throws: VideoIOError.frameMismatch(path: clip.path, reason: "frame 0 is 48x64, the video is 64x48")) {
            try encoder.append(.testPattern(index: 0, time: 0, width: 48, height: 64))
        }
    }

    @Test func encoderIntoAMissingFolderFailsNamingTheFile() throws {
        let clip = URL(fileURLWithPath: "/nonexistent-folder-\(UUID().uuidString)/out.mp4")
        #expect {
            _ = try VideoEncoder(url: clip, width: 64, height: 48, frameRate: 25)
        } throws: { error in
            guard case VideoIOError.writingFailed(let path, _) = error else { return false }
            return path == clip.path
        }
    }
}
