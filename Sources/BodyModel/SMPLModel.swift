/// The SMPL body model as plain arrays, with any vertex count.
///
/// Layouts are those of the smplx SMPL layer's buffers (and PyMAF's checkpoint), so binding a
/// checkpoint is a copy. 24 joints, 23 pose-corrective rotations (207 values), B shape
/// coefficients (10 for SMPL), V vertices. The evaluation is in `SMPLModel+Forward.swift`.
///
///     let body = try SMPLModel(vTemplate: v, shapedirs: s, posedirs: p, jointRegressor: j,
///                              lbsWeights: w, parents: SMPLModel.smplParents, faces: f,
///                              extraJointRegressor: x, extraVertexIndices: SMPLModel.smplExtraVertexIndices)
///     let out = body.forward(betas: betas, rotations: rotmats)   // out.vertices (N, V, 3)
public struct SMPLModel: Sendable {
    /// Number of joints of the kinematic tree.
    public static let jointCount = 24
    /// Size of the pose-corrective feature: 23 non-root rotations minus identity, 9 values each.
    public static let poseFeatureCount = 207

    /// V.
    public let vertexCount: Int
    /// B: number of shape coefficients.
    public let betaCount: Int
    /// Template mesh, (V, 3).
    public let vTemplate: [Float]
    /// Shape blend shapes, (V·3, B) (smplx's (V, 3, B) flattened).
    public let shapedirs: [Float]
    /// Pose blend shapes, (207, V·3).
    public let posedirs: [Float]
    /// Dense joint regressor, (24, V).
    public let jointRegressor: [Float]
    /// Skinning weights, (V, 24).
    public let lbsWeights: [Float]
    /// Kinematic tree, (24): parents[0] = −1, parents[i] < i.
    public let parents: [Int]
    /// Triangles, (F, 3), vertex indices.
    public let faces: [Int32]
    /// PyMAF's `J_regressor_extra`, (9, V).
    public let extraJointRegressor: [Float]
    /// Vertices taken as joints 24..44 (nose, eyes, ears, feet, finger tips), (21).
    public let extraVertexIndices: [Int]

    /// Joint regressor applied to the template, (24, 3): rest joints at β = 0.
    let templateJoints: [Float]
    /// Joint regressor applied to the shape blend shapes, (24·3, B).
    let jointShapedirs: [Float]

    /// Builds a body model, checking every size and index against V and B.
    ///
    /// - Throws: `BodyModelError` naming the first field that does not fit.
    public init(
        vTemplate: [Float], shapedirs: [Float], posedirs: [Float], jointRegressor: [Float],
        lbsWeights: [Float], parents: [Int], faces: [Int32], extraJointRegressor: [Float],
        extraVertexIndices: [Int]
    ) throws {
        let J = Self.jointCount
        guard vTemplate.count % 3 == 0, !vTemplate.isEmpty else {
            throw BodyModelError.sizeMismatch(field: "v_template", expected: "a positive multiple of 3 (V, 3)", actual: vTemplate.count)
        }
        let V = vTemplate.count / 3
        guard shapedirs.count % (3 * V) == 0, !shapedirs.isEmpty else {
            throw BodyModelError.sizeMismatch(field: "shapedirs", expected: "a multiple of V·3 = \(3 * V) (V, 3, B)", actual: shapedirs.count)
        }
        let B = shapedirs.count / (3 * V)
        func check(_ field: String, _ array: [Float], _ shape: [Int]) throws {
            let n = shape.reduce(1, *)
            if array.count != n {
                throw BodyModelError.sizeMismatch(field: field, expected: "\(n) \(shape)", actual: array.count)
            }
        }
        try check("posedirs", posedirs, [Self.poseFeatureCount, 3 * V])
        try check("J_regressor", jointRegressor, [J, V])
        try check("lbs_weights", lbsWeights, [V, J])
        try check("J_regressor_extra", extraJointRegressor, [9, V])
        guard parents.count == J else {
            throw BodyModelError.sizeMismatch(field: "parents", expected: "\(J)", actual: parents.count)
        }
        guard parents[0] == -1, (1..<J).allSatisfy({ parents[$0] >= 0 && parents[$0] < $0 }) else {
            throw BodyModelError.invalidParents(parents)
        }
        guard faces.count % 3 == 0 else {
            throw BodyModelError.sizeMismatch(field: "faces", expected: "a multiple of 3 (F, 3)", actual: faces.count)
        }
        if let bad = faces.first(where: { $0 < 0 || Int($0) >= V }) {
            throw BodyModelError.indexOutOfRange(field: "faces", index: Int(bad), limit: V)
        }
        guard extraVertexIndices.count == 21 else {
            throw BodyModelError.sizeMismatch(field: "extra_joints_idxs", expected: "21", actual: extraVertexIndices.count)
        }
        if let bad = extraVertexIndices.first(where: { $0 < 0 || $0 >= V }) {
            throw BodyModelError.indexOutOfRange(field: "extra_joints_idxs", index: bad, limit: V)
        }
        self.vertexCount = V
        self.betaCount = B
        self.vTemplate = vTemplate
        self.shapedirs = shapedirs
        self.posedirs = posedirs
        self.jointRegressor = jointRegressor
        self.lbsWeights = lbsWeights
        self.parents = parents
        self.faces = faces
        self.extraJointRegressor = extraJointRegressor
        self.extraVertexIndices = extraVertexIndices

        // (24, V) · (V, 3) and (24, V) · (V, 3·B): the regressor folded into the shape space.
        var templateJoints = [Float](repeating: 0, count: J * 3)
        MatrixProduct.multiply(m: J, n: 3, k: V, a: jointRegressor, b: vTemplate, c: &templateJoints)
        var jointShapedirs = [Float](repeating: 0, count: J * 3 * B)
        MatrixProduct.multiply(m: J, n: 3 * B, k: V, a: jointRegressor, b: shapedirs, c: &jointShapedirs)
        self.templateJoints = templateJoints
        self.jointShapedirs = jointShapedirs
    }

    /// Number of triangles.
    public var faceCount: Int { faces.count / 3 }
}
