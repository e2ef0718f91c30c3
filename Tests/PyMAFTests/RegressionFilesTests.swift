import Foundation
import ModelIO
import Testing
@testable import PyMAF

/// The regress subcommand's files: crops in (.npy), outputs out (.npz) with the documented keys.
@Suite struct RegressionFilesTests {
    @Test func writesEveryKeyWithItsShape() throws {
        let fixture = PyMAFFixture.shared
        let model = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint("zip"))
        model.keepsIterations = true
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pymaf-regress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let input = directory.appendingPathComponent("crops.npy")
        try NPYWriter.write(try NumPyArrayData(floats: fixture.inputs(0..<2).data, shape: [2, 3, 224, 224]), to: input)
        let crops = try RegressionFiles.readCrops(from: input)
        let out = try model.regress(crops)
        let output = directory.appendingPathComponent("out.npz")
        try RegressionFiles.write(out, to: output)

        let archive = try NPZArchive(contentsOf: output)
        let v = fixture.vertexCount
        let expected: [String: [Int]] = [
            "theta": [2, 85], "rotmat": [2, 24, 3, 3], "verts": [2, v, 3], "joints3d": [2, 49, 3], "pred_cam": [2, 3],
            "theta_iters": [4, 2, 85], "rotmat_iters": [4, 2, 24, 3, 3], "verts_iters": [4, 2, v, 3], "joints_iters": [4, 2, 49, 3],
        ]
        for (name, shape) in expected { #expect(try archive.array(name).shape == shape, "\(name)") }
        #expect(try archive.array("theta").floats() == out.theta)
    }

    @Test func rejectsWrongCropShape() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pymaf-bad-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try NPYWriter.write(try NumPyArrayData(floats: [Float](repeating: 0, count: 224 * 224), shape: [224, 224]), to: url)
        #expect(throws: PyMAFError.invalidInput(shape: [224, 224])) { try RegressionFiles.readCrops(from: url) }
    }
}
