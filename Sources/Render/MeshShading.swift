/// Smooth (per-vertex, Gouraud) Lambert shading with the reference demo's light rig.
///
/// The reference scene has an ambient term of 0.3 and three white point lights at (0, −1, 1),
/// (0, 1, 1) and (1, 1, 2) in its y-up view frame; in the camera frame (y down, z away) they sit at
/// (0, 1, −1), (0, −1, −1) and (1, −1, −2), fixed to the camera (the side view turns the mesh, not
/// the lights). Each light adds `lightIntensity`·max(0, n·l) of the albedo.
enum MeshShading {
    static let ambient: Float = 0.3
    static let lightIntensity: Float = 0.33
    static let lights: [SIMD3<Float>] = [SIMD3(0, 1, -1), SIMD3(0, -1, -1), SIMD3(1, -1, -2)]

    /// Area-weighted vertex normals of a mesh, (V) unit vectors (zero for unused vertices).
    static func vertexNormals(positions: UnsafeBufferPointer<SIMD3<Float>>, faces: UnsafeBufferPointer<Int32>,
                              into normals: UnsafeMutableBufferPointer<SIMD3<Float>>) {
        for i in 0..<normals.count { normals[i] = .zero }
        var f = 0
        while f < faces.count {
            let a = Int(faces[f]), b = Int(faces[f + 1]), c = Int(faces[f + 2])
            let n = cross(positions[b] - positions[a], positions[c] - positions[a])
            normals[a] += n
            normals[b] += n
            normals[c] += n
            f += 3
        }
        for i in 0..<normals.count {
            let n = normals[i]
            let length = (n * n).sum().squareRoot()
            normals[i] = length > 0 ? n / length : .zero
        }
    }

    /// Lit colour (0...1) of a surface point with unit normal `n` at camera-frame position `p`.
    @inline(__always)
    static func shade(albedo: SIMD3<Float>, normal n: SIMD3<Float>, position p: SIMD3<Float>) -> SIMD3<Float> {
        var light = ambient
        for l in lights {
            let d = l - p
            let length = (d * d).sum().squareRoot()
            if length > 0 { light += lightIntensity * max(0, (n * d).sum() / length) }
        }
        return simd_clamp01(albedo * light)
    }

    @inline(__always)
    static func cross(_ u: SIMD3<Float>, _ v: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
    }

    @inline(__always)
    static func simd_clamp01(_ v: SIMD3<Float>) -> SIMD3<Float> {
        v.replacing(with: 0, where: v .< 0).replacing(with: 1, where: v .> 1)
    }
}
