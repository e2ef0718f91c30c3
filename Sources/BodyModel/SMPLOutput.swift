/// SMPL evaluated on N bodies (flat row-major arrays).
public struct SMPLOutput: Sendable, Equatable {
    /// N.
    public var count: Int
    /// V.
    public var vertexCount: Int
    /// Posed vertices, (N, V, 3).
    public var vertices: [Float]
    /// The 24 posed SMPL joints, (N, 24, 3).
    public var joints: [Float]
    /// PyMAF's 49 joints (25 OpenPose + 24 ground-truth style), (N, 49, 3).
    public var joints49: [Float]

    public init(count: Int, vertexCount: Int, vertices: [Float], joints: [Float], joints49: [Float]) {
        self.count = count
        self.vertexCount = vertexCount
        self.vertices = vertices
        self.joints = joints
        self.joints49 = joints49
    }
}
