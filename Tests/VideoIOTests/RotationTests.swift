import Foundation
import Testing
@testable import VideoIO

@Suite(.quietFFmpeg) struct RotationTests {
    /// The plain reference: clockwise quarter turns one pixel at a time.
    static func referenceClockwise(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rgb.count)
        // Clockwise: source (x, y) lands at (height - 1 - y, x) in a height-wide picture.
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 { out[(x * height + (height - 1 - y)) * 3 + c] = rgb[(y * width + x) * 3 + c] }
            }
        }
        return out
    }

    @Test(arguments: [90, 180, 270])
    func blockedRotationEqualsQuarterTurnsOfTheReference(degrees: Int) {
        // Odd sizes larger than one 32-pixel block on both axes.
        var (width, height) = (37, 70)
        let rgb = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        let rotated = FrameRotation.rotate(rgb, width: width, height: height, clockwiseDegrees: degrees)
        var expected = rgb
        for _ in 0..<(degrees / 90) {
            expected = Self.referenceClockwise(expected, width: width, height: height)
            (width, height) = (height, width)
        }
        #expect(rotated.width == width && rotated.height == height)
        #expect(rotated.rgb == expected)
    }

    @Test func displayMatrixAnglesMapToClockwiseTurns() {
        // av_display_rotation_get gives counterclockwise degrees; phones store -90 for portrait.
        #expect(FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: -90) == 90)
        #expect(FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: 90) == 270)
        #expect(FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: 180) == 180)
        #expect(FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: -180) == 180)
        #expect(FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: 0) == 0)
        #expect(FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: -89.6) == 90)
        #expect(FrameRotation.clockwiseDegrees(fromDisplayMatrixAngle: .nan) == 0)
    }

    /// A landscape clip stored with a 90° display matrix (as a phone records portrait) decodes
    /// upright: width and height swap and the pictures are the originals turned clockwise.
    @Test func clipWithA90DegreeDisplayMatrixDecodesUpright() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("phone.mp4")
        let written = try TestMaterial.writeClip(
            clip, times: (0..<6).map { Double($0) / 12 }, width: 160, height: 96, options: .init(displayRotation: 90))

        let upright = try VideoDecoder(url: clip)
        #expect(upright.info.rotation == 90)
        #expect(upright.info.width == 96 && upright.info.height == 160)
        #expect(upright.info.storedWidth == 160 && upright.info.storedHeight == 96)
        let frames = try TestMaterial.decodeAll(upright)
        #expect(frames.count == 6)
        for (original, frame) in zip(written, frames) {
            #expect(frame.width == 96 && frame.height == 160)
            let turned = Self.referenceClockwise(original.rgb, width: 160, height: 96)
            // Same codec-loss bound as the round trip; the unturned picture would be far off.
            #expect(TestMaterial.psnr(turned, frame.rgb) > 29)
        }

        let stored = try VideoDecoder(url: clip, options: DecodeOptions(applyRotation: false))
        #expect(stored.info.rotation == 90)
        #expect(stored.info.width == 160 && stored.info.height == 96)
        let first = try #require(try stored.nextFrame())
        #expect(first.width == 160 && first.height == 96)
        #expect(TestMaterial.psnr(written[0].rgb, first.rgb) > 29)
    }
}
