import Foundation
import ModelIO
import Testing
@testable import BodyModel
@testable import PyMAF

/// The Swift network against PyTorch on the reduced-width fixture. Tolerance: the product's
/// parity bound, max |Δ| ≤ 1e-4·(1 + |ref|), on camera, betas, rotation matrices, vertices and
/// joints at every iteration; axis-angle compared through the rotation it encodes.
@Suite struct PyMAFParityTests {
    let fixture = PyMAFFixture.shared
    let tolerance: Float = 1e-4

    @Test(arguments: ["zip", "legacy"], [1, 8])
    func matchesPyTorch(format: String, batchSize: Int) throws {
        let model = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint(format))
        model.batchSize = batchSize
        model.keepsIterations = true
        let out = try model.regress(fixture.inputs)
        #expect(out.count == fixture.count && out.vertexCount == fixture.vertexCount)
        let errors = ParityErrors(out, reference: fixture, crops: 0..<fixture.count)
        #expect(errors.worst <= tolerance, "\(format), batch \(batchSize): \(errors)")
        #expect(out.theta == Array(out.thetaIterations.suffix(fixture.count * 85)))
        let thetaCameras: [Float] = (0..<fixture.count).flatMap { i in out.theta[i * 85..<i * 85 + 3] }
        #expect(out.predCam == thetaCameras)
        #expect(out.vertices == Array(out.vertexIterations.suffix(fixture.count * fixture.vertexCount * 3)))
    }

    /// Without kept iterations the intermediate bodies are posed only at Dmap's vertices and the
    /// initial one comes from the cache: the answer must not change.
    @Test(arguments: [1, 8])
    func answerIsTheSameWithoutKeptIterations(batchSize: Int) throws {
        let model = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint("zip"))
        model.batchSize = batchSize
        let lean = try model.regress(fixture.inputs)
        model.keepsIterations = true
        let kept = try model.regress(fixture.inputs)
        #expect(lean.vertexIterations.isEmpty && lean.jointIterations.isEmpty)
        #expect(maxScaledError(lean.thetaIterations, kept.thetaIterations) <= 1e-5)
        #expect(maxScaledError(lean.rotations, kept.rotations) <= 1e-5)
        #expect(maxScaledError(lean.vertices, kept.vertices) <= 1e-5)
        #expect(maxScaledError(lean.joints, kept.joints) <= 1e-5)
    }

    /// A batch split across worker threads (shares of unequal size when the crop count does not
    /// divide) gives one thread's answer, crop for crop, within the parity bound: the products
    /// see other batch sizes, so the float rounding differs.
    @Test(arguments: [2, 3])
    func workersGiveOneThreadsAnswer(workers: Int) throws {
        let model = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint("zip"))
        model.workers = 1
        let one = try model.regress(fixture.inputs)
        model.workers = workers
        let split = try model.regress(fixture.inputs)
        #expect(split.count == one.count && fixture.count >= workers)
        #expect(maxScaledError(split.theta, one.theta) <= tolerance)
        #expect(maxScaledError(split.rotations, one.rotations) <= tolerance)
        #expect(maxScaledError(split.vertices, one.vertices) <= tolerance)
        #expect(maxScaledError(split.joints, one.joints) <= tolerance)
    }

    /// Dmap over its used columns, applied to those columns' points, is Dmap.
    /// bfloat16 is opt-in and not exact: its answer moves (so the rounding is really applied)
    /// but stays near float32's on this fixture. The bound is about 3× what was measured.
    @Test func bfloat16StaysNearFloat32() throws {
        let exact = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint("zip"))
        let rounded = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint("zip"), precision: .bfloat16)
        #expect(exact.precision == .float32 && rounded.precision == .bfloat16)
        let a = try exact.regress(fixture.inputs), b = try rounded.regress(fixture.inputs)
        let errors = [maxScaledError(b.theta, a.theta), maxScaledError(b.rotations, a.rotations),
                      maxScaledError(b.vertices, a.vertices), maxScaledError(b.joints, a.joints)]
        #expect(errors.allSatisfy { $0 <= 0.25 }, "measured 0.06–0.075 with AMX")
        #expect(errors.contains { $0 > 1e-5 }, "bfloat16 gave float32's answer: the rounding was not applied")
    }

    @Test func compactedDownsamplingAppliesAsTheWhole() {
        let dense: [Float] = [0, 0.5, 0, 0.5, 0,
                              0, 0, 0, 1, 0,
                              0.25, 0, 0, 0.75, 0]      // (3, 5): columns 0, 1, 3 used
        let dmap = SparseRows(dense: dense, rows: 3, columns: 5)
        let (used, compact) = dmap.compacted()
        #expect(used == [0, 1, 3])
        let points: [Float] = (0..<30).map { Float($0) / 10 - 1 }         // (2, 5, 3)
        var usedPoints: [Float] = []                                       // (2, 3, 3)
        for n in 0..<2 {
            for c in used { usedPoints += points[(n * 5 + c) * 3..<(n * 5 + c + 1) * 3] }
        }
        #expect(compact.apply(toPoints: usedPoints, count: 2) == dmap.apply(toPoints: points, count: 2))
    }

    /// The output must follow the input: different crops give clearly different parameters,
    /// and crop 1 alone gives what it gives inside the batch.
    @Test func outputDependsOnInput() throws {
        let model = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint("zip"))
        let a = try model.regress(fixture.inputs(0..<1)), b = try model.regress(fixture.inputs(1..<2))
        let spread = zip(a.theta, b.theta).map { abs($0 - $1) }.max()!
        #expect(spread > 0.01, "theta differs by only \(spread) between two crops")
        let vertexSpread = zip(a.vertices, b.vertices).map { abs($0 - $1) }.max()!
        #expect(vertexSpread > 1e-3)
        let both = try model.regress(fixture.inputs(0..<2))
        #expect(maxScaledError(both.crops(1..<2).theta, b.theta) <= tolerance)
    }

    /// A checkpoint without the body buffers (older smplx, or stripped) takes them from PyMAF's
    /// data/ files: SMPL_NEUTRAL.pkl, J_regressor_extra.npy, smpl_mean_params.npz, mesh_downsampling.npz.
    @Test func bodyFromDataFolder() throws {
        let full = try TorchCheckpoint(contentsOf: PyMAFFixture.checkpoint("zip")).stateDict()
        let stripped = full.filter { entry in
            let isBody = entry.key.contains(".smpl.") && !entry.key.hasSuffix("extra_joints_idxs")
            return !isBody && !entry.key.contains("init_") && !entry.key.hasSuffix("Dmap")
        }
        #expect(stripped.count < full.count - 20)
        let model = try PyMAFRegressor(stateDict: stripped, name: "stripped", dataDirectory: PyMAFFixture.dataDirectory)
        model.keepsIterations = true
        let errors = ParityErrors(try model.regress(fixture.inputs), reference: fixture, crops: 0..<fixture.count)
        #expect(errors.worst <= tolerance, "\(errors)")

        #expect {
            try PyMAFRegressor(stateDict: stripped, name: "stripped", dataDirectory: nil)
        } throws: { error in
            guard case let PyMAFError.bodyModelUnavailable(missing, _) = error else { return false }
            return missing.contains { $0.contains("SMPL") } && missing.contains { $0.contains("mean") }
        }
    }

    /// Missing keys, unexpected keys and shape mismatches are reported together.
    @Test func weightProblemsAreReportedTogether() throws {
        var entries = try TorchCheckpoint(contentsOf: PyMAFFixture.checkpoint("legacy")).stateDict()
        let swapped = entries.firstIndex { $0.key == "regressor.1.fc2.bias" }!
        let other = entries.first { $0.key == "regressor.1.decshape.bias" }!.tensor
        entries[swapped] = (entries[swapped].key, other)
        let extra = entries.first { $0.key == "regressor.2.deccam.bias" }!.tensor
        entries.removeAll { $0.key == "feature_extractor.layer2.1.conv2.weight" }
        entries.append(("head.fc.weight", extra))
        #expect {
            try PyMAFRegressor(stateDict: entries, name: "broken.pt")
        } throws: { error in
            guard case let PyMAFError.weightsMismatch(name, missing, unexpected, mismatches) = error else { return false }
            return name == "broken.pt" && missing == ["feature_extractor.layer2.1.conv2.weight"] && unexpected == ["head.fc.weight"]
                && mismatches.map(\.key) == ["regressor.1.fc2.bias"] && "\(error)".contains("missing keys (1)")
        }
    }

    @Test func rejectsMalformedCrops() throws {
        let model = try PyMAFRegressor(checkpoint: PyMAFFixture.checkpoint("zip"))
        #expect(throws: PyMAFError.invalidInput(shape: [2, 4, 224, 224])) {
            try model.regress(.init(shape: [2, 4, 224, 224]))
        }
    }

    @Test func bodyModelLoaderReadsTheCheckpointBody() throws {
        let body = try BodyModelLoader.load(checkpoint: PyMAFFixture.checkpoint("legacy"), dataDirectory: nil)
        #expect(body.vertexCount == fixture.vertexCount)
        #expect(body.parents == SMPLModel.smplParents)
        let fromData = try BodyModelLoader.load(checkpoint: PyMAFFixture.checkpoint("zip"), dataDirectory: PyMAFFixture.dataDirectory)
        #expect(fromData.vTemplate == body.vTemplate)
    }
}
