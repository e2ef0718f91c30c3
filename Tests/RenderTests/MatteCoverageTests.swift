import Testing
@testable import Render

/// The matte of a synthetic body against an independent coverage computation: every sample
/// tested against every projected triangle with plain double-precision point-in-triangle tests,
/// no culling, no tiles, no fixed point.
@Suite struct MatteCoverageTests {
    /// Covered-sample counts per pixel, and which pixels hold a sample so close to the silhouette
    /// (within the renderer's vertex snapping) that its inside/outside decision may flip.
    static func referenceCoverage(_ mesh: TestMeshes.Mesh, camera: SIMD4<Float>, view: MeshView = .front,
                                  width: Int, height: Int, samples s: Int) -> (counts: [Int], ambiguous: [Bool]) {
        // Vertices are snapped to 1/256 of a sample, moving edges by at most 1/(512·s) pixel.
        let epsilon = 1 / (400 * Double(s))
        let sx = Double(camera.x), sy = Double(camera.y), tx = Double(camera.z), ty = Double(camera.w)
        let points: [SIMD2<Double>] = (0..<mesh.vertexCount).map { i in
            let p = view.transform(SIMD3(mesh.vertices[3 * i], mesh.vertices[3 * i + 1], mesh.vertices[3 * i + 2]))
            return SIMD2((sx * (Double(p.x) + tx) + 1) * Double(width) / 2, (sy * (Double(p.y) + ty) + 1) * Double(height) / 2)
        }
        var covered = [Bool](repeating: false, count: width * s * height * s)
        var robust = [Bool](repeating: false, count: width * s * height * s)  // inside some triangle by more than epsilon
        var nearEdge = [Bool](repeating: false, count: width * s * height * s)
        for f in stride(from: 0, to: mesh.faces.count, by: 3) {
            let a = points[Int(mesh.faces[f])], b = points[Int(mesh.faces[f + 1])], c = points[Int(mesh.faces[f + 2])]
            let area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
            if area == 0 { continue }
            let lowX = max(0, Int(((min(a.x, b.x, c.x) - epsilon) * Double(s) - 0.5).rounded(.up)))
            let highX = min(width * s - 1, Int(((max(a.x, b.x, c.x) + epsilon) * Double(s) - 0.5).rounded(.down)))
            let lowY = max(0, Int(((min(a.y, b.y, c.y) - epsilon) * Double(s) - 0.5).rounded(.up)))
            let highY = min(height * s - 1, Int(((max(a.y, b.y, c.y) + epsilon) * Double(s) - 0.5).rounded(.down)))
            if lowX > highX || lowY > highY { continue }
            for j in lowY...highY {
                for i in lowX...highX {
                    let p = SIMD2((Double(i) + 0.5) / Double(s), (Double(j) + 0.5) / Double(s))
                    // Signed distances to the three edges, positive inside for either orientation.
                    let sign: Double = area > 0 ? 1 : -1
                    let d = [(a, b), (b, c), (c, a)].map { (p0, p1) -> Double in
                        let e = p1 - p0
                        return sign * (e.x * (p.y - p0.y) - e.y * (p.x - p0.x)) / (e.x * e.x + e.y * e.y).squareRoot()
                    }
                    if d.allSatisfy({ $0 >= 0 }) { covered[j * width * s + i] = true }
                    if d.allSatisfy({ $0 > epsilon }) { robust[j * width * s + i] = true }
                    if d.allSatisfy({ $0 >= -epsilon }) && d.contains(where: { abs($0) <= epsilon }) { nearEdge[j * width * s + i] = true }
                }
            }
        }
        var counts = [Int](repeating: 0, count: width * height)
        var ambiguous = [Bool](repeating: false, count: width * height)
        for j in 0..<(height * s) {
            for i in 0..<(width * s) {
                let k = j * width * s + i
                if covered[k] { counts[(j / s) * width + i / s] += 1 }
                if nearEdge[k] && !robust[k] { ambiguous[(j / s) * width + i / s] = true }
            }
        }
        return (counts, ambiguous)
    }

    func assertMatteMatchesCoverage(body: TestMeshes.Mesh, camera: SIMD4<Float>, view: MeshView, samples: Int,
                                    cull: Bool, width: Int = 96, height: Int = 80) throws {
        let rasterizer = try MeshRasterizer(faces: body.faces, vertexCount: body.vertexCount,
                                            options: RasterOptions(samplesPerAxis: samples, cullBackFaces: cull))
        var none: [RGBImage] = []
        let mattes = try #require(try rasterizer.draw([MeshInstance(vertices: body.vertices, camera: camera, id: 7)],
                                                      view: view, width: width, height: height, onto: &none, mattes: true))
        let reference = Self.referenceCoverage(body, camera: camera, view: view, width: width, height: height, samples: samples)
        let perPixel = Float(samples * samples)
        var exactMismatches = 0, ambiguousPixels = 0, coveredPixels = 0, ambiguousOffByMore = 0
        for p in 0..<(width * height) {
            let expected = UInt8(min(255, (Float(reference.counts[p]) * 255 / perPixel).rounded()))
            if reference.counts[p] > 0 { coveredPixels += 1 }
            if reference.ambiguous[p] {
                ambiguousPixels += 1
                if abs(Int(mattes.people[0].alpha[p]) - Int(expected)) > Int((255 / perPixel).rounded(.up)) { ambiguousOffByMore += 1 }
            } else if mattes.people[0].alpha[p] != expected {
                exactMismatches += 1
            }
        }
        #expect(coveredPixels > width * height / 20, "the body must fill a good part of the picture")
        #expect(exactMismatches == 0, "pixels whose samples are all clear of edges must match exactly")
        #expect(ambiguousOffByMore == 0, "near-edge pixels may differ by at most one sample")
        #expect(ambiguousPixels * 20 < coveredPixels, "near-edge pixels are rare (\(ambiguousPixels) of \(coveredPixels))")
        #expect(mattes.people[0].alpha == mattes.combined, "with one mesh the combined matte is that mesh's")
        #expect(mattes.people[0].id == 7)
    }

    @Test(arguments: [1, 2, 3, 4])
    func frontMatteIsTheProjectedSilhouette(samples: Int) throws {
        let body = TestMeshes.rotatedY(TestMeshes.body(), 0.7)
        try assertMatteMatchesCoverage(body: body, camera: SIMD4(0.9, 1.08, 0.05, -0.02), view: .front, samples: samples, cull: true)
    }

    @Test func sideViewMatteIsTheProjectedSilhouette() throws {
        try assertMatteMatchesCoverage(body: TestMeshes.body(), camera: SIMD4(0.9, 1.08, 0, 0), view: .side, samples: 3, cull: true)
    }

    @Test func withoutCullingTheMatteIsTheSame() throws {
        try assertMatteMatchesCoverage(body: TestMeshes.body(), camera: SIMD4(0.8, 0.96, 0.1, 0), view: .front, samples: 2, cull: false)
    }

    @Test func mirroredCameraStillDrawsTheSilhouette() throws {
        try assertMatteMatchesCoverage(body: TestMeshes.body(), camera: SIMD4(-0.8, 0.96, 0.1, 0), view: .front, samples: 2, cull: true)
    }
}
