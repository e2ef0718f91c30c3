import Testing
@testable import BodyModel

/// Rotations against torch (float32). Tolerance: 1e-5·(1 + |ref|) — a few float32 ulps of
/// values of size ~1, well below the 1e-4 the network parity needs.
@Suite struct RotationTests {
    let fixture = BodyModelFixture.shared
    let tolerance: Float = 1e-5

    @Test func sixDMatchesTorch() {
        #expect(maxScaledError(Rotation.matrix(from6D: fixture.floats("sixd")), fixture.floats("rotmat")) <= tolerance)
    }

    @Test func rodriguesMatchesSmplx() {
        #expect(maxScaledError(Rotation.matrix(fromAxisAngle: fixture.floats("aa_in")), fixture.floats("rodrigues")) <= tolerance)
    }

    @Test func quaternionFromMatrixMatchesPyMAF() {
        let q = Rotation.quaternion(fromMatrix: fixture.floats("quat_mats"))
        #expect(maxScaledError(q, fixture.floats("quaternions")) <= tolerance)
    }

    @Test func matrixFromQuaternionMatchesPyMAF() {
        #expect(maxScaledError(Rotation.matrix(fromQuaternion: fixture.floats("q_in")), fixture.floats("q_mats")) <= tolerance)
    }

    /// Axis-angle is compared through the rotation it encodes (near a half turn its sign is
    /// ill-conditioned), and directly where the angle is clearly below π.
    @Test func axisAngleMatchesPyMAF() {
        let mats = fixture.floats("quat_mats")
        let reference = fixture.floats("axis_angle")
        let ours = Rotation.axisAngle(fromMatrix: mats)
        #expect(ours.allSatisfy { !$0.isNaN })
        #expect(maxScaledError(Rotation.matrix(fromAxisAngle: ours), Rotation.matrix(fromAxisAngle: reference)) <= 1e-4)
        #expect(maxScaledError(Rotation.matrix(fromAxisAngle: ours), mats) <= 1e-4)
        for k in 0..<(ours.count / 3) {
            let r = reference[3 * k..<3 * k + 3]
            let angle = r.map { $0 * $0 }.reduce(0, +).squareRoot()
            if angle < 3 {
                #expect(maxScaledError(Array(ours[3 * k..<3 * k + 3]), Array(r)) <= 1e-4, "rotation \(k)")
            }
        }
    }

    @Test func identityGivesZeroAxisAngle() {
        let aa = Rotation.axisAngle(fromMatrix: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(aa == [0, 0, 0])
    }

    /// A degenerate (non-rotation) matrix gives NaN inside; PyMAF replaces it by 0.
    @Test func nanBecomesZero() {
        let aa = Rotation.axisAngle(fromMatrix: [Float](repeating: -1, count: 9))
        #expect(aa.allSatisfy { !$0.isNaN })
    }
}
