import BodyModel
import Foundation

/// One frame of one person as the exporters write it: Y-up, metres, with root motion.
///
/// From a `PersonFrame` (camera frame, y down, no translation):
/// - T = `PlateCamera.translation(origCam:)`;
/// - vertices = Rx(180°)·(v + T), i.e. (x, y, z) → (x, −y, −z) after adding T;
/// - root rotation = Rx(180°)·R₀, other joints' local rotations unchanged;
/// - root position = Rx(180°)·(pelvis + T), pelvis = the posed SMPL joint 0 (joints49 row 8).
struct ExportFrame {
    var trackID: Int
    var frameIndex: Int
    var time: Double
    /// Local rotations (x, y, z, w), root in Y-up.
    var pose: RigPose
    /// Exact vertices (pose correctives included), (V, 3), Y-up.
    var vertices: [Float]
    /// T, camera frame.
    var translation: SIMD3<Double>

    static let pelvisRowInJoints49 = 8

    init(_ frame: PersonFrame, camera: PlateCamera, vertexCount: Int, jointCount: Int) throws {
        func invalid(_ reason: String) -> ExportError {
            .invalidFrame(trackID: frame.trackID, frameIndex: frame.frameIndex, reason: reason)
        }
        guard frame.vertices.count == vertexCount * 3 else {
            throw invalid("\(frame.vertices.count / 3) vertices, the body model has \(vertexCount)")
        }
        guard frame.rotations.count == jointCount * 9 else {
            throw invalid("\(frame.rotations.count) rotation values, expected \(jointCount) × 9")
        }
        guard frame.joints.count >= (Self.pelvisRowInJoints49 + 1) * 3 else {
            throw invalid("\(frame.joints.count / 3) joints, expected 49")
        }
        guard frame.time.isFinite else { throw invalid("non-finite time") }
        guard let t = camera.translation(origCam: frame.origCam) else {
            throw invalid("camera scale \(frame.origCam.x) is not positive")
        }
        guard frame.vertices.allSatisfy(\.isFinite), frame.rotations.allSatisfy(\.isFinite), t.x.isFinite, t.y.isFinite else {
            throw invalid("non-finite vertices, rotations or camera")
        }
        trackID = frame.trackID
        frameIndex = frame.frameIndex
        time = frame.time
        translation = t

        var rotations = [Float](repeating: 0, count: jointCount * 4)
        for j in 0..<jointCount {
            let m = frame.rotations[(j * 9)..<(j * 9 + 9)]
            let q = j == 0 ? RotationMath.quaternionXYZW(RotationMath.flipYZ(m)[...]) : RotationMath.quaternionXYZW(m)
            for k in 0..<4 { rotations[j * 4 + k] = Float(q[k]) }
        }
        let p = Self.pelvisRowInJoints49 * 3
        let pelvis = SIMD3(Double(frame.joints[p]), Double(frame.joints[p + 1]), Double(frame.joints[p + 2])) + t
        pose = RigPose(rotations: rotations, rootPosition: SIMD3(pelvis.x, -pelvis.y, -pelvis.z))

        let (tx, ty, tz) = (Float(t.x), Float(t.y), Float(t.z))
        var v = frame.vertices
        for i in 0..<vertexCount {
            v[i * 3] += tx
            v[i * 3 + 1] = -(v[i * 3 + 1] + ty)
            v[i * 3 + 2] = -(v[i * 3 + 2] + tz)
        }
        vertices = v
    }

    /// Negates quaternions whose dot product with `previous`'s is negative (hemisphere continuity).
    mutating func alignRotations(to previous: [Float]?) {
        guard let previous, previous.count == pose.rotations.count else { return }
        for j in 0..<(previous.count / 4) {
            var dot: Float = 0
            for k in 0..<4 { dot += pose.rotations[j * 4 + k] * previous[j * 4 + k] }
            if dot < 0 { for k in 0..<4 { pose.rotations[j * 4 + k] = -pose.rotations[j * 4 + k] } }
        }
    }
}
