/// What to emit for a live track in a frame where it was not found.
public enum MissingPolicy: String, Sendable, CaseIterable {
    /// Emit nothing for that person in that frame (PyMAF's behaviour).
    case skip
    /// Repeat the track's last box (for at most `maxAge` frames), marked as held.
    case hold
}

/// Settings of `PersonTracker`. Defaults suit PyMAF's demo.
public struct TrackingOptions: Sendable, Equatable {
    /// Most people tracked at once (`--max_people`); new tracks are refused beyond it.
    public var maxPeople: Int = .max
    /// Hits a new track needs before it is reported (`--min_track_frames`); shorter tracks are dropped.
    public var minTrackFrames: Int = 5
    /// Minimum detector score (`--detection_threshold`, MediaPipe's 0.5).
    public var detectionThreshold: Float = 0.5
    /// Frames where a live track is not found (`--missing`).
    public var missingPolicy: MissingPolicy = .skip
    /// PyMAF's `bbox_scale`: the square crop side is the box side times this (the demo uses 1.0).
    public var bboxScale: Float = 1.0
    /// A confirmed track ends after this many consecutive frames without a detection.
    public var maxAge: Int = 30
    /// Body box side = `2·|kp1 − kp0|·bodyBoxFactor` (see `PersonDetection.bodyBox`).
    public var bodyBoxFactor: Float = PersonDetector.defaultBodyBoxFactor
    /// Re-detect inside each live track's predicted region, whose side is the box side times this.
    public var redetectRegionScale: Float = 1.6
    /// Whole-frame detection runs every this many frames, and on every frame where no track is
    /// live or some track was missed; in between, tracks are followed by re-detection alone.
    public var fullFrameInterval: Int = 3
    /// A detection is associated with a track when their centres are closer than this many box
    /// sides (after motion prediction) and their sizes differ by less than 2×.
    public var associationDistance: Float = 0.5
    /// Smooth boxes over time (an α-β filter: no lag at constant velocity).
    public var smoothing: Bool = true

    public init() {}

    /// Checks every option's range, naming the first bad one.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws {
            if !ok { throw PersonTrackingError.invalidOption(name: name, reason: reason) }
        }
        try check(maxPeople >= 1, "max_people", "must be at least 1, got \(maxPeople)")
        try check(minTrackFrames >= 1, "min_track_frames", "must be at least 1, got \(minTrackFrames)")
        try check(detectionThreshold > 0 && detectionThreshold < 1, "detection_threshold", "must lie in (0, 1), got \(detectionThreshold)")
        try check(bboxScale.isFinite && bboxScale > 0 && bboxScale <= 10, "bbox_scale", "must lie in (0, 10], got \(bboxScale)")
        try check(maxAge >= 0, "max_age", "must be at least 0, got \(maxAge)")
        try check(bodyBoxFactor.isFinite && bodyBoxFactor > 0, "body_box_factor", "must be positive, got \(bodyBoxFactor)")
        try check(redetectRegionScale.isFinite && redetectRegionScale >= 1, "redetect_region_scale", "must be at least 1, got \(redetectRegionScale)")
        try check(fullFrameInterval >= 1, "full_frame_interval", "must be at least 1, got \(fullFrameInterval)")
        try check(associationDistance.isFinite && associationDistance > 0, "association_distance", "must be positive, got \(associationDistance)")
    }
}
