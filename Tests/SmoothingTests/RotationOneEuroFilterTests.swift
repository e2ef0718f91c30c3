import Foundation
import Testing
@testable import Smoothing

@Suite struct RotationOneEuroFilterTests {
    /// Tolerances: quaternion round trips through Float matrices hold to 1e-6; filter figures
    /// are compared with margins of about 30 % around the measured values (README table).
    @Test func matrixRoundTripKeepsRotation() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<100 {
            let q = Quaternion(axis: rng.nextUnitVector(), angle: 3.1 * rng.nextUniform())
            let back = Quaternion(rotationMatrix: q.rotationMatrix[...])
            #expect(back.angle(to: q) < 1e-3)
            #expect(abs(back.norm - 1) < 1e-9)
        }
    }

    @Test func defaultsReduceErrorAndBoundLag() {
        let result = SmoothingEvaluation().evaluate(.standard)
        #expect(result.smoothedError < 0.75 * result.rawError)
        #expect(result.fastLag < 20)  // ms, at 6 rad/s
    }

    @Test func vibeAndROMPSettingsAlsoReduceError() {
        for settings in [SmoothingSettings.vibe(fps: 30), .romp] {
            let result = SmoothingEvaluation().evaluate(settings)
            #expect(result.smoothedError < result.rawError)
            #expect(result.fastLag < 40)
        }
    }

    /// A rotation that passes through π (where axis-angle flips sign) must stay continuous.
    @Test func turningThroughPiStaysContinuous() {
        var filter = RotationOneEuroFilter(minCutoff: 1, beta: 0.7)
        var previous: Quaternion?
        for i in 0..<120 {
            let angle = 2.6 + Double(i) * 0.01  // 149° … 217°, through 180°
            let truth = Quaternion(axis: SIMD3(0, 0, 1), angle: angle)
            let sign: Double = i.isMultiple(of: 2) ? 1 : -1  // q and −q alternate
            let input = Quaternion(w: sign * truth.w, x: sign * truth.x, y: sign * truth.y, z: sign * truth.z)
            let out = filter.filter(input, at: Double(i) / 30)
            if let previous { #expect(out.angle(to: previous) < 0.02) }
            #expect(out.angle(to: truth) < 0.05)
            previous = out
        }
    }

    @Test func resetPassesNextSampleThrough() {
        var filter = RotationOneEuroFilter(minCutoff: 0.1, beta: 0)
        _ = filter.filter(.identity, at: 0)
        filter.reset()
        let q = Quaternion(axis: SIMD3(0, 1, 0), angle: 1)
        #expect(filter.filter(q, at: 0.1).angle(to: q) < 1e-12)
    }

    @Test func constantRotationIsFixedPoint() {
        var filter = RotationOneEuroFilter(minCutoff: 1, beta: 0.7)
        let q = Quaternion(axis: SIMD3(1, 0, 0), angle: 0.5)
        for i in 0..<30 { #expect(filter.filter(q, at: Double(i) / 30).angle(to: q) < 1e-7) }
    }
}
