import Foundation

/// One person's skinned rig, Y-up, metres: the SMPL skeleton at rest for the person's shape
/// and the rest mesh with at most four influences per vertex.
///
/// Skinning formats (GLB, UsdSkel) carry this rig; `skinnedVertices(_:)` is the linear blend
/// skinning they are verified against.
public struct ExportRig: Sendable {
    /// SMPL's 24 joint names in SMPL order.
    public static let smplJointNames = [
        "Pelvis", "L_Hip", "R_Hip", "Spine1", "L_Knee", "R_Knee", "Spine2", "L_Ankle", "R_Ankle",
        "Spine3", "L_Foot", "R_Foot", "Neck", "L_Collar", "R_Collar", "Head", "L_Shoulder",
        "R_Shoulder", "L_Elbow", "R_Elbow", "L_Wrist", "R_Wrist", "L_Hand", "R_Hand",
    ]

    public var jointNames: [String]
    /// Parent of each joint, −1 for the root; every parent precedes its children.
    public var parents: [Int]
    /// Rest joint positions, (J, 3).
    public var restJoints: [Float]
    /// Rest (bind) vertices, (V, 3).
    public var restVertices: [Float]
    /// Triangles, (F, 3), 0-based.
    public var faces: [UInt32]
    /// The four strongest joints per vertex, (V, 4); unused slots are joint 0 with weight 0.
    public var influenceJoints: [UInt8]
    /// Their weights, (V, 4), renormalized so each row sums to 1 in float32.
    public var influenceWeights: [Float]

    public var jointCount: Int { parents.count }
    public var vertexCount: Int { restVertices.count / 3 }

    /// - Parameters:
    ///   - weights: dense skinning weights, (V, J).
    public init(jointNames: [String], parents: [Int], restJoints: [Float], restVertices: [Float], faces: [UInt32], weights: [Float]) {
        self.jointNames = jointNames
        self.parents = parents
        self.restJoints = restJoints
        self.restVertices = restVertices
        self.faces = faces
        let j = parents.count
        let v = restVertices.count / 3
        var joints = [UInt8](repeating: 0, count: v * 4)
        var top = [Float](repeating: 0, count: v * 4)
        for vertex in 0..<v {
            let row = weights[(vertex * j)..<(vertex * j + j)]
            let best = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(4)
            var chosen = best.map { (joint: $0 - vertex * j, weight: max(row[$0], 0)) }.filter { $0.weight > 0 }
            if chosen.isEmpty { chosen = [(0, 1)] }
            let sum = chosen.reduce(0) { $0 + $1.weight }
            var acc: Float = 0
            for (slot, c) in chosen.enumerated() {
                joints[vertex * 4 + slot] = UInt8(c.joint)
                let w = slot == chosen.count - 1 ? 1 - acc : c.weight / sum
                top[vertex * 4 + slot] = w
                acc += w
            }
        }
        influenceJoints = joints
        influenceWeights = top
    }

    func restJoint(_ j: Int) -> SIMD3<Double> {
        SIMD3(Double(restJoints[j * 3]), Double(restJoints[j * 3 + 1]), Double(restJoints[j * 3 + 2]))
    }

    /// Rest offset of joint `j` from its parent (the root's is its rest position).
    func localOffset(_ j: Int) -> SIMD3<Double> {
        parents[j] < 0 ? restJoint(j) : restJoint(j) - restJoint(parents[j])
    }

    /// World transforms (row-major 3×3 rotation, translation) of every joint for `pose`.
    func globalTransforms(_ pose: RigPose) -> [(rotation: [Double], translation: SIMD3<Double>)] {
        var result: [(rotation: [Double], translation: SIMD3<Double>)] = []
        result.reserveCapacity(jointCount)
        for j in 0..<jointCount {
            let local = RotationMath.matrix(xyzw: pose.rotation(j))
            if parents[j] < 0 {
                result.append((local, pose.rootPosition))
            } else {
                let parent = result[parents[j]]
                result.append((Self.multiply(parent.rotation, local), parent.translation + Self.apply(parent.rotation, localOffset(j))))
            }
        }
        return result
    }

    /// World positions of the joints for `pose`, (J, 3).
    public func jointPositions(_ pose: RigPose) -> [Float] {
        globalTransforms(pose).flatMap { [Float($0.translation.x), Float($0.translation.y), Float($0.translation.z)] }
    }

    /// Linear blend skinning of the rest mesh with the four influences, (V, 3).
    public func skinnedVertices(_ pose: RigPose) -> [Float] {
        let globals = globalTransforms(pose)
        // Skinning transform of joint j: x ↦ R_j (x − J_j) + t_j.
        var out = [Float](repeating: 0, count: restVertices.count)
        for v in 0..<vertexCount {
            let rest = SIMD3(Double(restVertices[v * 3]), Double(restVertices[v * 3 + 1]), Double(restVertices[v * 3 + 2]))
            var p = SIMD3<Double>.zero
            for slot in 0..<4 {
                let w = Double(influenceWeights[v * 4 + slot])
                guard w != 0 else { continue }
                let j = Int(influenceJoints[v * 4 + slot])
                p += w * (Self.apply(globals[j].rotation, rest - restJoint(j)) + globals[j].translation)
            }
            out[v * 3] = Float(p.x)
            out[v * 3 + 1] = Float(p.y)
            out[v * 3 + 2] = Float(p.z)
        }
        return out
    }

    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for k in 0..<3 { for j in 0..<3 { c[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j] } } }
        return c
    }

    static func apply(_ m: [Double], _ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(m[0] * v.x + m[1] * v.y + m[2] * v.z, m[3] * v.x + m[4] * v.y + m[5] * v.z, m[6] * v.x + m[7] * v.y + m[8] * v.z)
    }
}

/// A skeleton pose in the rig's Y-up frame: local joint rotations and the root's position.
public struct RigPose: Sendable, Equatable {
    /// Local rotations as unit quaternions (x, y, z, w), (J, 4).
    public var rotations: [Float]
    /// World position of the root joint, metres.
    public var rootPosition: SIMD3<Double>

    public init(rotations: [Float], rootPosition: SIMD3<Double>) {
        self.rotations = rotations
        self.rootPosition = rootPosition
    }

    func rotation(_ j: Int) -> SIMD4<Double> {
        SIMD4(Double(rotations[j * 4]), Double(rotations[j * 4 + 1]), Double(rotations[j * 4 + 2]), Double(rotations[j * 4 + 3]))
    }
}
