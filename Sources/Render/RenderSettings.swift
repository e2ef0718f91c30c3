/// How the overlay video is drawn (the reference demo's flags).
public struct RenderSettings: Sendable, Equatable {
    /// Draw a side view next to the front view (`--sideview`).
    public var sideView: Bool = false
    /// Draw on a white background instead of the frame (`--empty_bg`).
    public var emptyBackground: Bool = false
    /// Put the raw frame beside the render (`--with_raw`).
    public var withRaw: Bool = false
    /// Output size relative to the input (`--render_ratio`).
    public var renderRatio: Float = 1

    public init(sideView: Bool = false, emptyBackground: Bool = false, withRaw: Bool = false, renderRatio: Float = 1) {
        self.sideView = sideView
        self.emptyBackground = emptyBackground
        self.withRaw = withRaw
        self.renderRatio = renderRatio
    }
}
