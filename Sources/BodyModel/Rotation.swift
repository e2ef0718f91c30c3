import Foundation

/// Rotation conversions exactly as PyMAF and the smplx SMPL layer compute them (float32).
///
/// Every function is batched over flat row-major arrays: K rotations in, K out. A 3×3 matrix is
/// 9 floats, row-major; a quaternion is (w, x, y, z); an axis-angle vector is 3 floats whose
/// length is the angle in radians.
///
///     let r = Rotation.matrix(from6D: pose6D)        // (24·6) → (24·9)
///     let aa = Rotation.axisAngle(fromMatrix: r)     // (24·9) → (24·3) = SMPL's 72 pose values
public enum Rotation {
    /// 6D → matrix (Zhou et al.): the 6 values reshaped 3×2 give columns a1 = (x0, x2, x4) and
    /// a2 = (x1, x3, x5); b1 = a1/‖a1‖, b2 = normalize(a2 − (b1·a2) b1), b3 = b1 × b2, R = [b1 b2 b3]
    /// as columns. Norms are clamped at 1e-12 as `F.normalize` does.
    ///
    /// - Parameter x: (K, 6).
    /// - Returns: (K, 3, 3).
    public static func matrix(from6D x: [Float]) -> [Float] {
        precondition(x.count % 6 == 0, "Rotation.matrix(from6D:): \(x.count) values is not a multiple of 6")
        let count = x.count / 6
        var out = [Float](repeating: 0, count: count * 9)
        for k in 0..<count {
            let s = 6 * k
            let a1 = SIMD3<Float>(x[s], x[s + 2], x[s + 4])
            let a2 = SIMD3<Float>(x[s + 1], x[s + 3], x[s + 5])
            let b1 = a1 / max(length(a1), 1e-12)
            let u = a2 - dot(b1, a2) * b1
            let b2 = u / max(length(u), 1e-12)
            let b3 = cross(b1, b2)
            for i in 0..<3 {
                out[9 * k + 3 * i] = b1[i]
                out[9 * k + 3 * i + 1] = b2[i]
                out[9 * k + 3 * i + 2] = b3[i]
            }
        }
        return out
    }

    /// Axis-angle → matrix by Rodrigues' formula as the smplx layer does it: the angle is
    /// ‖v + 1e-8‖ (the offset keeps the zero vector finite), K the cross-product matrix of
    /// v/angle, R = I + sin·K + (1 − cos)·K².
    ///
    /// - Parameter v: (K, 3).
    /// - Returns: (K, 3, 3).
    public static func matrix(fromAxisAngle v: [Float]) -> [Float] {
        precondition(v.count % 3 == 0, "Rotation.matrix(fromAxisAngle:): \(v.count) values is not a multiple of 3")
        let count = v.count / 3
        var out = [Float](repeating: 0, count: count * 9)
        for k in 0..<count {
            let r = SIMD3<Float>(v[3 * k], v[3 * k + 1], v[3 * k + 2])
            let angle = length(r + SIMD3(repeating: 1e-8))
            let d = r / angle
            let c = cos(angle), s = sin(angle)
            let kMat: [Float] = [0, -d.z, d.y, d.z, 0, -d.x, -d.y, d.x, 0]
            for i in 0..<3 {
                for j in 0..<3 {
                    var kk: Float = 0
                    for l in 0..<3 { kk += kMat[3 * i + l] * kMat[3 * l + j] }
                    out[9 * k + 3 * i + j] = (i == j ? 1 : 0) + s * kMat[3 * i + j] + (1 - c) * kk
                }
            }
        }
        return out
    }

    /// Matrix → quaternion (w, x, y, z), branching as PyMAF does on the transposed matrix m = Rᵀ:
    /// if m₂₂ < 1e-6 then (m₀₀ > m₁₁ ? x-branch : y-branch) else (m₀₀ < −m₁₁ ? z-branch : w-branch);
    /// the branch's 4-vector is scaled by 0.5/√t. Not normalized further.
    ///
    /// - Parameter r: (K, 3, 3).
    /// - Returns: (K, 4).
    public static func quaternion(fromMatrix r: [Float]) -> [Float] {
        precondition(r.count % 9 == 0, "Rotation.quaternion(fromMatrix:): \(r.count) values is not a multiple of 9")
        let count = r.count / 9
        var out = [Float](repeating: 0, count: count * 4)
        for k in 0..<count {
            // m[i][j] = R[j][i]
            @inline(__always) func m(_ i: Int, _ j: Int) -> Float { r[9 * k + 3 * j + i] }
            let q: SIMD4<Float>
            let t: Float
            if m(2, 2) < 1e-6 {
                if m(0, 0) > m(1, 1) {
                    t = 1 + m(0, 0) - m(1, 1) - m(2, 2)
                    q = SIMD4(m(1, 2) - m(2, 1), t, m(0, 1) + m(1, 0), m(2, 0) + m(0, 2))
                } else {
                    t = 1 - m(0, 0) + m(1, 1) - m(2, 2)
                    q = SIMD4(m(2, 0) - m(0, 2), m(0, 1) + m(1, 0), t, m(1, 2) + m(2, 1))
                }
            } else {
                if m(0, 0) < -m(1, 1) {
                    t = 1 - m(0, 0) - m(1, 1) + m(2, 2)
                    q = SIMD4(m(0, 1) - m(1, 0), m(2, 0) + m(0, 2), m(1, 2) + m(2, 1), t)
                } else {
                    t = 1 + m(0, 0) + m(1, 1) + m(2, 2)
                    q = SIMD4(t, m(1, 2) - m(2, 1), m(2, 0) - m(0, 2), m(0, 1) - m(1, 0))
                }
            }
            let scaled = q / t.squareRoot() * 0.5
            for i in 0..<4 { out[4 * k + i] = scaled[i] }
        }
        return out
    }

    /// Quaternion (w, x, y, z) → axis-angle, as PyMAF does: θ from atan2 of the vector part's
    /// length and w (taken on the w ≥ 0 side), axis-angle = 2θ/sinθ · (x, y, z), or 2·(x, y, z)
    /// when the vector part is zero.
    ///
    /// - Parameter q: (K, 4).
    /// - Returns: (K, 3). May hold NaN for degenerate input; `axisAngle(fromMatrix:)` zeroes those.
    public static func axisAngle(fromQuaternion q: [Float]) -> [Float] {
        precondition(q.count % 4 == 0, "Rotation.axisAngle(fromQuaternion:): \(q.count) values is not a multiple of 4")
        let count = q.count / 4
        var out = [Float](repeating: 0, count: count * 3)
        for k in 0..<count {
            let w = q[4 * k], x = q[4 * k + 1], y = q[4 * k + 2], z = q[4 * k + 3]
            let sinSquared = x * x + y * y + z * z
            let sinTheta = sinSquared.squareRoot()
            let twoTheta = 2 * (w < 0 ? atan2(-sinTheta, -w) : atan2(sinTheta, w))
            let scale = sinSquared > 0 ? twoTheta / sinTheta : 2
            out[3 * k] = x * scale
            out[3 * k + 1] = y * scale
            out[3 * k + 2] = z * scale
        }
        return out
    }

    /// Matrix → axis-angle through the quaternion, with NaN replaced by 0 — PyMAF's `pose` output.
    ///
    /// Near a half turn the sign of the result is ill-conditioned (both signs encode the same
    /// rotation); compare results through `matrix(fromAxisAngle:)`.
    ///
    /// - Parameter r: (K, 3, 3).
    /// - Returns: (K, 3).
    public static func axisAngle(fromMatrix r: [Float]) -> [Float] {
        axisAngle(fromQuaternion: quaternion(fromMatrix: r)).map { $0.isNaN ? 0 : $0 }
    }

    /// Quaternion (w, x, y, z) → matrix after normalizing the quaternion (PyMAF's `quat_to_rotmat`).
    ///
    /// - Parameter q: (K, 4).
    /// - Returns: (K, 3, 3).
    public static func matrix(fromQuaternion q: [Float]) -> [Float] {
        precondition(q.count % 4 == 0, "Rotation.matrix(fromQuaternion:): \(q.count) values is not a multiple of 4")
        let count = q.count / 4
        var out = [Float](repeating: 0, count: count * 9)
        for k in 0..<count {
            let raw = SIMD4<Float>(q[4 * k], q[4 * k + 1], q[4 * k + 2], q[4 * k + 3])
            let n = raw / (raw * raw).sum().squareRoot()
            let w = n[0], x = n[1], y = n[2], z = n[3]
            let values: [Float] = [
                w * w + x * x - y * y - z * z, 2 * x * y - 2 * w * z, 2 * w * y + 2 * x * z,
                2 * w * z + 2 * x * y, w * w - x * x + y * y - z * z, 2 * y * z - 2 * w * x,
                2 * x * z - 2 * w * y, 2 * w * x + 2 * y * z, w * w - x * x - y * y + z * z,
            ]
            for i in 0..<9 { out[9 * k + i] = values[i] }
        }
        return out
    }
}

@inline(__always) func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }
@inline(__always) func length(_ a: SIMD3<Float>) -> Float { dot(a, a).squareRoot() }
@inline(__always) func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
