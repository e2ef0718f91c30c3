import BodyModel
import Foundation

extension ExportSession {
    /// A session exporting bodies of `bodyModel` (its faces, skinning weights and skeleton; each
    /// track's rig is rested at the track's mean β).
    public convenience init(outputFolder: URL, video: ExportVideo, options: ExportOptions, bodyModel: SMPLModel) throws {
        try self.init(outputFolder: outputFolder, video: video, options: options, body: ExportBodyModel(bodyModel))
    }
}

extension ExportBodyModel {
    init(_ model: SMPLModel) {
        self.init(faces: model.faces.map { UInt32($0) }, vertexCount: model.vertexCount, parents: model.parents,
                  makeRig: { betas in ExportRig(bodyModel: model, betas: betas) })
    }
}

extension ExportRig {
    /// The rig of `bodyModel` at shape `betas`: rest joints J(β), rest vertices (T-pose, no
    /// pose correctives), SMPL's names and tree, the four strongest skinning weights.
    public init(bodyModel: SMPLModel, betas: [Float]) {
        let shape = betas.count == bodyModel.betaCount ? betas : [Float](repeating: 0, count: bodyModel.betaCount)
        let eye: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        let identity: [Float] = (0..<SMPLModel.jointCount).flatMap { _ in eye }
        let rest = bodyModel.forward(betas: shape, rotations: identity)
        self.init(jointNames: ExportRig.smplJointNames, parents: bodyModel.parents, restJoints: bodyModel.restJoints(betas: shape),
                  restVertices: rest.vertices, faces: bodyModel.faces.map { UInt32($0) }, weights: bodyModel.lbsWeights)
    }
}

extension RigPose {
    /// The Y-up pose (root rotation flipped from the camera frame, root at the pelvis plus the
    /// plate camera's translation) that every skinning format stores for `frame`.
    public init(frame: PersonFrame, camera: PlateCamera) throws {
        self = try ExportFrame(frame, camera: camera, vertexCount: frame.vertices.count / 3, jointCount: frame.rotations.count / 9).pose
    }
}
