import BodyModel
import DemoAssets
import Foundation
import Pipeline
import PyMAF
import Tensor

/// A stand-in for the network in wiring tests: every crop gets the demo's mean parameters (what
/// an untrained PyMAF predicts) on the procedural body, except that the crop camera's tx is the
/// crop's mean value, so each output can be traced back to its crop.
final class MeanPoseRegressor: BodyRegressor, Sendable {
    let bodyModel: SMPLModel
    private let rest: SMPLOutput
    private let pose: [Float]
    private let calls = LockedCounter()

    init(detail: ProceduralHumanoid.Detail = .demo) throws {
        let body = ProceduralHumanoid(detail: detail)
        bodyModel = try SMPLModel(
            vTemplate: body.vTemplate, shapedirs: body.shapedirs, posedirs: body.posedirs, jointRegressor: body.jointRegressor,
            lbsWeights: body.lbsWeights, parents: body.parents, faces: body.faces, extraJointRegressor: body.extraJointRegressor,
            extraVertexIndices: body.extraVertexIndices)
        rest = bodyModel.forward(betas: DemoMeanParameters.shape, rotations: DemoMeanParameters.rotations)
        pose = Rotation.axisAngle(fromMatrix: DemoMeanParameters.rotations)
    }

    /// Crops regressed so far.
    var cropCount: Int { calls.value }

    func regress(_ crops: Tensor) throws -> RegressionOutput {
        let n = crops.shape[0]
        let per = crops.count / max(n, 1)
        calls.increment(by: n)
        var predCam: [Float] = []
        var theta: [Float] = []
        for k in 0..<n {
            let mean = crops.data[(k * per)..<((k + 1) * per)].reduce(0, +) / Float(per)
            let cam: [Float] = [DemoMeanParameters.camera[0], mean, DemoMeanParameters.camera[2]]
            predCam += cam
            theta += cam + DemoMeanParameters.shape + pose
        }
        let repeated = { (x: [Float]) in Array([[Float]](repeating: x, count: n).joined()) }
        return RegressionOutput(
            count: n, vertexCount: bodyModel.vertexCount, theta: theta, rotations: repeated(DemoMeanParameters.rotations),
            vertices: repeated(rest.vertices), joints: repeated(rest.joints49), predCam: predCam,
            thetaIterations: Array([[Float]](repeating: theta, count: 4).joined()))  // (4, N, 85)
    }

    /// A loader handing out this regressor whatever the checkpoint.
    var loader: RegressorLoader {
        RegressorLoader { _, _, _ in self }
    }
}
