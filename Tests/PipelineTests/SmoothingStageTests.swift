import BodyModel
import Foundation
import Smoothing
import Testing
import VideoIO
@testable import Pipeline

@Suite struct SmoothingStageTests {
    /// A 30-vertex body with SMPL's tree: enough for the smoother to re-pose.
    static let model: SMPLModel = {
        let v = 30
        let template = (0..<(v * 3)).map { Float(sin(Double($0))) }
        var regressor = [Float](repeating: 0, count: 24 * v)
        var weights = [Float](repeating: 0, count: v * 24)
        for j in 0..<24 { regressor[j * v + j] = 1 }
        for i in 0..<v { weights[i * 24 + i % 24] = 1 }
        var faces: [Int32] = []
        for i in 0..<Int32(v - 2) { faces += [i, i + 1, i + 2] }
        return try! SMPLModel(
            vTemplate: template, shapedirs: [Float](repeating: 0.01, count: v * 3 * 10), posedirs: [Float](repeating: 0, count: 207 * v * 3),
            jointRegressor: regressor, lbsWeights: weights, parents: SMPLModel.smplParents, faces: faces,
            extraJointRegressor: [Float](repeating: 0, count: 9 * v), extraVertexIndices: Array(0..<21))
    }()

    static func result(_ index: Int, tracks: [Int]) -> FrameResult {
        let time = Double(index) / 30
        let frame = VideoFrame(index: index, time: time, width: 64, height: 48, rgb: [UInt8](repeating: 0, count: 64 * 48 * 3))
        let identity: [Float] = Array([[Float]](repeating: [1, 0, 0, 0, 1, 0, 0, 0, 1], count: 24).joined())
        let people = tracks.map { id in
            PersonFrame(
                trackID: id, frameIndex: index, time: time, box: SIMD4(32, 24, 20, 20), predCam: SIMD3(0.9, 0, 0),
                origCam: SIMD4(0.3, 0.4, 0, 0), betas: [Float](repeating: Float(id), count: 10), rotations: identity,
                pose: [Float](repeating: 0, count: 72), vertices: [], joints: [])
        }
        return FrameResult(frame: frame, keepPixels: true, people: people)
    }

    /// With one shape per track the smoother holds frames back; the stage still emits every frame
    /// once, in order, each with all its people re-posed.
    @Test func heldFramesLeaveInOrderWithAllTheirPeople() throws {
        var settings = SmoothingSettings.standard
        settings.shapeMode = .perTrack
        settings.shapeWindow = 0.5
        var stage = SmoothingStage(smoother: TrackSmoother(settings: settings, bodyModel: Self.model, imageWidth: 64, imageHeight: 48))
        var out: [FrameResult] = []
        for i in 0..<40 {
            // Track 2 appears at frame 10; frame 25 has nobody.
            let tracks = i == 25 ? [] : (i < 10 ? [1] : [1, 2])
            out += try stage.process(Self.result(i, tracks: tracks))
            // Inside track 1's first half second (15 frames at 30 fps) nothing can leave yet.
            if i == 8 { #expect(out.isEmpty, "the per-track shape window holds frames back") }
        }
        out += try stage.finish()
        #expect(out.map(\.index) == Array(0..<40))
        for result in out {
            let expected = result.index == 25 ? [] : (result.index < 10 ? [1] : [1, 2])
            #expect(result.people.map(\.trackID) == expected)
            #expect(result.people.allSatisfy { $0.vertices.count == 30 * 3 && $0.frameIndex == result.index })
            #expect(result.rgb.count == 64 * 48 * 3)
        }
    }
}
