import Foundation

/// Mean parameters of the demo checkpoint (`regressor.N.init_pose/init_shape/init_cam`), what an
/// untrained regressor predicts.
///
/// Like PyMAF's mean pose, the global orientation is a half-turn about x (the body upright in the
/// camera frame, y down) and the body is in a relaxed rest pose: arms 60° down from the T-pose,
/// elbows and knees slightly bent. The camera (s, tx, ty) = (0.9, 0, 0) fills the crop as PyMAF's
/// mean camera does.
public enum DemoMeanParameters {
    /// Joint rotations, (24, 3, 3) row-major.
    public static var rotations: [Float] {
        var r = [Float](repeating: 0, count: 24 * 9)
        for j in 0..<24 { r[9 * j] = 1; r[9 * j + 4] = 1; r[9 * j + 8] = 1 }
        func set(_ joint: Int, _ m: [Float]) { for k in 0..<9 { r[9 * joint + k] = m[k] } }
        set(0, [1, 0, 0, 0, -1, 0, 0, 0, -1])  // exactly a half-turn about x
        set(16, rotationZ(-60 * .pi / 180))
        set(17, rotationZ(60 * .pi / 180))
        set(18, rotationY(-15 * .pi / 180))
        set(19, rotationY(15 * .pi / 180))
        set(4, rotationX(8 * .pi / 180))
        set(5, rotationX(8 * .pi / 180))
        return r
    }

    /// `init_pose`, (144): each rotation's first two columns in PyMAF's 6D layout
    /// (R00, R01, R10, R11, R20, R21).
    public static var pose6D: [Float] {
        let r = rotations
        var out: [Float] = []
        for j in 0..<24 {
            for k in [0, 1, 3, 4, 6, 7] { out.append(r[9 * j + k]) }
        }
        return out
    }

    /// `init_shape`, (10).
    public static let shape = [Float](repeating: 0, count: 10)
    /// `init_cam`, (3): (s, tx, ty).
    public static let camera: [Float] = [0.9, 0, 0]

    static func rotationX(_ a: Float) -> [Float] {
        let c = cos(a), s = sin(a)
        return [1, 0, 0, 0, c, -s, 0, s, c]
    }

    static func rotationY(_ a: Float) -> [Float] {
        let c = cos(a), s = sin(a)
        return [c, 0, s, 0, 1, 0, -s, 0, c]
    }

    static func rotationZ(_ a: Float) -> [Float] {
        let c = cos(a), s = sin(a)
        return [c, -s, 0, s, c, 0, 0, 0, 1]
    }
}
