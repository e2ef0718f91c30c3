import Foundation
import Testing
@testable import VideoIO

/// The real clips in `../shared/data`: sizes, counts and timestamps as the containers state them.
@Suite(.quietFFmpeg) struct RealClipTests {
    @Test func runnerDecodesTo180FramesOf1920x1088() throws {
        let decoder = try VideoDecoder(url: TestMaterial.runner)
        #expect(decoder.info.width == 1920)
        #expect(decoder.info.height == 1088)
        #expect(decoder.info.rotation == 0)
        #expect(decoder.info.codecName == "h264")
        #expect(decoder.info.timeBase == Rational(1, 15360))
        #expect(decoder.info.averageFrameRate == Rational(30, 1))
        #expect(decoder.info.frameCountEstimate == 180)
        #expect(abs(decoder.info.duration! - 6.0) < 1e-9)
        var count = 0
        var previousTime = -1.0
        while let frame = try decoder.nextFrame() {
            #expect(frame.index == count)
            #expect(frame.width == 1920 && frame.height == 1088)
            // 30 fps in a 1/15360 time base: frame n at n * 512 ticks, so n*512/15360 == n/30
            // up to the last bit of the division.
            #expect(abs(frame.time - Double(count) / 30) < 1e-12)
            #expect(frame.time > previousTime)
            previousTime = frame.time
            count += 1
        }
        #expect(count == 180)
        #expect(decoder.report.framesDelivered == 180)
        #expect(decoder.report.corruptPackets == 0)
        #expect(decoder.report.truncation == nil)
    }

    @Test func dancersDecodeTo567PortraitFrames() throws {
        // Single-threaded here: the suite runs in parallel and this clip is long.
        let decoder = try VideoDecoder(url: TestMaterial.dancers, options: DecodeOptions(threadCount: 1))
        #expect(decoder.info.width == 720 && decoder.info.height == 1280)
        var count = 0
        var last: VideoFrame?
        while let frame = try decoder.nextFrame() {
            count += 1
            last = frame
        }
        #expect(count == 567)
        #expect(last?.index == 566)
        #expect(abs(last!.time - 566.0 / 30) < 1e-9)
        #expect(decoder.report.corruptPackets == 0)
    }

    /// The runner clip has B-frames (decode order differs from presentation order), so this
    /// checks numbering across reordering as well as the seek.
    @Test func runnerFrameRangeEqualsTheSameSliceOfAFullDecode() throws {
        let range = 97...104
        let full = try TestMaterial.decodeAll(VideoDecoder(url: TestMaterial.runner, options: DecodeOptions(frameRange: 0...110)))
        let decoder = try VideoDecoder(url: TestMaterial.runner, options: DecodeOptions(frameRange: range))
        let slice = try TestMaterial.decodeAll(decoder)
        #expect(slice.map(\.index) == Array(range))
        #expect(slice == Array(full[range]))
    }
}
