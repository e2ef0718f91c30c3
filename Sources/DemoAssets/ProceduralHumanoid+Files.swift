import Foundation
import ModelIO

extension ProceduralHumanoid {
    /// Writes the body as a NumPy archive with smplx's buffer names and layouts: `v_template`
    /// (V, 3), `shapedirs` (V, 3, 10), `posedirs` (207, V·3), `J_regressor` (24, V), `lbs_weights`
    /// (V, 24), `parents` (24) int64, `faces` (F, 3) int64, `J_regressor_extra` (9, V),
    /// `extra_joints_idxs` (21) int64 (temporary name, renamed when complete).
    public func writeNPZ(to url: URL) throws {
        let v = vertexCount
        try NPZWriter(compressed: true).write([
            ("v_template", try NumPyArrayData(floats: vTemplate, shape: [v, 3])),
            ("shapedirs", try NumPyArrayData(floats: shapedirs, shape: [v, 3, 10])),
            ("posedirs", try NumPyArrayData(floats: posedirs, shape: [207, 3 * v])),
            ("J_regressor", try NumPyArrayData(floats: jointRegressor, shape: [24, v])),
            ("lbs_weights", try NumPyArrayData(floats: lbsWeights, shape: [v, 24])),
            ("parents", try NumPyArrayData(int64s: parents.map { Int64($0) }, shape: [24])),
            ("faces", try NumPyArrayData(int64s: faces.map { Int64($0) }, shape: [faceCount, 3])),
            ("J_regressor_extra", try NumPyArrayData(floats: extraJointRegressor, shape: [9, v])),
            ("extra_joints_idxs", try NumPyArrayData(int64s: extraVertexIndices.map { Int64($0) }, shape: [21])),
        ], to: url)
    }

    /// Clothing-like surface colours (skin, hair, shirt, trousers, shoes) per vertex, (V, 3) in
    /// 0...1, chosen by each vertex's dominant joint, so the sample clip looks like a dressed person.
    public var clothingAlbedo: [Float] {
        let skin: [Float] = [0.86, 0.68, 0.55], hair: [Float] = [0.18, 0.12, 0.08], shirt: [Float] = [0.2, 0.38, 0.68]
        let trousers: [Float] = [0.22, 0.22, 0.28], shoes: [Float] = [0.12, 0.09, 0.07]
        var out: [Float] = []
        out.reserveCapacity(vertexCount * 3)
        let headTop = Self.restJoints[15].y + 0.07
        for v in 0..<vertexCount {
            var joint = 0
            for j in 1..<24 where lbsWeights[v * 24 + j] > lbsWeights[v * 24 + joint] { joint = j }
            let y = vTemplate[3 * v + 1], z = vTemplate[3 * v + 2]
            switch joint {
            case 15 where y > headTop || z < Self.restJoints[15].z - 0.03: out += hair
            case 12, 15, 20, 21, 22, 23: out += skin
            case 3, 6, 9, 13, 14, 16, 17, 18, 19: out += shirt
            case 7, 8, 10, 11: out += shoes
            default: out += trousers
            }
        }
        return out
    }
}
