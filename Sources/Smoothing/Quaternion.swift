import Foundation

/// A unit quaternion (w, x, y, z) in Double, the form rotations are filtered in.
///
/// Filtering happens on the unit sphere: samples are kept on one hemisphere (`aligned(to:)`)
/// and blended with `slerp`, so no representation seam (axis-angle at ±π, Euler gimbal) is
/// ever crossed.
struct Quaternion: Sendable, Equatable {
    var w: Double
    var x: Double
    var y: Double
    var z: Double

    static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

    /// From a row-major 3×3 rotation matrix (9 values), Shepperd's method (largest term first).
    init(rotationMatrix m: ArraySlice<Float>) {
        let b = m.startIndex
        let r = (0..<9).map { Double(m[b + $0]) }
        let trace = r[0] + r[4] + r[8]
        if trace > 0 {
            let s = 2 * (trace + 1).squareRoot()
            self.init(w: s / 4, x: (r[7] - r[5]) / s, y: (r[2] - r[6]) / s, z: (r[3] - r[1]) / s)
        } else if r[0] > r[4] && r[0] > r[8] {
            let s = 2 * (1 + r[0] - r[4] - r[8]).squareRoot()
            self.init(w: (r[7] - r[5]) / s, x: s / 4, y: (r[1] + r[3]) / s, z: (r[2] + r[6]) / s)
        } else if r[4] > r[8] {
            let s = 2 * (1 + r[4] - r[0] - r[8]).squareRoot()
            self.init(w: (r[2] - r[6]) / s, x: (r[1] + r[3]) / s, y: s / 4, z: (r[5] + r[7]) / s)
        } else {
            let s = 2 * (1 + r[8] - r[0] - r[4]).squareRoot()
            self.init(w: (r[3] - r[1]) / s, x: (r[2] + r[6]) / s, y: (r[5] + r[7]) / s, z: s / 4)
        }
        self = normalized
    }

    init(w: Double, x: Double, y: Double, z: Double) {
        self.w = w
        self.x = x
        self.y = y
        self.z = z
    }

    /// Rotation of `angle` radians about the unit `axis`.
    init(axis: SIMD3<Double>, angle: Double) {
        let s = sin(angle / 2)
        self.init(w: cos(angle / 2), x: axis.x * s, y: axis.y * s, z: axis.z * s)
    }

    var norm: Double { (w * w + x * x + y * y + z * z).squareRoot() }

    var normalized: Quaternion {
        let n = norm
        guard n > 0, n.isFinite else { return .identity }
        return Quaternion(w: w / n, x: x / n, y: y / n, z: z / n)
    }

    func dot(_ other: Quaternion) -> Double { w * other.w + x * other.x + y * other.y + z * other.z }

    /// `self` or `-self`, whichever lies on the same hemisphere as `reference`.
    func aligned(to reference: Quaternion) -> Quaternion {
        dot(reference) < 0 ? Quaternion(w: -w, x: -x, y: -y, z: -z) : self
    }

    /// Geodesic angle in radians between the rotations (0 … π), sign-independent.
    func angle(to other: Quaternion) -> Double {
        2 * acos(min(1, abs(dot(other))))
    }

    /// Spherical interpolation from `self` (t = 0) to `other` (t = 1) along the shorter arc.
    func slerp(to other: Quaternion, _ t: Double) -> Quaternion {
        let target = other.aligned(to: self)
        let cosine = min(1, dot(target))
        if cosine > 0.9995 {
            return Quaternion(
                w: w + t * (target.w - w), x: x + t * (target.x - x),
                y: y + t * (target.y - y), z: z + t * (target.z - z)
            ).normalized
        }
        let theta = acos(cosine)
        let a = sin((1 - t) * theta) / sin(theta)
        let b = sin(t * theta) / sin(theta)
        return Quaternion(
            w: a * w + b * target.w, x: a * x + b * target.x,
            y: a * y + b * target.y, z: a * z + b * target.z)
    }

    var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

    /// Axis · angle (radians, 0 … π) of the rotation.
    var rotationVector: SIMD3<Double> {
        let q = w < 0 ? Quaternion(w: -w, x: -x, y: -y, z: -z) : self
        let s = (q.x * q.x + q.y * q.y + q.z * q.z).squareRoot()
        guard s > 1e-12 else { return SIMD3(2 * q.x, 2 * q.y, 2 * q.z) }
        let angle = 2 * atan2(s, q.w)
        return SIMD3(q.x, q.y, q.z) * (angle / s)
    }

    static func * (p: Quaternion, q: Quaternion) -> Quaternion {
        Quaternion(
            w: p.w * q.w - p.x * q.x - p.y * q.y - p.z * q.z,
            x: p.w * q.x + p.x * q.w + p.y * q.z - p.z * q.y,
            y: p.w * q.y - p.x * q.z + p.y * q.w + p.z * q.x,
            z: p.w * q.z + p.x * q.y - p.y * q.x + p.z * q.w)
    }

    /// Row-major 3×3 rotation matrix (9 values).
    var rotationMatrix: [Float] {
        let q = normalized
        let (w, x, y, z) = (q.w, q.x, q.y, q.z)
        return [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ].map { Float($0) }
    }
}
