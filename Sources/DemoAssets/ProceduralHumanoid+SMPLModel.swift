import BodyModel

extension ProceduralHumanoid {
    /// The body as BodyModel's `SMPLModel`, ready for `forward`.
    public func bodyModel() throws -> SMPLModel {
        try SMPLModel(vTemplate: vTemplate, shapedirs: shapedirs, posedirs: posedirs, jointRegressor: jointRegressor,
                      lbsWeights: lbsWeights, parents: parents, faces: faces, extraJointRegressor: extraJointRegressor,
                      extraVertexIndices: extraVertexIndices)
    }
}
