import Foundation
import Testing
import VideoIO
@testable import PersonTracking

/// The crop against OpenCV 4.10's `warpAffine` (tools/make_crop_fixtures.py): every warped byte
/// (by FNV-1a hash), sampled pixels exactly, normalized values within 1e-6.
@Suite struct PersonCropperTests {
    struct Case: Decodable {
        var image: String
        var box: [Float]
        var fnv1a64: String
        var samples: [[Int]]
        var pixels: [[Int]]
        var normalized: [[Float]]
    }

    static func pattern() -> VideoFrame {
        var rgb = [UInt8](repeating: 0, count: 640 * 360 * 3)
        for y in 0..<360 { for x in 0..<640 { for c in 0..<3 { rgb[(y * 640 + x) * 3 + c] = UInt8((7 * x + 13 * y + 101 * c) % 256) } } }
        return VideoFrame(index: 0, time: 0, width: 640, height: 360, rgb: rgb)
    }

    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    @Test func matchesOpenCVWarpAffine() throws {
        struct File: Decodable { var cases: [Case] }
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: TestPaths.fixture("crop_fixtures.json"))).cases
        #expect(cases.count == 6)
        let images = ["coco": try TestPaths.cocoFrame(), "pattern": Self.pattern()]
        for c in cases {
            let frame = try #require(images[c.image])
            let box = PersonBox(centerX: c.box[0], centerY: c.box[1], width: c.box[2], height: c.box[3])
            let warped = PersonCropper.warp(frame, box: box)
            let crop = PersonCropper.crop(frame, box: box)
            for (k, s) in c.samples.enumerated() {
                let (y, x) = (s[0], s[1])
                #expect((0..<3).map { Int(warped[(y * 224 + x) * 3 + $0]) } == c.pixels[k], "\(c.image) \(c.box) pixel (\(x), \(y))")
                for ch in 0..<3 {
                    #expect(abs(crop[ch * 224 * 224 + y * 224 + x] - c.normalized[k][ch]) < 1e-6)
                }
            }
            #expect(String(Self.fnv1a64(warped)) == c.fnv1a64, "\(c.image) \(c.box): warped bytes differ from OpenCV's")
        }
    }

    @Test func degenerateBoxesGiveBlackCrops() throws {
        let frame = try TestPaths.cocoFrame()
        for box in [PersonBox(centerX: 10, centerY: 10, width: 0, height: 0), PersonBox(centerX: .nan, centerY: 0, width: 10, height: 10),
                    PersonBox(centerX: 1e30, centerY: -1e30, width: 5, height: 5)] {
            #expect(PersonCropper.warp(frame, box: box).allSatisfy { $0 == 0 })
        }
    }
}
