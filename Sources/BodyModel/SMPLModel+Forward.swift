/// SMPL's forward pass as the smplx layer computes it with rotation matrices (`pose2rot=False`),
/// followed by PyMAF's 49-joint selection:
///
/// 1. v_shaped = v_template + shapedirs·β; J = J_regressor·v_shaped.
/// 2. pose feature = (R₁…R₂₃ − I) (207); v_posed = v_shaped + feature·posedirs.
/// 3. Rigid transforms down `parents`; A_j = G_j with the rest joint's rotation removed.
/// 4. Linear blend skinning: v = (Σ_j w_vj A_j) · [v_posed; 1].
/// 5. 54 joints = 24 posed joints ‖ 21 selected vertices ‖ J_regressor_extra·v; 49 = map of them.
extension SMPLModel {
    /// Evaluates N bodies (N = 1 for one body).
    ///
    /// - Parameters:
    ///   - betas: (N, B) shape coefficients.
    ///   - rotations: (N, 24, 3, 3) joint rotations, row-major, root first.
    /// - Returns: vertices (N, V, 3), joints (N, 24, 3), joints49 (N, 49, 3).
    /// - Complexity: O(N·V·(207 + B + 24·12)), three GEMMs over the batch.
    public func forward(betas: [Float], rotations: [Float]) -> SMPLOutput {
        let J = Self.jointCount, V = vertexCount, B = betaCount
        precondition(rotations.count % (J * 9) == 0, "SMPLModel.forward: rotations must be (N, 24, 3, 3), got \(rotations.count) values")
        let N = rotations.count / (J * 9)
        precondition(betas.count == N * B, "SMPLModel.forward: betas must be (\(N), \(B)), got \(betas.count) values")

        let (vertices, posedJoints) = pose(SkinnedMesh(self), betas: betas, rotations: rotations, count: N)
        let joints49 = selectJoints49(vertices: vertices, joints: posedJoints, count: N)
        return SMPLOutput(count: N, vertexCount: V, vertices: vertices, joints: posedJoints, joints49: joints49)
    }

    /// Steps 1–4 on `mesh` (all of the body's vertices, or a subset): posed vertices (N, V', 3)
    /// and posed joints (N, 24, 3). The joints come from the whole body's regressor either way.
    func pose(_ mesh: SkinnedMesh, betas: [Float], rotations: [Float], count N: Int) -> (vertices: [Float], joints: [Float]) {
        let J = Self.jointCount, V = mesh.vertexCount, B = betaCount, P = Self.poseFeatureCount
        // v_shaped (N, V·3) = v_template + β (N, B) · shapedirsᵀ (B, V·3)
        var vertices = [Float](repeating: 0, count: N * V * 3)
        for n in 0..<N { vertices.replaceSubrange(n * V * 3..<(n + 1) * V * 3, with: mesh.vTemplate) }
        MatrixProduct.multiply(m: N, n: V * 3, k: B, a: betas, b: mesh.shapedirs, transposeB: true, c: &vertices, accumulate: true)

        // J (N, 24·3) = templateJoints + β (N, B) · jointShapedirsᵀ (B, 24·3)
        var restJoints = [Float](repeating: 0, count: N * J * 3)
        for n in 0..<N { restJoints.replaceSubrange(n * J * 3..<(n + 1) * J * 3, with: templateJoints) }
        MatrixProduct.multiply(m: N, n: J * 3, k: B, a: betas, b: jointShapedirs, transposeB: true, c: &restJoints, accumulate: true)

        // pose feature (N, 207) = R₁..₂₃ − I; v_posed += feature · posedirs (207, V·3)
        var feature = [Float](repeating: 0, count: N * P)
        for n in 0..<N {
            for e in 0..<P {
                let value = rotations[n * J * 9 + 9 + e]
                feature[n * P + e] = (e % 9) % 4 == 0 ? value - 1 : value
            }
        }
        MatrixProduct.multiply(m: N, n: V * 3, k: P, a: feature, b: mesh.posedirs, c: &vertices, accumulate: true)

        // Rigid transforms: posed joints (N, 24, 3) and skinning transforms (24, N·12) as 3×4 rows.
        var posedJoints = [Float](repeating: 0, count: N * J * 3)
        var skinning = [Float](repeating: 0, count: J * N * 12)
        for n in 0..<N {
            var chain = [RigidTransform](repeating: RigidTransform(), count: J)
            for j in 0..<J {
                let rotation = RigidTransform.matrix(rotations, at: n * J * 9 + j * 9)
                let joint = SIMD3(restJoints[(n * J + j) * 3], restJoints[(n * J + j) * 3 + 1], restJoints[(n * J + j) * 3 + 2])
                if j == 0 {
                    chain[j] = RigidTransform(rotation: rotation, translation: joint)
                } else {
                    let p = parents[j]
                    let parentJoint = SIMD3(restJoints[(n * J + p) * 3], restJoints[(n * J + p) * 3 + 1], restJoints[(n * J + p) * 3 + 2])
                    chain[j] = chain[p].composed(with: RigidTransform(rotation: rotation, translation: joint - parentJoint))
                }
                let g = chain[j]
                for i in 0..<3 { posedJoints[(n * J + j) * 3 + i] = g.translation[i] }
                let relative = g.translation - g.apply(rotationOnly: joint)
                for r in 0..<3 {
                    for c in 0..<3 { skinning[j * N * 12 + n * 12 + r * 4 + c] = g.rotation[r][c] }
                    skinning[j * N * 12 + n * 12 + r * 4 + 3] = relative[r]
                }
            }
        }

        // Per-vertex transforms (V, N·12) = lbs_weights (V, 24) · skinning (24, N·12), then apply.
        var blended = [Float](repeating: 0, count: V * N * 12)
        MatrixProduct.multiply(m: V, n: N * 12, k: J, a: mesh.lbsWeights, b: skinning, c: &blended)
        for n in 0..<N {
            for v in 0..<V {
                let base = (n * V + v) * 3
                let x = vertices[base], y = vertices[base + 1], z = vertices[base + 2]
                let t = v * N * 12 + n * 12
                for r in 0..<3 {
                    let row = t + 4 * r
                    let xy: Float = blended[row] * x + blended[row + 1] * y
                    vertices[base + r] = xy + blended[row + 2] * z + blended[row + 3]
                }
            }
        }
        return (vertices, posedJoints)
    }

    /// Joints of the shaped body in the rest pose, J_regressor · (v_template + shapedirs·β).
    ///
    /// - Parameter betas: (B).
    /// - Returns: (24, 3).
    public func restJoints(betas: [Float]) -> [Float] {
        precondition(betas.count == betaCount, "SMPLModel.restJoints: betas must be (\(betaCount)), got \(betas.count)")
        var joints = templateJoints
        MatrixProduct.multiply(m: 1, n: Self.jointCount * 3, k: betaCount, a: betas, b: jointShapedirs, transposeB: true, c: &joints, accumulate: true)
        return joints
    }

    /// 54 joints (24 posed ‖ 21 vertices ‖ 9 regressed) reordered to PyMAF's 49.
    func selectJoints49(vertices: [Float], joints: [Float], count N: Int) -> [Float] {
        let V = vertexCount, J = Self.jointCount
        var extra = [Float](repeating: 0, count: N * 9 * 3)
        extraJointRegressor.withUnsafeBufferPointer { regressor in
            vertices.withUnsafeBufferPointer { v in
                extra.withUnsafeMutableBufferPointer { e in
                    for n in 0..<N {
                        let body = UnsafeBufferPointer(rebasing: v[n * V * 3..<(n + 1) * V * 3])  // (V, 3)
                        let out = UnsafeMutableBufferPointer(rebasing: e[n * 27..<(n + 1) * 27])  // (9, 3)
                        MatrixProduct.multiply(m: 9, n: 3, k: V, a: regressor, b: body, c: out)
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: N * 49 * 3)
        for n in 0..<N {
            for (o, source) in Self.joints49Map.enumerated() {
                for i in 0..<3 {
                    let value: Float
                    if source < J {
                        value = joints[(n * J + source) * 3 + i]
                    } else if source < J + 21 {
                        value = vertices[(n * V + extraVertexIndices[source - J]) * 3 + i]
                    } else {
                        value = extra[(n * 9 + source - J - 21) * 3 + i]
                    }
                    out[(n * 49 + o) * 3 + i] = value
                }
            }
        }
        return out
    }
}

/// A rotation and a translation (the top 3×4 of a homogeneous 4×4).
struct RigidTransform {
    var rotation: [SIMD3<Float>] = [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)]  // rows
    var translation = SIMD3<Float>()

    static func matrix(_ values: [Float], at offset: Int) -> [SIMD3<Float>] {
        (0..<3).map { r in SIMD3(values[offset + 3 * r], values[offset + 3 * r + 1], values[offset + 3 * r + 2]) }
    }

    func apply(rotationOnly p: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3((rotation[0] * p).sum(), (rotation[1] * p).sum(), (rotation[2] * p).sum())
    }

    /// self · other.
    func composed(with other: RigidTransform) -> RigidTransform {
        var r = [SIMD3<Float>](repeating: .zero, count: 3)
        for i in 0..<3 {
            r[i] = rotation[i][0] * other.rotation[0] + rotation[i][1] * other.rotation[1] + rotation[i][2] * other.rotation[2]
        }
        return RigidTransform(rotation: r, translation: apply(rotationOnly: other.translation) + translation)
    }
}
