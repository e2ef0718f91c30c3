import Foundation
import Testing
import VideoIO
@testable import PersonTracking

/// The detector against LiteRT's outputs on the same pixels (tools/make_detector_goldens.py).
///
/// Tolerances: raw regressor values (pixels at the 224 input, up to a few hundred) within
/// 0.005 + 1e-5·|value|, logits within 0.005 (measured on the COCO image: 4.1e-4 and 6.1e-5).
/// LiteRT's XNNPACK and our OpenBLAS kernels sum in different orders over up to 1152 terms, so
/// bit equality is not expected, but a wrong weight, layout or padding moves values by whole
/// units. Detections (frame pixels) within 0.1 px, scores within 1e-4.
@Suite struct DetectorGoldenTests {
    struct Golden: Decodable {
        struct Detection: Decodable { var score: Float; var box: [Float]; var keypoints: [[Float]] }
        var name: String
        var width: Int
        var height: Int
        var region: [Float]
        var input_mean: Double
        var top_anchors: [Int]
        var top_logits: [Float]
        var top_regressors: [[Float]]
        var spread_anchors: [Int]
        var spread_logits: [Float]
        var spread_regressors: [[Float]]
        var detections: [Detection]
    }

    static func goldens() throws -> [Golden] {
        struct File: Decodable { var images: [Golden] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: TestPaths.fixture("detector_goldens.json"))).images
    }

    static func check(_ detector: PersonDetector, _ frame: VideoFrame, _ golden: Golden) {
        let region = DetectionRegion.letterbox(width: frame.width, height: frame.height)
        #expect(region == DetectionRegion(originX: golden.region[0], originY: golden.region[1], side: golden.region[2]))
        let input = detector.inputTensor(frame, in: region)
        let mean = input.reduce(0.0) { $0 + Double($1) } / Double(input.count)
        #expect(abs(mean - golden.input_mean) < 1e-5, "\(golden.name): input mean \(mean) vs \(golden.input_mean)")

        let (regressors, logits) = detector.rawOutputs(frame, in: region)
        for (anchors, goldLogits, goldRegressors) in [(golden.top_anchors, golden.top_logits, golden.top_regressors),
                                                      (golden.spread_anchors, golden.spread_logits, golden.spread_regressors)] {
            for (k, anchor) in anchors.enumerated() {
                #expect(abs(logits[anchor] - goldLogits[k]) < 0.005, "\(golden.name) anchor \(anchor): logit \(logits[anchor]) vs \(goldLogits[k])")
                for v in 0..<12 {
                    let ours = regressors[anchor * 12 + v], theirs = goldRegressors[k][v]
                    #expect(abs(ours - theirs) < 0.005 + 1e-5 * abs(theirs), "\(golden.name) anchor \(anchor) value \(v): \(ours) vs \(theirs)")
                }
            }
        }

        let detections = detector.detect(frame)
        #expect(detections.count == golden.detections.count, "\(golden.name): \(detections.count) detections vs \(golden.detections.count)")
        for (ours, theirs) in zip(detections, golden.detections) {
            #expect(abs(ours.score - theirs.score) < 1e-4)
            let box = [ours.box.xMin, ours.box.yMin, ours.box.width, ours.box.height]
            for (a, b) in zip(box, theirs.box) { #expect(abs(a - b) < 0.1, "\(golden.name) box \(box) vs \(theirs.box)") }
            for (k, point) in ours.keypoints.enumerated() {
                #expect(abs(point.x - theirs.keypoints[k][0]) < 0.1 && abs(point.y - theirs.keypoints[k][1]) < 0.1,
                        "\(golden.name) keypoint \(k): \(point) vs \(theirs.keypoints[k])")
            }
        }
    }

    @Test func cocoImageMatchesLiteRT() throws {
        let detector = try PersonDetector(modelURL: TestPaths.detectorModel)
        let golden = try #require(try Self.goldens().first { $0.name == "coco_person" })
        Self.check(detector, try TestPaths.cocoFrame(), golden)
        // The documented facts: one person, hip near (121, 103), body radius about 114 px.
        let person = try #require(detector.detect(try TestPaths.cocoFrame()).first)
        #expect(abs(person.keypoints[0].x - 121) < 1.5 && abs(person.keypoints[0].y - 103) < 1.5)
        #expect(abs(person.bodyRadius - 114) < 2)
    }

    @Test func anchorsFollowTheSSDLayout() {
        let anchors = DetectionDecoder(inputSize: 224, scoreThreshold: 0.5).anchors
        #expect(anchors.count == 2254)
        #expect(anchors[0] == SIMD2(0.5 / 28, 0.5 / 28) && anchors[1] == anchors[0])
        #expect(anchors[2] == SIMD2(1.5 / 28, 0.5 / 28))
        #expect(anchors[1568] == SIMD2(0.5 / 14, 0.5 / 14))
        #expect(anchors[1960] == SIMD2(0.5 / 7, 0.5 / 7) && anchors[1965] == anchors[1960])
        #expect(anchors[2253] == SIMD2(6.5 / 7, 6.5 / 7))
    }

    @Test func missingModelSaysHowToGetIt() {
        #expect(throws: PersonTrackingError.detectorModelMissing(path: "/nonexistent/pose_detection.tflite")) {
            _ = try PersonDetector(modelURL: URL(fileURLWithPath: "/nonexistent/pose_detection.tflite"))
        }
    }
}
