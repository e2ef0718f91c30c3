import Testing
@testable import BodyModel

/// SMPL against the smplx layer + PyMAF's 49 joints on a random 64-vertex body. Tolerance:
/// 1e-4·(1 + |ref|), the product's parity bound (observed errors are ~1e-6).
@Suite struct SMPLModelTests {
    let fixture = BodyModelFixture.shared
    let tolerance: Float = 1e-4

    @Test func forwardMatchesSmplx() throws {
        let body = try fixture.model()
        let out = body.forward(betas: fixture.floats("betas"), rotations: fixture.floats("rotmat"))
        #expect(out.count == fixture.int("count"))
        #expect(out.vertexCount == fixture.int("vertex_count"))
        #expect(maxScaledError(out.vertices, fixture.floats("vertices")) <= tolerance)
        #expect(maxScaledError(out.joints, fixture.floats("joints24")) <= tolerance)
        #expect(maxScaledError(out.joints49, fixture.floats("joints49")) <= tolerance)
    }

    /// Equal up to float32 rounding (OpenBLAS blocks a batch differently from one body).
    @Test func batchedEqualsOneByOne() throws {
        let body = try fixture.model()
        let betas = fixture.floats("betas"), rotations = fixture.floats("rotmat")
        let batch = body.forward(betas: betas, rotations: rotations)
        let V = body.vertexCount
        for n in 0..<batch.count {
            let one = body.forward(betas: Array(betas[n * 10..<(n + 1) * 10]), rotations: Array(rotations[n * 216..<(n + 1) * 216]))
            #expect(maxScaledError(one.vertices, Array(batch.vertices[n * V * 3..<(n + 1) * V * 3])) <= 1e-6)
            #expect(maxScaledError(one.joints49, Array(batch.joints49[n * 147..<(n + 1) * 147])) <= 1e-6)
        }
    }

    /// A subset poses its vertices exactly as the whole body does (same products over fewer
    /// columns; the tolerance only allows for OpenBLAS blocking them differently).
    @Test func vertexSubsetEqualsTheWholeBodyAtItsIndices() throws {
        let body = try fixture.model()
        let betas = fixture.floats("betas"), rotations = fixture.floats("rotmat")
        let whole = body.forward(betas: betas, rotations: rotations)
        let indices = [5, 0, 63, 17, 17, 40], V = body.vertexCount
        let part = body.subset(vertices: indices)
        for count in [1, whole.count] {
            let v = part.vertices(betas: Array(betas.prefix(count * 10)), rotations: Array(rotations.prefix(count * 216)))
            #expect(v.count == count * indices.count * 3)
            var expected: [Float] = []                                    // (count, S, 3)
            for n in 0..<count {
                for i in indices { expected += whole.vertices[(n * V + i) * 3..<(n * V + i + 1) * 3] }
            }
            #expect(maxScaledError(v, expected) <= 1e-6)
        }
    }

    @Test func restJointsMatchRegressorOnShapedTemplate() throws {
        let body = try fixture.model()
        let betas = fixture.floats("betas"), reference = fixture.floats("rest_joints")
        for n in 0..<fixture.int("count") {
            let joints = body.restJoints(betas: Array(betas[n * 10..<(n + 1) * 10]))
            #expect(maxScaledError(joints, Array(reference[n * 72..<(n + 1) * 72])) <= tolerance)
        }
    }

    @Test func identityPoseAtZeroShapeIsTheTemplate() throws {
        let body = try fixture.model()
        var rotations = [Float](repeating: 0, count: 216)
        for j in 0..<24 { rotations[9 * j] = 1; rotations[9 * j + 4] = 1; rotations[9 * j + 8] = 1 }
        let out = body.forward(betas: [Float](repeating: 0, count: 10), rotations: rotations)
        #expect(maxScaledError(out.vertices, body.vTemplate) <= 1e-6)
    }

    @Test func malformedModelsAreTypedErrors() throws {
        let f = fixture
        #expect(throws: BodyModelError.sizeMismatch(field: "posedirs", expected: "39744 [207, 192]", actual: 10)) {
            try SMPLModel(
                vTemplate: f.floats("v_template"), shapedirs: f.floats("shapedirs"), posedirs: [Float](repeating: 0, count: 10),
                jointRegressor: f.floats("J_regressor"), lbsWeights: f.floats("weights"), parents: f.ints("parents"),
                faces: [], extraJointRegressor: f.floats("J_regressor_extra"), extraVertexIndices: f.ints("extra_idx"))
        }
        #expect(throws: BodyModelError.indexOutOfRange(field: "extra_joints_idxs", index: 6133, limit: 64)) {
            try SMPLModel(
                vTemplate: f.floats("v_template"), shapedirs: f.floats("shapedirs"), posedirs: f.floats("posedirs"),
                jointRegressor: f.floats("J_regressor"), lbsWeights: f.floats("weights"), parents: f.ints("parents"),
                faces: [], extraJointRegressor: f.floats("J_regressor_extra"), extraVertexIndices: SMPLModel.smplExtraVertexIndices.reversed())
        }
        var parents = f.ints("parents")
        parents[5] = 7
        #expect(throws: BodyModelError.invalidParents(parents)) {
            try SMPLModel(
                vTemplate: f.floats("v_template"), shapedirs: f.floats("shapedirs"), posedirs: f.floats("posedirs"),
                jointRegressor: f.floats("J_regressor"), lbsWeights: f.floats("weights"), parents: parents,
                faces: [], extraJointRegressor: f.floats("J_regressor_extra"), extraVertexIndices: f.ints("extra_idx"))
        }
    }

    @Test func jointTablesHaveTheirSizes() {
        #expect(SMPLModel.jointNames.count == 24)
        #expect(SMPLModel.joints49Names.count == 49)
        #expect(SMPLModel.joints49Map.count == 49 && SMPLModel.joints49Map.allSatisfy { $0 < 54 })
        #expect(SMPLModel.smplParents == fixture.ints("parents"))
    }
}
