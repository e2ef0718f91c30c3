import Foundation
@testable import BodyModel

/// The random SMPL-structured body and the values torch + smplx computed on it
/// (`tools/make_body_model_fixtures.py` writes `Fixtures/body_model.json`).
struct BodyModelFixture: Sendable {
    let arrays: [String: [Double]]

    static let shared: BodyModelFixture = {
        let url = Bundle.module.url(forResource: "body_model", withExtension: "json", subdirectory: "Fixtures")!
        let object = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var arrays: [String: [Double]] = [:]
        for (key, value) in object {
            if let list = value as? [NSNumber] { arrays[key] = list.map(\.doubleValue) }
            if let number = value as? NSNumber { arrays[key] = [number.doubleValue] }
        }
        return BodyModelFixture(arrays: arrays)
    }()

    func floats(_ key: String) -> [Float] { arrays[key]!.map { Float($0) } }
    func ints(_ key: String) -> [Int] { arrays[key]!.map { Int($0) } }
    func int(_ key: String) -> Int { Int(arrays[key]![0]) }

    func model() throws -> SMPLModel {
        try SMPLModel(
            vTemplate: floats("v_template"), shapedirs: floats("shapedirs"), posedirs: floats("posedirs"),
            jointRegressor: floats("J_regressor"), lbsWeights: floats("weights"), parents: ints("parents"),
            faces: ints("faces").map(Int32.init), extraJointRegressor: floats("J_regressor_extra"),
            extraVertexIndices: ints("extra_idx"))
    }
}

/// max over elements of |a − b| / (1 + |b|): the relative-to-one error the parity checks bound.
func maxScaledError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "maxScaledError: \(a.count) vs \(b.count) values")
    var worst: Float = 0
    for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / (1 + abs(y))) }
    return a.contains(where: \.isNaN) ? .infinity : worst
}
