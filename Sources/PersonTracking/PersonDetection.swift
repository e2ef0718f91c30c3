/// One person found by the BlazePose detector, in pixels of the upright frame.
///
/// The model describes a person as a "Vitruvian" circle: `keypoints[0]` is the mid-hip centre
/// and the distance to `keypoints[1]` is the radius of the circle around the whole body;
/// `keypoints[2]`/`[3]` do the same for the upper body (mid-shoulder centre). `box` is the
/// face-sized box the model also regresses; it is not a body box.
public struct PersonDetection: Sendable, Equatable {
    public var score: Float
    /// The model's (face-sized) box: top-left corner and size, in pixels.
    public var box: DetectionRect
    /// Hip centre, full-body size point, shoulder centre, upper-body size point (pixels).
    public var keypoints: [SIMD2<Float>]

    public init(score: Float, box: DetectionRect, keypoints: [SIMD2<Float>]) {
        self.score = score
        self.box = box
        self.keypoints = keypoints
    }

    /// Radius of the circle around the whole body: `|kp1 − kp0|`.
    public var bodyRadius: Float {
        let d = keypoints[1] - keypoints[0]
        return (d * d).sum().squareRoot()
    }

    /// The body region as a square box: centre at the hip, side `2·|kp1 − kp0|·factor`.
    ///
    /// `factor` 1 is the circle around the body (on a dancing clip 1.21× the longest side of the
    /// pose-landmark box, range 1.08–1.29); ``PersonDetector/defaultBodyBoxFactor`` (0.9) makes it
    /// about the person's extent, so PyMAF's own `bbox_scale` then applies as it does to a
    /// detector box. MediaPipe's pose pipeline uses 1.25.
    public func bodyBox(factor: Float = PersonDetector.defaultBodyBoxFactor) -> PersonBox {
        let side = 2 * bodyRadius * factor
        return PersonBox(centerX: keypoints[0].x, centerY: keypoints[0].y, width: side, height: side)
    }
}

/// An axis-aligned rectangle: top-left corner and size.
public struct DetectionRect: Sendable, Equatable {
    public var xMin: Float, yMin: Float, width: Float, height: Float

    public init(xMin: Float, yMin: Float, width: Float, height: Float) {
        self.xMin = xMin; self.yMin = yMin; self.width = width; self.height = height
    }

    /// Intersection over union; 0 when either rectangle is empty.
    public func iou(_ other: DetectionRect) -> Float {
        let ix = max(0, min(xMin + width, other.xMin + other.width) - max(xMin, other.xMin))
        let iy = max(0, min(yMin + height, other.yMin + other.height) - max(yMin, other.yMin))
        let intersection = ix * iy
        let union = width * height + other.width * other.height - intersection
        return union > 0 ? intersection / union : 0
    }
}

/// A square region of the frame the detector looks at, mapped onto its 224×224 input.
///
/// For the whole frame it is the letterbox: side `max(W, H)`, centred, so the short axis
/// extends past the frame (those pixels read as black). Detections come back in frame pixels
/// through `x = originX + u·side`, the inverse of the letterbox (MediaPipe's
/// `(u − pad_left)/(1 − pad_left − pad_right)` written in pixels).
public struct DetectionRegion: Sendable, Equatable {
    public var originX: Float, originY: Float, side: Float

    public init(originX: Float, originY: Float, side: Float) {
        self.originX = originX; self.originY = originY; self.side = side
    }

    /// The square of side `side` centred at (`centerX`, `centerY`).
    public init(centerX: Float, centerY: Float, side: Float) {
        self.init(originX: centerX - side / 2, originY: centerY - side / 2, side: side)
    }

    /// The letterbox of a `width`×`height` frame.
    public static func letterbox(width: Int, height: Int) -> DetectionRegion {
        let side = Float(max(width, height))
        return DetectionRegion(originX: (Float(width) - side) / 2, originY: (Float(height) - side) / 2, side: side)
    }
}
