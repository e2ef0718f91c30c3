import BodyModel
import Foundation
import Testing
@testable import Smoothing

/// Tolerances: re-posing is compared with a direct `forward` call to 1e-6 (same code, same
/// inputs); filter effects are compared with margins around the measured values.
@Suite struct TrackSmootherTests {
    /// A 30-vertex body with SMPL's tree (no pose correctives).
    static let model: SMPLModel = {
        var rng = SplitMix64(seed: 11)
        let v = 30
        let template = (0..<(v * 3)).map { _ in Float(rng.nextUniform() * 2 - 1) }
        let shapedirs = (0..<(v * 3 * 10)).map { _ in Float(0.05 * (rng.nextUniform() - 0.5)) }
        var regressor = [Float](repeating: 0, count: 24 * v)
        var weights = [Float](repeating: 0, count: v * 24)
        for j in 0..<24 { regressor[j * v + j] = 1 }
        for i in 0..<v { weights[i * 24 + i % 24] = 0.6; weights[i * 24 + (i + 5) % 24] = 0.4 }
        var faces: [Int32] = []
        for i in 0..<(v - 2) { faces += [Int32(i), Int32(i + 1), Int32(i + 2)] }
        return try! SMPLModel(vTemplate: template, shapedirs: shapedirs, posedirs: [Float](repeating: 0, count: 207 * v * 3),
                              jointRegressor: regressor, lbsWeights: weights, parents: SMPLModel.smplParents, faces: faces,
                              extraJointRegressor: [Float](repeating: 0, count: 9 * v), extraVertexIndices: Array(0..<21))
    }()

    static func truth(_ t: Double) -> [Quaternion] {
        (0..<24).map { j in Quaternion(axis: SIMD3(0, 1, 0), angle: (j == 0 ? Double.pi : 0) + 0.3 * sin(t + Double(j))) }
    }

    /// A noisy frame at time `t`: rotations with `noise` rad jitter, β with 0.2 jitter.
    static func frame(_ i: Int, time t: Double, track: Int = 1, rng: inout SplitMix64, noise: Double = 0.05) -> PersonFrame {
        var rotations: [Float] = []
        for q in truth(t) {
            let jitter = Quaternion(axis: rng.nextUnitVector(), angle: noise * rng.nextNormal())
            rotations += (jitter * q).rotationMatrix
        }
        var betas: [Float] = []
        for k in 0..<10 { betas.append(Float(0.5 + 0.1 * Double(k) + 0.2 * rng.nextNormal())) }
        let s: Float = 0.9, side: Float = 400
        let box = SIMD4<Float>(900, 500, side, side)
        let origCam = TrackFilterBank.origCam(predCam: (0.9, 0.01, 0.2), center: (900, 500), side: 400, imageWidth: 1920, imageHeight: 1080)
        return PersonFrame(trackID: track, frameIndex: i, time: t, box: box, predCam: SIMD3(s, 0.01, 0.2), origCam: origCam,
                           betas: betas, rotations: rotations, pose: [Float](repeating: 0, count: 72),
                           vertices: [], joints: [])
    }

    static func rotationError(_ frame: PersonFrame) -> Double {
        let truth = truth(frame.time)
        var sum = 0.0
        for j in 0..<24 { sum += Quaternion(rotationMatrix: frame.rotations[(j * 9)..<(j * 9 + 9)]).angle(to: truth[j]) }
        return sum / 24
    }

    @Test func perFrameSmoothsAndReposes() {
        var smoother = TrackSmoother(settings: .standard, bodyModel: Self.model, imageWidth: 1920, imageHeight: 1080)
        var rng = SplitMix64(seed: 1)
        var raw = 0.0, smoothed = 0.0
        for i in 0..<150 {
            let input = Self.frame(i, time: Double(i) / 30, rng: &rng)
            let out = smoother.process(input)
            #expect(out.count == 1)
            guard let frame = out.first else { continue }
            if i >= 30 {
                raw += Self.rotationError(input)
                smoothed += Self.rotationError(frame)
            }
            let body = Self.model.forward(betas: frame.betas, rotations: frame.rotations)
            #expect(frame.vertices == body.vertices && frame.joints == body.joints49)
            #expect(frame.pose == Rotation.axisAngle(fromMatrix: frame.rotations))
        }
        #expect(smoothed < 0.8 * raw)
    }

    @Test func perTrackShapeIsOneMedianForTheWholeTrack() {
        var settings = SmoothingSettings.standard
        settings.shapeMode = .perTrack
        settings.shapeWindow = 1.0
        var smoother = TrackSmoother(settings: settings, bodyModel: Self.model, imageWidth: 1920, imageHeight: 1080)
        var rng = SplitMix64(seed: 2)
        var inputs: [PersonFrame] = []
        var outputs: [PersonFrame] = []
        for i in 0..<20 {
            let frame = Self.frame(i, time: Double(i) / 30, rng: &rng)
            inputs.append(frame)
            outputs += smoother.process(frame)
        }
        #expect(outputs.isEmpty)  // still inside the 1 s window
        for i in 20..<60 {
            let frame = Self.frame(i, time: Double(i) / 30, rng: &rng)
            inputs.append(frame)
            outputs += smoother.process(frame)
        }
        outputs += smoother.finish()
        #expect(outputs.map(\.frameIndex) == Array(0..<60))
        let shape = outputs[0].betas
        #expect(outputs.allSatisfy { $0.betas == shape })
        #expect(shape == TrackSmoother.robustShape(Array(inputs.prefix(31))))
        // The median is within the noise of the true mean shape (0.5 + 0.1 k; 0.2 noise, 31 frames).
        for k in 0..<10 { #expect(abs(Double(shape[k]) - (0.5 + 0.1 * Double(k))) < 0.15) }
    }

    @Test func gapResetsTheFilters() {
        var smoother = TrackSmoother(settings: .standard, bodyModel: Self.model, imageWidth: 1920, imageHeight: 1080)
        var rng = SplitMix64(seed: 3)
        for i in 0..<10 { _ = smoother.process(Self.frame(i, time: Double(i) / 30, rng: &rng)) }
        let afterGap = Self.frame(40, time: 40.0 / 30, rng: &rng, noise: 0.3)  // 1 s later
        let out = smoother.process(afterGap)[0]
        for j in 0..<24 {
            let a = Quaternion(rotationMatrix: afterGap.rotations[(j * 9)..<(j * 9 + 9)])
            let b = Quaternion(rotationMatrix: out.rotations[(j * 9)..<(j * 9 + 9)])
            #expect(a.angle(to: b) < 1e-3)
        }
        var bridging = SmoothingSettings.standard
        bridging.gapPolicy = .bridge
        var bridged = TrackSmoother(settings: bridging, bodyModel: Self.model, imageWidth: 1920, imageHeight: 1080)
        var rng2 = SplitMix64(seed: 3)
        for i in 0..<10 { _ = bridged.process(Self.frame(i, time: Double(i) / 30, rng: &rng2)) }
        #expect(bridged.process(afterGap)[0].rotations != afterGap.rotations)
    }

    @Test func tracksAreIndependentAndCameraIsConsistent() {
        var smoother = TrackSmoother(settings: .standard, bodyModel: Self.model, imageWidth: 1920, imageHeight: 1080)
        var alone = TrackSmoother(settings: .standard, bodyModel: Self.model, imageWidth: 1920, imageHeight: 1080)
        var rng = SplitMix64(seed: 4)
        for i in 0..<30 {
            let a = Self.frame(i, time: Double(i) / 30, track: 1, rng: &rng)
            let b = Self.frame(i, time: Double(i) / 30 + 0.001, track: 2, rng: &rng, noise: 0.5)
            let mixed = smoother.process(a)[0]
            _ = smoother.process(b)
            let single = alone.process(a)[0]
            #expect(mixed.rotations == single.rotations)
            // Constant camera input stays constant; origCam equals PyMAF's formula of the outputs.
            #expect(abs(mixed.predCam.x - 0.9) < 1e-6 && abs(mixed.box.z - 400) < 1e-3)
            #expect(abs(mixed.origCam.x - a.origCam.x) < 1e-6 && abs(mixed.origCam.w - a.origCam.w) < 1e-5)
        }
    }
}

@Suite struct SmoothingSettingsTests {
    @Test func commandLineOptions() throws {
        #expect(try SmoothingSettings.commandLine(smooth: false, minCutoff: nil, beta: nil, shape: "per-frame") == nil)
        let tuned = try #require(try SmoothingSettings.commandLine(smooth: true, minCutoff: 0.5, beta: 1.2, shape: "per-track"))
        #expect(tuned.bodyPose.minCutoff == 0.5 && tuned.globalOrientation.beta == 1.2 && tuned.shapeMode == .perTrack)
        #expect(tuned.camera == SmoothingSettings.standard.camera)
        let shapeOnly = try #require(try SmoothingSettings.commandLine(smooth: false, minCutoff: nil, beta: nil, shape: "per-track"))
        #expect(shapeOnly.bodyPose == .passThrough)
        #expect(throws: SmoothingError.unknownShapeMode("mean")) { try SmoothingSettings.commandLine(smooth: true, minCutoff: nil, beta: nil, shape: "mean") }
        #expect(throws: SmoothingError.self) { try SmoothingSettings.commandLine(smooth: true, minCutoff: -1, beta: nil, shape: "per-frame") }
        #expect(shapeOnly.jsonDescription.contains("\"inf\""))
    }

    @Test func passThroughLeavesValuesUnchanged() {
        var filter = OneEuroFilter(.passThrough)
        _ = filter.filter(1, at: 0)
        #expect(filter.filter(5, at: 0.033) == 5)
    }
}
