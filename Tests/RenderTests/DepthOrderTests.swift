import Testing
@testable import Render

@Suite struct DepthOrderTests {
    /// Two spheres of equal projected size overlap; the one with the larger scale is nearer.
    func twoSpheres() throws -> (MeshRasterizer, [MeshInstance]) {
        let sphere = TestMeshes.ellipsoid(center: .zero, radii: SIMD3(repeating: 0.5), rings: 16, segments: 24)
        let big = sphere.vertices.map { $0 * 1.6 }  // the far person: larger body, smaller scale
        let rasterizer = try MeshRasterizer(faces: sphere.faces, vertexCount: sphere.vertexCount)
        return (rasterizer, [
            MeshInstance(vertices: big, camera: SIMD4(0.5, 0.5, 0.2, 0), albedo: .uniform(SIMD3(1, 0, 0)), id: 10),
            MeshInstance(vertices: sphere.vertices, camera: SIMD4(0.8, 0.8, -0.125, 0), albedo: .uniform(SIMD3(0, 0, 1)), id: 20),
        ])
    }

    @Test func nearerPersonCoversFartherOneWhateverTheOrder() throws {
        let (rasterizer, meshes) = try twoSpheres()
        for order in [meshes, meshes.reversed()] {
            var targets = [RGBImage(width: 64, height: 64)]
            let mattes = try #require(try rasterizer.draw(order, width: 64, height: 64, onto: &targets, mattes: true))
            // Both centres project near x = 0.6·32 + 32 ≈ 38 (far) and 0.4·... the overlap is at x ≈ 32.
            let near = mattes.people.first { $0.id == 20 }!, far = mattes.people.first { $0.id == 10 }!
            let p = 32 * 64 + 30
            #expect(near.alpha[p] == 255 && far.alpha[p] == 0, "overlap belongs to the nearer person")
            #expect(targets[0].rgb[3 * p + 2] > targets[0].rgb[3 * p], "the nearer (blue) mesh is drawn")
            for i in 0..<(64 * 64) {
                #expect(abs(Int(near.alpha[i]) + Int(far.alpha[i]) - Int(mattes.combined[i])) <= 1, "per-person mattes add up to the combined one")
            }
        }
    }

    @Test func edgesAreAntiAliased() throws {
        let (rasterizer, meshes) = try twoSpheres()
        var none: [RGBImage] = []
        let mattes = try #require(try rasterizer.draw([meshes[1]], width: 64, height: 64, onto: &none, mattes: true))
        let partial = mattes.combined.filter { $0 > 0 && $0 < 255 }.count
        #expect(partial > 20, "silhouette pixels take intermediate alpha")
    }

    @Test func badInputIsATypedErrorOrSkipped() throws {
        let (rasterizer, meshes) = try twoSpheres()
        var targets = [RGBImage(width: 16, height: 16)]
        #expect(throws: RenderError.vertexCountMismatch(expected: rasterizer.vertexCount, got: 6)) {
            try rasterizer.draw([MeshInstance(vertices: [0, 0, 0, 1, 1, 1], camera: SIMD4(1, 1, 0, 0))], width: 16, height: 16, onto: &targets)
        }
        #expect(throws: RenderError.faceIndexOutOfRange(face: 0, index: 3, vertexCount: 3)) {
            _ = try MeshRasterizer(faces: [0, 1, 3], vertexCount: 3)
        }
        var nanMesh = meshes[0]
        nanMesh.vertices[4] = .nan
        var zeroScale = meshes[1]
        zeroScale.camera = SIMD4(0, 0, 0, 0)
        let mattes = try #require(try rasterizer.draw([nanMesh, zeroScale], width: 16, height: 16, onto: &targets, mattes: true))
        #expect(mattes.combined.allSatisfy { $0 == 0 } && targets[0].rgb.allSatisfy { $0 == 0 }, "unplaceable meshes are left out")
        #expect(throws: RenderError.badRenderRatio(0)) {
            _ = try OverlayRenderer(faces: [0, 1, 2], vertexCount: 3, settings: RenderSettings(renderRatio: 0))
        }
    }

    @Test func sideViewTurnsTheMeshAboutTheVerticalAxis() throws {
        // A sphere at x = +0.5 in the camera frame lands at the centre in the side view, nearer the camera.
        let sphere = TestMeshes.ellipsoid(center: SIMD3(0.5, 0, 0), radii: SIMD3(repeating: 0.2))
        let rasterizer = try MeshRasterizer(faces: sphere.faces, vertexCount: sphere.vertexCount)
        var none: [RGBImage] = []
        let mattes = try #require(try rasterizer.draw([MeshInstance(vertices: sphere.vertices, camera: SIMD4(1, 1, 0, 0))],
                                                      view: .side, width: 64, height: 64, onto: &none, mattes: true))
        var sumX = 0.0, total = 0.0
        for y in 0..<64 { for x in 0..<64 { let a = Double(mattes.combined[y * 64 + x]); sumX += a * (Double(x) + 0.5); total += a } }
        #expect(abs(sumX / total - 32) < 0.5)
        #expect(MeshView.side.transform(SIMD3(0.5, 0.1, 0.2)) == SIMD3(0.2, 0.1, -0.5))
    }
}
