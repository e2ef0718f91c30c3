import BodyModel
import Foundation

/// A synthetic SMPL-sized body and its motion, for `make verify-exports` and `pymaf-bench export`
/// (never used for real output): a closed tube of 56 × 123 vertices plus two cap centres
/// (6890 vertices, 13776 triangles — SMPL's counts), SMPL's joint tree, joints regressed from
/// the vertices nearest a standing humanoid's joint positions, smooth weights over the six
/// nearest joints, small shape and pose-corrective blend shapes.
public enum ExportSampleBody {
    static let segments = 56
    static let rings = 123
    static let height: Float = 1.7
    static let radius: Float = 0.16

    static let humanoid: [SIMD3<Float>] = [
        [0, 0.9, 0], [0.1, 0.85, 0], [-0.1, 0.85, 0], [0, 1.0, 0], [0.1, 0.5, 0], [-0.1, 0.5, 0],
        [0, 1.15, 0], [0.1, 0.1, 0], [-0.1, 0.1, 0], [0, 1.25, 0], [0.1, 0.03, 0.1], [-0.1, 0.03, 0.1],
        [0, 1.45, 0], [0.08, 1.4, 0], [-0.08, 1.4, 0], [0, 1.6, 0], [0.15, 1.42, 0], [-0.15, 1.42, 0],
        [0.16, 1.2, 0], [-0.16, 1.2, 0], [0.16, 1.0, 0], [-0.16, 1.0, 0], [0.16, 0.93, 0], [-0.16, 0.93, 0],
    ]

    public static func make() throws -> SMPLModel {
        var vertices: [SIMD3<Float>] = []
        for r in 0..<rings {
            let y = height * Float(r) / Float(rings - 1)
            for s in 0..<segments {
                let a = 2 * Float.pi * Float(s) / Float(segments)
                vertices.append([radius * cos(a), y, radius * sin(a)])
            }
        }
        vertices.append([0, 0, 0])
        vertices.append([0, height, 0])
        let v = vertices.count
        var faces: [Int32] = []
        for r in 0..<(rings - 1) {
            for s in 0..<segments {
                let a = Int32(r * segments + s), b = Int32(r * segments + (s + 1) % segments)
                let c = a + Int32(segments), d = b + Int32(segments)
                faces += [a, c, b, b, c, d]
            }
        }
        let bottom = Int32(v - 2), top = Int32(v - 1)
        for s in 0..<segments {
            let a = Int32(s), b = Int32((s + 1) % segments)
            faces += [bottom, a, b]
            let c = Int32((rings - 1) * segments + s), d = Int32((rings - 1) * segments + (s + 1) % segments)
            faces += [top, d, c]
        }
        // Joint regressor: mean of the 8 vertices nearest each humanoid joint.
        var regressor = [Float](repeating: 0, count: 24 * v)
        for (j, p) in humanoid.enumerated() {
            let nearest = vertices.indices.sorted { distance(vertices[$0], p) < distance(vertices[$1], p) }.prefix(8)
            for i in nearest { regressor[j * v + i] = 1.0 / 8 }
        }
        // Weights: exp(−d²/σ²) over the six nearest joints, normalized.
        var weights = [Float](repeating: 0, count: v * 24)
        for (i, p) in vertices.enumerated() {
            let nearest = humanoid.indices.sorted { distance(humanoid[$0], p) < distance(humanoid[$1], p) }.prefix(6)
            let raw = nearest.map { exp(-distance(humanoid[$0], p) * distance(humanoid[$0], p) / 0.02) + 1e-3 }
            let sum = raw.reduce(0, +)
            for (j, w) in zip(nearest, raw) { weights[i * 24 + j] = w / sum }
        }
        var shapedirs = [Float](repeating: 0, count: v * 3 * 10)
        var posedirs = [Float](repeating: 0, count: 207 * v * 3)
        for (i, p) in vertices.enumerated() {
            for b in 0..<10 {
                let phase = Float(b) * 0.7
                for k in 0..<3 { shapedirs[(i * 3 + k) * 10 + b] = 0.01 * sin(phase + 3 * p.y + Float(k)) }
            }
            for f in stride(from: 0, to: 207, by: 23) {
                for k in 0..<3 { posedirs[f * v * 3 + i * 3 + k] = 0.004 * cos(Float(f) + 5 * p.y + Float(k)) }
            }
        }
        return try SMPLModel(
            vTemplate: vertices.flatMap { [$0.x, $0.y, $0.z] }, shapedirs: shapedirs, posedirs: posedirs,
            jointRegressor: regressor, lbsWeights: weights, parents: SMPLModel.smplParents, faces: faces,
            extraJointRegressor: [Float](repeating: 0, count: 9 * v), extraVertexIndices: Array(0..<21))
    }

    static func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
        let d = a - b
        return (d * d).sum().squareRoot()
    }

    /// Frame `index` of track `trackID`: every joint swings about its own axis, the root is
    /// upside down in the camera frame (≈ Rx(180°)) and turns, the box walks across the image.
    public static func frame(model: SMPLModel, trackID: Int, index: Int, fps: Double, width: Int, height: Int) -> PersonFrame {
        let t = Double(index) / fps
        var axisAngles: [Float] = []
        for j in 0..<24 {
            let phase = Double(j + trackID)
            if j == 0 {
                axisAngles += [Float(Double.pi - 0.15 * sin(t)), Float(0.6 * sin(0.5 * t)), 0]
            } else {
                let angle = 0.5 * sin(2 * t + phase)
                let axis = SIMD3<Double>(sin(phase), cos(phase), 0.5)
                let n = axis / (axis * axis).sum().squareRoot() * angle
                axisAngles += [Float(n.x), Float(n.y), Float(n.z)]
            }
        }
        let rotations = Rotation.matrix(fromAxisAngle: axisAngles)
        let betas = (0..<10).map { Float(0.5 * sin(Double($0) + Double(trackID))) }
        let body = model.forward(betas: betas, rotations: rotations)
        let side = Float(300 + 40 * sin(t))
        let box = SIMD4<Float>(Float(width) * (0.3 + 0.4 * Float(index) / 40), Float(height) * 0.55, side, side)
        let predCam = SIMD3<Float>(0.85, 0.03, 0.12)
        let sx = predCam.x * side / Float(width), sy = predCam.x * side / Float(height)
        let origCam = SIMD4<Float>(sx, sy, (box.x - Float(width) / 2) / (Float(width) / 2) / sx + predCam.y,
                                   (box.y - Float(height) / 2) / (Float(height) / 2) / sy + predCam.z)
        return PersonFrame(trackID: trackID, frameIndex: index, time: t, box: box, predCam: predCam, origCam: origCam,
                           betas: betas, rotations: rotations, pose: Rotation.axisAngle(fromMatrix: rotations),
                           vertices: body.vertices, joints: body.joints49)
    }
}
