/// How the overlay video is drawn (the reference demo's flags).
public struct RenderSettings: Sendable, Equatable {
    /// Add a panel with the reference's side view on black (`--sideview`).
    public var sideView: Bool = false
    /// Add a panel with the meshes on a black background (`--empty_bg`), as the reference does.
    public var emptyBackground: Bool = false
    /// Put the raw frame left of the render (`--with_raw`).
    public var withRaw: Bool = false
    /// Panel size relative to the input (`--render_ratio`); mattes stay at the input size.
    public var renderRatio: Float = 1

    public init(sideView: Bool = false, emptyBackground: Bool = false, withRaw: Bool = false, renderRatio: Float = 1) {
        self.sideView = sideView
        self.emptyBackground = emptyBackground
        self.withRaw = withRaw
        self.renderRatio = renderRatio
    }
}
