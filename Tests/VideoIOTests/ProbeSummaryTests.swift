import Foundation
import Testing
@testable import VideoIO

@Suite struct ProbeSummaryTests {
    @Test func frameRangesParse() {
        #expect(DecodeOptions.parseFrameRange("10:20") == 10...20)
        #expect(DecodeOptions.parseFrameRange("7:7") == 7...7)
        #expect(DecodeOptions.parseFrameRange("5:") == 5...Int.max)
        #expect(DecodeOptions.parseFrameRange(":9") == 0...9)
        #expect(DecodeOptions.parseFrameRange("20:10") == nil)
        #expect(DecodeOptions.parseFrameRange("-1:3") == nil)
        #expect(DecodeOptions.parseFrameRange("12") == nil)
        #expect(DecodeOptions.parseFrameRange("a:b") == nil)
    }

    /// The JSON `pymaf-video probe --decode --frames 3:8` prints for a generated 24-frame clip.
    @Test func probeWithDecodeReportsStreamAndDecode() throws {
        let folder = try TestMaterial.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("probe.mp4")
        try TestMaterial.writeClip(clip, times: (0..<24).map { Double($0) / 12 }, options: .init(displayRotation: 90))
        let summary = try ProbeSummary.probe(url: clip, frameRange: 3...8, decode: true)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any])
        #expect(json["file"] as? String == clip.path)
        #expect(json["width"] as? Int == 96)
        #expect(json["height"] as? Int == 160)
        #expect(json["rotation"] as? Int == 90)
        #expect(json["fps"] as? Double == 12)
        #expect(json["frame_count_estimate"] as? Int == 24)
        #expect((json["time_base"] as? String)?.hasPrefix("1/") == true)
        #expect(abs((json["duration"] as? Double ?? 0) - 2) < 0.01)
        #expect(json["frames"] as? String == "3:8")
        #expect(json["frames_decoded"] as? Int == 6)
        #expect(abs((json["first_pts"] as? Double ?? -1) - 0.25) < 1e-6)
        #expect(abs((json["last_pts"] as? Double ?? -1) - 8.0 / 12) < 1e-6)
        #expect(json["corrupt_packets"] as? Int == 0)
        #expect(json["truncated"] as? Bool == false)
        #expect(json["truncation"] is NSNull)
    }

    @Test func probeWithoutDecodeHasNoDecodeFields() throws {
        let json = try ProbeSummary.probe(url: TestMaterial.runner, decode: false).json()
        #expect(json.contains("\"frame_count_estimate\" : 180"))
        #expect(!json.contains("frames_decoded"))
    }
}
