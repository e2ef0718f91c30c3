import Foundation
import Testing
@testable import ModelIO

struct SMPLExpectation: Decodable {
    var vertexCount: Int
    var faceCount: Int
    var shapeCount: Int
    var vTemplate: [Double]
    var shapedirs: [Double]
    var posedirs: [Double]
    var jRegressor: [Double]
    var weights: [Double]
    var parents: [Int]
    var faces: [Int]
}

@Suite struct SMPLModelFileTests {
    /// A Python 2 style pickle (BINSTRING strings, chumpy `Ch`, sparse csc `J_regressor`,
    /// uint32 faces). Values are float64 in the file and compared after rounding to Float, as
    /// `Float(_:)` rounds: exact equality.
    @Test func syntheticSMPLLoadsEveryValue() throws {
        let expected = try Fixtures.decode(SMPLExpectation.self, "smpl_synthetic_expected.json")
        let model = try SMPLModelFile.load(contentsOf: Fixtures.url("smpl_synthetic.pkl"))
        #expect(model.vertexCount == expected.vertexCount)
        #expect(model.shapeCount == expected.shapeCount)
        #expect(model.vTemplate == expected.vTemplate.map { Float($0) })
        #expect(model.shapedirs == expected.shapedirs.map { Float($0) })
        #expect(model.posedirs == expected.posedirs.map { Float($0) })
        #expect(model.jRegressor == expected.jRegressor.map { Float($0) })
        #expect(model.weights == expected.weights.map { Float($0) })
        #expect(model.parents == expected.parents)
        #expect(model.faces == expected.faces.map { Int32($0) })
        #expect(model.faces.count == expected.faceCount * 3)
    }

    @Test func python2StringsReadAsLatin1() throws {
        let bytes = try Fixtures.bytes("smpl_synthetic.pkl")
        let root = try Unpickler().load(bytes)
        #expect(root["bs_style"]?.text == "lbs")
        #expect(root["bs_type"]?.text == "lrotmin")
        guard case .array(let j) = root["J"] else { Issue.record("J (a chumpy Ch) is not an array"); return }
        #expect(j.shape == [24, 3])
    }

    @Test func missingKeyIsNamed() throws {
        let error = modelIOError { _ = try SMPLModelFile(.dict([(.string("f"), .none)])) }
        #expect(error?.reason == .missingEntry("SMPL key `v_template`"))
    }
}
