import Testing
@testable import DemoAssets

@Suite struct ProceduralHumanoidTests {
    static let body = ProceduralHumanoid(detail: .demo)

    @Test func hasSMPLsStructureAndDimensions() {
        let b = Self.body
        let v = b.vertexCount
        #expect((300...2000).contains(v), "far fewer vertices than SMPL's 6890")
        #expect(b.parents == [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21])
        #expect(b.shapedirs.count == v * 3 * 10)
        #expect(b.posedirs.count == 207 * v * 3)
        #expect(b.jointRegressor.count == 24 * v)
        #expect(b.lbsWeights.count == v * 24)
        #expect(b.extraJointRegressor.count == 9 * v)
        #expect(b.extraVertexIndices.count == 21 && Set(b.extraVertexIndices).count == 21)
        #expect(b.extraVertexIndices.allSatisfy { (0..<v).contains($0) })
        #expect(b.faces.allSatisfy { $0 >= 0 && Int($0) < v })
    }

    /// Rows of the weights and regressors are convex combinations (tolerance 1e-5: float sums of ≤ 24 terms).
    @Test func weightsAndRegressorsAreConvex() {
        let b = Self.body
        let v = b.vertexCount
        for i in 0..<v {
            let row = b.lbsWeights[(i * 24)..<(i * 24 + 24)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-5 && row.allSatisfy { $0 >= 0 })
        }
        for (name, rows, count) in [("J_regressor", b.jointRegressor, 24), ("J_regressor_extra", b.extraJointRegressor, 9)] {
            for r in 0..<count {
                let row = rows[(r * v)..<(r * v + v)]
                #expect(abs(row.reduce(0, +) - 1) < 1e-5 && row.allSatisfy { $0 >= 0 }, "\(name) row \(r)")
            }
        }
    }

    /// Every edge is shared by exactly two triangles that traverse it in opposite directions
    /// (closed, consistently oriented), and the enclosed volume is positive (outward faces).
    @Test func surfaceIsClosedAndOutward() {
        let b = Self.body
        var directed: [Int: Int] = [:]
        for f in stride(from: 0, to: b.faces.count, by: 3) {
            for k in 0..<3 {
                let p = Int(b.faces[f + k]), q = Int(b.faces[f + (k + 1) % 3])
                directed[p * b.vertexCount + q, default: 0] += 1
            }
        }
        #expect(directed.values.allSatisfy { $0 == 1 }, "no directed edge is used twice")
        #expect(directed.keys.allSatisfy { key in directed[(key % b.vertexCount) * b.vertexCount + key / b.vertexCount] == 1 },
                "every edge has its opposite")
        var volume: Float = 0
        for f in stride(from: 0, to: b.faces.count, by: 3) {
            let p = (0..<3).map { k in SIMD3(b.vTemplate[3 * Int(b.faces[f + k])], b.vTemplate[3 * Int(b.faces[f + k]) + 1], b.vTemplate[3 * Int(b.faces[f + k]) + 2]) }
            volume += (p[0] * cross(p[1], p[2])).sum() / 6
        }
        #expect(volume > 0.03 && volume < 0.15, "a human-sized volume in m³, got \(volume)")
    }

    @Test func smplSizedDetailIsCloseToSMPL() {
        let big = ProceduralHumanoid(detail: .smplSized)
        #expect(abs(big.vertexCount - 6890) < 150 && abs(big.faceCount - 13776) < 150)
    }
}
