/// The mesh arrays one evaluation poses: every vertex of the body, or a subset of them.
struct SkinnedMesh: Sendable {
    /// V' (V for the whole body).
    var vertexCount: Int
    /// (V', 3).
    var vTemplate: [Float]
    /// (V'·3, B).
    var shapedirs: [Float]
    /// (207, V'·3).
    var posedirs: [Float]
    /// (V', 24).
    var lbsWeights: [Float]

    /// The whole body (no copy: the arrays are shared).
    init(_ model: SMPLModel) {
        vertexCount = model.vertexCount
        vTemplate = model.vTemplate
        shapedirs = model.shapedirs
        posedirs = model.posedirs
        lbsWeights = model.lbsWeights
    }

    /// The rows of `model`'s arrays that belong to `indices`, in that order.
    init(_ model: SMPLModel, indices: [Int]) {
        let S = indices.count, V3 = 3 * model.vertexCount, B = model.betaCount, J = SMPLModel.jointCount
        vertexCount = S
        vTemplate = indices.flatMap { model.vTemplate[3 * $0..<3 * $0 + 3] }
        shapedirs = indices.flatMap { model.shapedirs[3 * B * $0..<3 * B * ($0 + 1)] }
        lbsWeights = indices.flatMap { model.lbsWeights[J * $0..<J * ($0 + 1)] }
        var posedirs = [Float](repeating: 0, count: SMPLModel.poseFeatureCount * 3 * S)
        for e in 0..<SMPLModel.poseFeatureCount {
            for (s, v) in indices.enumerated() {
                for i in 0..<3 { posedirs[e * 3 * S + 3 * s + i] = model.posedirs[e * V3 + 3 * v + i] }
            }
        }
        self.posedirs = posedirs
    }
}

/// Some of a body model's vertices, posed on their own.
///
/// A consumer that reads only a few vertices — PyMAF projects the mesh downsampled to 431 points
/// between its iterations — needs neither the other vertices' blend shapes nor their skinning;
/// those are most of SMPL's cost (the 207 × 20670 `posedirs` alone is 17 MB). The joints still
/// come from the whole body's regressor, so the result equals `forward(...)` at `indices`.
///
///     let part = body.subset(vertices: [332, 6260, 2800])
///     let v = part.vertices(betas: betas, rotations: rotmats)   // (N, 3, 3)
public struct SMPLVertexSubset: Sendable {
    /// The body model's index of each subset vertex, (S).
    public let indices: [Int]
    let model: SMPLModel
    let mesh: SkinnedMesh

    /// Posed vertices of the subset, (N, S, 3): `forward(betas:rotations:).vertices` at `indices`.
    ///
    /// - Parameters:
    ///   - betas: (N, B) shape coefficients.
    ///   - rotations: (N, 24, 3, 3) joint rotations, row-major, root first.
    /// - Complexity: O(N·S·(207 + B + 24·12)).
    public func vertices(betas: [Float], rotations: [Float]) -> [Float] {
        let J = SMPLModel.jointCount
        precondition(rotations.count % (J * 9) == 0, "SMPLVertexSubset: rotations must be (N, 24, 3, 3), got \(rotations.count) values")
        let N = rotations.count / (J * 9)
        precondition(betas.count == N * model.betaCount, "SMPLVertexSubset: betas must be (\(N), \(model.betaCount)), got \(betas.count) values")
        return model.pose(mesh, betas: betas, rotations: rotations, count: N).vertices
    }
}

extension SMPLModel {
    /// The body restricted to `indices` (each in 0..<V; any order, repeats allowed).
    public func subset(vertices indices: [Int]) -> SMPLVertexSubset {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < vertexCount }, "SMPLModel.subset: a vertex index is outside 0..<\(vertexCount)")
        return SMPLVertexSubset(indices: indices, model: self, mesh: SkinnedMesh(self, indices: indices))
    }
}
