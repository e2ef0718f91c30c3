import Testing
@testable import DemoAssets

@Suite struct DemoStateDictTests {
    @Test func isDeterministicAndHasPyMAFsHeads() {
        let body = ProceduralHumanoid(detail: .demo)
        let a = DemoStateDict.make(body: body, seed: 42)
        let b = DemoStateDict.make(body: body, seed: 42)
        #expect(a.count == 441)
        for (x, y) in zip(a, b) {
            #expect(x.key == y.key && x.shape == y.shape)
            if case let .float(p) = x.values, case let .float(q) = y.values { #expect(p == q, "\(x.key)") }
        }
        let byKey = Dictionary(a.map { ($0.key, $0) }, uniquingKeysWith: { p, _ in p })
        guard case let .float(decpose)? = byKey["regressor.0.decpose.weight"]?.values,
              case let .float(pose)? = byKey["regressor.1.init_pose"]?.values else {
            Issue.record("missing regressor tensors")
            return
        }
        #expect(decpose.map(abs).max()! < 1e-3, "heads near zero: the mean parameters come out")
        #expect(pose == DemoMeanParameters.pose6D)
        #expect(byKey["maf_extractor.2.Dmap"]?.shape == [431, body.vertexCount])
        #expect(byKey["regressor.0.fc1.weight"]?.shape == [1024, 2362])
        #expect(byKey["regressor.2.fc1.weight"]?.shape == [1024, 2312])
    }

    /// PyMAF's grid: point k = 21·i + j is (x, y) = (g[i], g[j]) over [−1, 1].
    @Test func pointsGridIsAMatrixIndexedMeshgrid() {
        let grid = DemoStateDict.pointsGrid()
        #expect(grid[0] == -1 && grid[441] == -1)
        #expect(grid[1] == -1 && grid[441 + 1] == -0.9)
        #expect(grid[21] == -0.9 && grid[441 + 21] == -1)
        #expect(grid[440] == 1 && grid[881] == 1)
    }

    /// Rows of the downsampling matrix are convex combinations of vertices.
    @Test func downsamplingRowsSumToOne() {
        let v = 500
        let d = DemoStateDict.downsamplingMatrix(vertexCount: v)
        for r in 0..<431 { #expect(abs(d[(r * v)..<(r * v + v)].reduce(0, +) - 1) < 1e-6) }
    }
}
