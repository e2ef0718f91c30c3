import Foundation
import ModelIO
import Tensor

/// The files of `pymaf-video regress`: crops in as `.npy`, results out as `.npz`.
///
///     let crops = try RegressionFiles.readCrops(from: input)          // (N, 3, 224, 224)
///     try RegressionFiles.write(model.regress(crops), to: output)
public enum RegressionFiles {
    /// Reads float32 (or float64) crops (N, 3, H, W) from a `.npy` file.
    ///
    /// - Throws: `ModelIOError` for an unreadable file, `PyMAFError.invalidInput` for a wrong shape.
    public static func readCrops(from url: URL) throws -> Tensor {
        let array = try NPYFile.read(contentsOf: url)
        guard array.shape.count == 4, array.shape[0] >= 1, array.shape[1] == 3 else { throw PyMAFError.invalidInput(shape: array.shape) }
        return Tensor(shape: array.shape, data: try array.floats())
    }

    /// Writes `theta` (N,85), `rotmat` (N,24,3,3), `verts` (N,V,3), `joints3d` (N,49,3),
    /// `pred_cam` (N,3), `theta_iters` (4,N,85), and when present `rotmat_iters`, `verts_iters`,
    /// `joints_iters`. Written to a temporary name and renamed when complete.
    public static func write(_ output: RegressionOutput, to url: URL) throws {
        let n = output.count, v = output.vertexCount, t = RegressionOutput.iterationCount
        var arrays: [(name: String, array: NumPyArrayData)] = [
            ("theta", try NumPyArrayData(floats: output.theta, shape: [n, 85])),
            ("rotmat", try NumPyArrayData(floats: output.rotations, shape: [n, 24, 3, 3])),
            ("verts", try NumPyArrayData(floats: output.vertices, shape: [n, v, 3])),
            ("joints3d", try NumPyArrayData(floats: output.joints, shape: [n, 49, 3])),
            ("pred_cam", try NumPyArrayData(floats: output.predCam, shape: [n, 3])),
            ("theta_iters", try NumPyArrayData(floats: output.thetaIterations, shape: [t, n, 85])),
        ]
        if !output.vertexIterations.isEmpty {
            arrays += [
                ("rotmat_iters", try NumPyArrayData(floats: output.rotationIterations, shape: [t, n, 24, 3, 3])),
                ("verts_iters", try NumPyArrayData(floats: output.vertexIterations, shape: [t, n, v, 3])),
                ("joints_iters", try NumPyArrayData(floats: output.jointIterations, shape: [t, n, 49, 3])),
            ]
        }
        try NPZWriter().write(arrays, to: url)
    }
}
