import Foundation
import Testing
@testable import VideoIO

/// A range A…B gives exactly the frames a full decode numbers A…B, pixel for pixel.
@Suite(.quietFFmpeg) struct FrameRangeTests {
    /// 72 frames of H.264 with B-frames and a keyframe every 24 frames (2 s at 12 fps), so ranges
    /// start inside groups of pictures and the seek must go back to an earlier keyframe.
    static func makeClip(in folder: URL) throws -> URL {
        let clip = folder.appendingPathComponent("range.mp4")
        try TestMaterial.writeClip(clip, times: (0..<72).map { Double($0) / 12 })
        return clip
    }

    @Test(arguments: [30...41, 24...24, 0...5, 47...71, 60...500])
    func rangeEqualsTheSameSliceOfAFullDecode(range: ClosedRange<Int>) throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Self.makeClip(in: folder)
        let full = try TestMaterial.decodeAll(VideoDecoder(url: clip))
        #expect(full.count == 72)
        let decoder = try VideoDecoder(url: clip, options: DecodeOptions(frameRange: range))
        let slice = try TestMaterial.decodeAll(decoder)
        let expected = Array(full[range.clamped(to: 0...71)])
        #expect(slice.map(\.index) == expected.map(\.index))
        #expect(slice == expected)
        #expect(decoder.report.framesDelivered == expected.count)
        #expect(decoder.report.firstTime == expected.first?.time)
    }

    @Test func rangeStartingAfterTheLastFrameIsAnError() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Self.makeClip(in: folder)
        #expect(throws: VideoIOError.frameRangeOutOfBounds(path: clip.path, range: 72...80, frameCount: 72)) {
            _ = try VideoDecoder(url: clip, options: DecodeOptions(frameRange: 72...80))
        }
    }
}
