import Testing
@testable import Render

/// Known meshes rendered through the whole overlay path and compared with recorded pictures.
@Suite struct OverlayRendererGoldenTests {
    static func background(width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                image.rgb[3 * (y * width + x)] = UInt8(40 + x * 100 / width)
                image.rgb[3 * (y * width + x) + 1] = UInt8(60 + y * 120 / height)
                image.rgb[3 * (y * width + x) + 2] = 90
            }
        }
        return image
    }

    @Test func bodyOverFrame() throws {
        let body = TestMeshes.rotatedY(TestMeshes.body(), 0.5)
        let renderer = try OverlayRenderer(faces: body.faces, vertexCount: body.vertexCount)
        let frame = Self.background(width: 160, height: 120)
        let mesh = MeshInstance(vertices: body.vertices, camera: SIMD4(0.55, 0.7333, 0.1, -0.05), id: 0)
        let result = try renderer.render(frame, meshes: [mesh])
        try Golden.check(result.image, "body_over_frame")
    }

    @Test func allPanelsAtHalfRatio() throws {
        let body = TestMeshes.rotatedY(TestMeshes.body(), -0.8)
        let settings = RenderSettings(sideView: true, emptyBackground: true, withRaw: true, renderRatio: 0.5)
        let renderer = try OverlayRenderer(faces: body.faces, vertexCount: body.vertexCount, settings: settings)
        let frame = Self.background(width: 200, height: 150)
        let mesh = MeshInstance(vertices: body.vertices, camera: SIMD4(0.6, 0.8, 0, 0), id: 0)
        let result = try renderer.render(frame, meshes: [mesh], mattes: true)
        #expect(result.image.width == 4 * 100 && result.image.height == 75)
        #expect(renderer.outputSize(sourceWidth: 200, sourceHeight: 150) == (400, 75))
        let mattes = try #require(result.mattes)
        #expect(mattes.width == 200 && mattes.height == 150, "mattes stay at the source size")
        try Golden.check(result.image, "all_panels_half_ratio")
    }

    @Test func twoBodiesDepthOrdered() throws {
        let body = TestMeshes.body()
        let renderer = try OverlayRenderer(faces: body.faces, vertexCount: body.vertexCount, coloring: .perTrack)
        let frame = Self.background(width: 160, height: 120)
        let turned = TestMeshes.rotatedY(body, 1.2)
        let result = try renderer.render(frame, meshes: [
            MeshInstance(vertices: body.vertices, camera: SIMD4(0.5, 0.6667, -0.25, 0), albedo: .uniform(MeshColor.track(3)), id: 3),
            MeshInstance(vertices: turned.vertices, camera: SIMD4(0.7, 0.9333, 0.2, 0.1), albedo: .uniform(MeshColor.track(4)), id: 4),
        ])
        try Golden.check(result.image, "two_bodies_depth_ordered")
    }
}
