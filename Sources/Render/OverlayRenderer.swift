import BodyModel

/// Draws each person's mesh over the original frame the way the reference demo does, with its
/// `--sideview`, `--empty_bg`, `--with_raw` and `--render_ratio` panels, and produces the mattes.
///
/// ```swift
/// let renderer = try OverlayRenderer(faces: model.faces, vertexCount: model.vertexCount, settings: settings)
/// let (w, h) = renderer.outputSize(sourceWidth: info.width, sourceHeight: info.height)  // size the encoder
/// let result = try renderer.render(RGBImage(width: f.width, height: f.height, rgb: f.rgb), people: people, mattes: true)
/// // result.image: the frame to encode; result.mattes: per-person and combined 8-bit mattes
/// ```
///
/// Panels, left to right as in the reference: the raw frame (`withRaw`), the overlay, the meshes on
/// black (`emptyBackground`), the side view on black (`sideView`). Each panel is the source size
/// times `renderRatio`. Mattes are always at the source size and from the front view.
///
/// Not `Sendable`: it owns the rasterizer's scratch buffers; use one per rendering queue.
public final class OverlayRenderer {
    public let settings: RenderSettings
    public let coloring: PersonColoring
    let rasterizer: MeshRasterizer

    /// - Parameters:
    ///   - faces: the body model's triangles, (F, 3).
    ///   - vertexCount: the body model's V.
    ///   - settings: the reference demo's render flags.
    ///   - coloring: mesh colours (the reference's purple by default).
    ///   - options: anti-aliasing and culling.
    /// - Throws: `RenderError` for faces outside the mesh or a render ratio that leaves no picture.
    public init(faces: [Int32], vertexCount: Int, settings: RenderSettings = .init(),
                coloring: PersonColoring = .reference, options: RasterOptions = .init()) throws(RenderError) {
        guard settings.renderRatio.isFinite, settings.renderRatio > 0 else { throw .badRenderRatio(settings.renderRatio) }
        self.settings = settings
        self.coloring = coloring
        rasterizer = try MeshRasterizer(faces: faces, vertexCount: vertexCount, options: options)
    }

    /// Size of one panel for a source of the given size: the source size times the render ratio,
    /// rounded, at least 1.
    public func panelSize(sourceWidth: Int, sourceHeight: Int) -> (width: Int, height: Int) {
        if settings.renderRatio == 1 { return (sourceWidth, sourceHeight) }
        return (max(1, Int((Float(sourceWidth) * settings.renderRatio).rounded())),
                max(1, Int((Float(sourceHeight) * settings.renderRatio).rounded())))
    }

    /// Size of the rendered picture (all panels side by side), to open the encoder with.
    public func outputSize(sourceWidth: Int, sourceHeight: Int) -> (width: Int, height: Int) {
        let panel = panelSize(sourceWidth: sourceWidth, sourceHeight: sourceHeight)
        let panels = 1 + (settings.withRaw ? 1 : 0) + (settings.emptyBackground ? 1 : 0) + (settings.sideView ? 1 : 0)
        return (panel.width * panels, panel.height)
    }

    /// Renders one frame.
    ///
    /// - Parameters:
    ///   - frame: the original frame, upright RGB24.
    ///   - people: the people in this frame (any order: the z-buffer orders them).
    ///   - mattes: also compute the per-person and combined mattes (source size).
    /// - Throws: `RenderError` when a person's mesh does not match the body model.
    public func render(_ frame: RGBImage, people: [PersonFrame], mattes: Bool = false) throws(RenderError) -> RenderedFrame {
        let meshes = people.map { person in
            MeshInstance(vertices: person.vertices, camera: person.origCam, albedo: .uniform(color(for: person.trackID)), id: person.trackID)
        }
        return try render(frame, meshes: meshes, mattes: mattes)
    }

    /// Renders one frame from meshes (the same as `render(_:people:mattes:)` without `PersonFrame`).
    public func render(_ frame: RGBImage, meshes: [MeshInstance], mattes wantMattes: Bool = false) throws(RenderError) -> RenderedFrame {
        let panel = panelSize(sourceWidth: frame.width, sourceHeight: frame.height)
        let background = frame.resized(width: panel.width, height: panel.height)
        var fronts = [background]
        if settings.emptyBackground { fronts.append(RGBImage(width: panel.width, height: panel.height)) }
        let sameSize = panel.width == frame.width && panel.height == frame.height
        var mattes = try rasterizer.draw(meshes, view: .front, width: panel.width, height: panel.height,
                                         onto: &fronts, mattes: wantMattes && sameSize)
        if wantMattes && !sameSize {
            var none: [RGBImage] = []
            mattes = try rasterizer.draw(meshes, view: .front, width: frame.width, height: frame.height, onto: &none, mattes: true)
        }
        var panels: [RGBImage] = []
        if settings.withRaw { panels.append(background) }
        panels.append(contentsOf: fronts)
        if settings.sideView {
            var side = [RGBImage(width: panel.width, height: panel.height)]
            try rasterizer.draw(meshes, view: .side, width: panel.width, height: panel.height, onto: &side)
            panels.append(side[0])
        }
        return RenderedFrame(image: RGBImage.sideBySide(panels), mattes: mattes)
    }

    func color(for trackID: Int) -> SIMD3<Float> {
        switch coloring {
        case .reference: MeshColor.purple
        case let .uniform(c): c
        case .perTrack: MeshColor.track(trackID)
        }
    }
}

/// One rendered frame: the picture to encode and, when asked for, the mattes.
public struct RenderedFrame: Sendable {
    public var image: RGBImage
    public var mattes: FrameMattes?
}
