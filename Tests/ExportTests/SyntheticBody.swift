import BodyModel
import Foundation
@testable import Export

/// A small body with SMPL's 24-joint tree: two vertices per joint (one at the joint, one
/// offset sideways), each weighted between its joint and the joint's parent, and a triangle
/// strip. Frames are posed by our own LBS so exact and skinned vertices agree.
struct SyntheticBody {
    static let parents = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]

    /// A standing humanoid's joint positions (Y-up, metres), (24, 3).
    static let restJoints: [Float] = [
        0, 0.9, 0, 0.1, 0.85, 0, -0.1, 0.85, 0, 0, 1.0, 0,
        0.1, 0.5, 0, -0.1, 0.5, 0, 0, 1.15, 0, 0.1, 0.1, 0,
        -0.1, 0.1, 0, 0, 1.25, 0, 0.1, 0.02, 0.1, -0.1, 0.02, 0.1,
        0, 1.45, 0, 0.08, 1.4, 0, -0.08, 1.4, 0, 0, 1.6, 0,
        0.18, 1.42, 0, -0.18, 1.42, 0, 0.45, 1.42, 0, -0.45, 1.42, 0,
        0.7, 1.42, 0, -0.7, 1.42, 0, 0.8, 1.42, 0, -0.8, 1.42, 0,
    ]

    static var restVertices: [Float] {
        var v: [Float] = []
        for j in 0..<24 {
            let p = Array(restJoints[(j * 3)..<(j * 3 + 3)])
            v += p
            v += [p[0] + 0.03, p[1] - 0.02, p[2] + 0.04]
        }
        return v
    }

    /// Dense weights (48, 24): the joint's own vertex 0.7 / parent 0.3; the other 0.5/0.3/0.2
    /// over joint, parent and root (three influences; all within the four kept).
    static var weights: [Float] {
        var w = [Float](repeating: 0, count: 48 * 24)
        for j in 0..<24 {
            let p = max(parents[j], 0)
            w[(2 * j) * 24 + j] += 0.7
            w[(2 * j) * 24 + p] += 0.3
            w[(2 * j + 1) * 24 + j] += 0.5
            w[(2 * j + 1) * 24 + p] += 0.3
            w[(2 * j + 1) * 24 + 0] += 0.2
        }
        return w
    }

    static var faces: [UInt32] {
        var f: [UInt32] = []
        for i in 0..<46 {
            let a = UInt32(i)
            f += i.isMultiple(of: 2) ? [a, a + 1, a + 2] : [a + 1, a, a + 2]
        }
        return f
    }

    static var rig: ExportRig {
        ExportRig(jointNames: ExportRig.smplJointNames, parents: parents, restJoints: restJoints,
                  restVertices: restVertices, faces: faces, weights: weights)
    }

    static var body: ExportBodyModel {
        ExportBodyModel(faces: faces, vertexCount: 48, parents: parents, makeRig: { _ in rig })
    }

    /// Frame `i` of a deterministic track: small joint motions, the camera-frame root
    /// orientation (≈ Rx(180°)), a walking box.
    static func frame(_ i: Int, trackID: Int = 1, time: Double? = nil) -> PersonFrame {
        let t = time ?? Double(i) / 30
        var rotations: [Float] = []
        var pose: [Float] = []
        var quats: [Float] = []
        for j in 0..<24 {
            let angle = j == 0 ? Double.pi + 0.2 * sin(t) : 0.3 * sin(2 * t + Double(j))
            let axis = j == 0 ? SIMD3<Double>(1, 0.1 * cos(t), 0) : SIMD3<Double>(Double(j % 3), 1, Double(j % 2))
            let a = axis / (axis * axis).sum().squareRoot()
            let q = SIMD4(a.x * sin(angle / 2), a.y * sin(angle / 2), a.z * sin(angle / 2), cos(angle / 2))
            rotations += RotationMath.matrix(xyzw: q).map { Float($0) }
            pose += [a.x * angle, a.y * angle, a.z * angle].map { Float($0) }
            quats += [q.x, q.y, q.z, q.w].map { Float($0) }
        }
        let pelvis = SIMD3(Double(restJoints[0]), Double(restJoints[1]), Double(restJoints[2]))
        let vertices = rig.skinnedVertices(RigPose(rotations: quats, rootPosition: pelvis))
        var joints = [Float](repeating: 0, count: 147)
        joints[24] = restJoints[0]
        joints[25] = restJoints[1]
        joints[26] = restJoints[2]
        let box = SIMD4<Float>(320 + Float(i) * 4, 240, 200, 200)
        let predCam = SIMD3<Float>(0.9, 0.02, 0.1)
        let side = Double(box.z)
        let sx = 0.9 * side / 640
        let sy = 0.9 * side / 480
        let origCam = SIMD4<Float>(Float(sx), Float(sy),
                                   Float((Double(box.x) - 320) / 320 / sx + 0.02), Float((240.0 - 240) / 240 / sy + 0.1))
        return PersonFrame(trackID: trackID, frameIndex: i, time: t, box: box, predCam: predCam, origCam: origCam,
                           betas: (0..<10).map { Float($0) * 0.01 }, rotations: rotations, pose: pose,
                           vertices: vertices, joints: joints)
    }
}
