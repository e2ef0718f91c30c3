import BodyModel
import Foundation
import ModelIO
import Tensor
@testable import PyMAF

/// The reduced-width PyMAF fixture written by `tools/make_pymaf_fixtures.py --size small`:
/// the same keys and structure as the released checkpoint with narrow layers and a 64-vertex
/// body, in both checkpoint formats, with PyTorch's outputs for three crops.
struct PyMAFFixture: Sendable {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    static func checkpoint(_ format: String) -> URL { directory.appendingPathComponent("pymaf_small_\(format).pt") }
    static let dataDirectory = directory.appendingPathComponent("data_small")
    static let shared = try! PyMAFFixture()

    let inputs: Tensor                 // (N, 3, 224, 224)
    let thetaIterations: [Float]       // (4, N, 85)
    let rotationIterations: [Float]    // (4, N, 24, 3, 3)
    let vertexIterations: [Float]      // (4, N, V, 3)
    let jointIterations: [Float]       // (4, N, 49, 3)
    let count: Int
    let vertexCount: Int

    init() throws {
        let archive = try NPZArchive(contentsOf: Self.directory.appendingPathComponent("pymaf_small_io.npz"))
        let x = try archive.array("inputs")
        inputs = Tensor(shape: x.shape, data: try x.floats())
        thetaIterations = try archive.array("theta_iters").floats()
        rotationIterations = try archive.array("rotmat_iters").floats()
        let verts = try archive.array("verts_iters")
        vertexIterations = try verts.floats()
        jointIterations = try archive.array("joints_iters").floats()
        count = x.shape[0]
        vertexCount = verts.shape[2]
    }

    /// Crops `range` of the inputs.
    func inputs(_ range: Range<Int>) -> Tensor {
        let per = 3 * 224 * 224
        return Tensor(shape: [range.count, 3, 224, 224], data: Array(inputs.data[range.lowerBound * per..<range.upperBound * per]))
    }
}

/// max over elements of |a − b| / (1 + |b|).
func maxScaledError(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Float {
    precondition(a.count == b.count, "maxScaledError: \(a.count) vs \(b.count) values")
    var worst: Float = 0
    for (x, y) in zip(a, b) {
        if x.isNaN || y.isNaN { return .infinity }
        worst = max(worst, abs(x - y) / (1 + abs(y)))
    }
    return worst
}

/// Per-quantity worst errors of an output against the reference, over all iterations.
struct ParityErrors: CustomStringConvertible {
    var camera: Float = 0, betas: Float = 0, rotations: Float = 0, axisAngle: Float = 0, vertices: Float = 0, joints: Float = 0

    var worst: Float { [camera, betas, rotations, axisAngle, vertices, joints].max()! }
    var description: String {
        "cam \(camera) betas \(betas) rotmat \(rotations) pose(as rotation) \(axisAngle) verts \(vertices) joints \(joints)"
    }

    /// Compares crops `crops` of the reference with `output` (which holds exactly those crops).
    init(_ output: RegressionOutput, reference r: PyMAFFixture, crops: Range<Int>) {
        let n = r.count, v = r.vertexCount
        for t in 0..<RegressionOutput.iterationCount {
            for (local, i) in crops.enumerated() {
                let ours = output.thetaIterations[(t * output.count + local) * 85..<(t * output.count + local + 1) * 85]
                let ref = r.thetaIterations[(t * n + i) * 85..<(t * n + i + 1) * 85]
                camera = max(camera, maxScaledError(ours.prefix(3), ref.prefix(3)))
                betas = max(betas, maxScaledError(ours.dropFirst(3).prefix(10), ref.dropFirst(3).prefix(10)))
                axisAngle = max(axisAngle, maxScaledError(Rotation.matrix(fromAxisAngle: Array(ours.suffix(72))),
                                                          Rotation.matrix(fromAxisAngle: Array(ref.suffix(72)))))
                func slice(_ a: [Float], _ width: Int, _ count: Int, _ index: Int) -> ArraySlice<Float> {
                    a[(t * count + index) * width..<(t * count + index + 1) * width]
                }
                rotations = max(rotations, maxScaledError(slice(output.rotationIterations, 216, output.count, local), slice(r.rotationIterations, 216, n, i)))
                vertices = max(vertices, maxScaledError(slice(output.vertexIterations, v * 3, output.count, local), slice(r.vertexIterations, v * 3, n, i)))
                joints = max(joints, maxScaledError(slice(output.jointIterations, 147, output.count, local), slice(r.jointIterations, 147, n, i)))
            }
        }
    }
}
