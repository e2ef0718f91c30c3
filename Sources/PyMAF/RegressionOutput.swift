/// What PyMAF predicts for a batch of N crops (flat row-major arrays, shapes per field).
public struct RegressionOutput: Sendable, Equatable {
    /// Number of crops in the batch.
    public var count: Int
    /// Number of body-model vertices per crop.
    public var vertexCount: Int
    /// Final parameters (N, 85) = [cam 3 | betas 10 | axis-angle pose 72].
    public var theta: [Float]
    /// Joint rotation matrices (N, 24, 3, 3).
    public var rotations: [Float]
    /// Posed vertices (N, V, 3).
    public var vertices: [Float]
    /// The 49 joints (N, 49, 3).
    public var joints: [Float]
    /// Crop camera (N, 3) = (s, tx, ty).
    public var predCam: [Float]
    /// Theta of the initial estimate and of each feedback iteration, (4, N, 85).
    public var thetaIterations: [Float]

    public init(
        count: Int, vertexCount: Int, theta: [Float], rotations: [Float], vertices: [Float], joints: [Float],
        predCam: [Float], thetaIterations: [Float]
    ) {
        self.count = count
        self.vertexCount = vertexCount
        self.theta = theta
        self.rotations = rotations
        self.vertices = vertices
        self.joints = joints
        self.predCam = predCam
        self.thetaIterations = thetaIterations
    }
}
