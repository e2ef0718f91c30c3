/// What the product knows about one person in one frame after regression.
///
/// This is the value that flows from the regressor to the smoother, the exporters and the
/// renderer. Layouts are flat row-major arrays with their shapes stated per field.
public struct PersonFrame: Sendable, Equatable {
    /// Stable id of the person's track.
    public var trackID: Int
    /// Frame position in a full decode of the input video.
    public var frameIndex: Int
    /// Presentation time in seconds.
    public var time: Double
    /// Person box in the upright frame: (cx, cy, w, h) in pixels, square (w == h).
    public var box: SIMD4<Float>
    /// Weak-perspective camera in the 224² crop: (s, tx, ty).
    public var predCam: SIMD3<Float>
    /// The same camera for the full image: (sx, sy, tx, ty).
    public var origCam: SIMD4<Float>
    /// Shape coefficients β, (10).
    public var betas: [Float]
    /// Joint rotations as matrices, (24, 3, 3), camera frame (y down).
    public var rotations: [Float]
    /// Axis-angle pose, (72) = 24 × 3.
    public var pose: [Float]
    /// Posed vertices in the camera frame, (V, 3).
    public var vertices: [Float]
    /// The 49 joints, (49, 3).
    public var joints: [Float]

    public init(
        trackID: Int, frameIndex: Int, time: Double, box: SIMD4<Float>, predCam: SIMD3<Float>,
        origCam: SIMD4<Float>, betas: [Float], rotations: [Float], pose: [Float], vertices: [Float], joints: [Float]
    ) {
        self.trackID = trackID
        self.frameIndex = frameIndex
        self.time = time
        self.box = box
        self.predCam = predCam
        self.origCam = origCam
        self.betas = betas
        self.rotations = rotations
        self.pose = pose
        self.vertices = vertices
        self.joints = joints
    }
}
