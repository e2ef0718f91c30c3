/// An axis-aligned person box in pixels of the upright frame.
public struct PersonBox: Sendable, Equatable {
    public var centerX: Float
    public var centerY: Float
    public var width: Float
    public var height: Float

    public init(centerX: Float, centerY: Float, width: Float, height: Float) {
        self.centerX = centerX
        self.centerY = centerY
        self.width = width
        self.height = height
    }

    /// The square PyMAF crops: side = max(width, height) × `scale`, same centre.
    public func squared(scale: Float = 1) -> PersonBox {
        let side = max(width, height) * scale
        return PersonBox(centerX: centerX, centerY: centerY, width: side, height: side)
    }
}
