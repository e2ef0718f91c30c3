import Foundation

/// The rotation conversions the exporters need, on row-major 3×3 matrices (9 values).
enum RotationMath {
    /// Unit quaternion (x, y, z, w) — glTF's order — of a rotation matrix (Shepperd's method).
    static func quaternionXYZW(_ m: ArraySlice<Float>) -> SIMD4<Double> {
        let b = m.startIndex
        let r = (0..<9).map { Double(m[b + $0]) }
        let trace = r[0] + r[4] + r[8]
        var q: SIMD4<Double>
        if trace > 0 {
            let s = 2 * (trace + 1).squareRoot()
            q = SIMD4((r[7] - r[5]) / s, (r[2] - r[6]) / s, (r[3] - r[1]) / s, s / 4)
        } else if r[0] > r[4] && r[0] > r[8] {
            let s = 2 * (1 + r[0] - r[4] - r[8]).squareRoot()
            q = SIMD4(s / 4, (r[1] + r[3]) / s, (r[2] + r[6]) / s, (r[7] - r[5]) / s)
        } else if r[4] > r[8] {
            let s = 2 * (1 + r[4] - r[0] - r[8]).squareRoot()
            q = SIMD4((r[1] + r[3]) / s, s / 4, (r[5] + r[7]) / s, (r[2] - r[6]) / s)
        } else {
            let s = 2 * (1 + r[8] - r[0] - r[4]).squareRoot()
            q = SIMD4((r[2] + r[6]) / s, (r[5] + r[7]) / s, s / 4, (r[3] - r[1]) / s)
        }
        let n = (q * q).sum().squareRoot()
        return n > 0 && n.isFinite ? q / n : SIMD4(0, 0, 0, 1)
    }

    /// Row-major matrix of a unit quaternion (x, y, z, w).
    static func matrix(xyzw q: SIMD4<Double>) -> [Double] {
        let (x, y, z, w) = (q.x, q.y, q.z, q.w)
        return [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ]
    }

    /// Rx(180°) · R: the camera frame (y down, z forward) → Y-up, applied to a global rotation.
    static func flipYZ(_ m: ArraySlice<Float>) -> [Float] {
        let b = m.startIndex
        return [m[b], m[b + 1], m[b + 2], -m[b + 3], -m[b + 4], -m[b + 5], -m[b + 6], -m[b + 7], -m[b + 8]]
    }

    /// BVH `Zrotation Xrotation Yrotation` angles in degrees for R = Rz(a)·Rx(b)·Ry(c):
    /// b = asin(R21), a = atan2(−R01, R11), c = atan2(−R20, R22).
    static func eulerZXYDegrees(_ m: [Double]) -> SIMD3<Double> {
        let degrees = 180 / Double.pi
        let b = asin(min(1, max(-1, m[7])))
        let a = atan2(-m[1], m[4])
        let c = atan2(-m[6], m[8])
        return SIMD3(a, b, c) * degrees
    }

    /// `angle` shifted by whole turns to within ±180° of `previous`.
    static func unwrapDegrees(_ angle: Double, near previous: Double) -> Double {
        angle - 360 * ((angle - previous) / 360).rounded()
    }
}
