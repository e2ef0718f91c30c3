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
    /// Rotation matrices per iteration, (4, N, 24, 3, 3); empty unless requested.
    public var rotationIterations: [Float]
    /// Vertices per iteration, (4, N, V, 3); empty unless requested.
    public var vertexIterations: [Float]
    /// The 49 joints per iteration, (4, N, 49, 3); empty unless requested.
    public var jointIterations: [Float]

    public init(
        count: Int, vertexCount: Int, theta: [Float], rotations: [Float], vertices: [Float], joints: [Float],
        predCam: [Float], thetaIterations: [Float], rotationIterations: [Float] = [], vertexIterations: [Float] = [],
        jointIterations: [Float] = []
    ) {
        self.count = count
        self.vertexCount = vertexCount
        self.theta = theta
        self.rotations = rotations
        self.vertices = vertices
        self.joints = joints
        self.predCam = predCam
        self.thetaIterations = thetaIterations
        self.rotationIterations = rotationIterations
        self.vertexIterations = vertexIterations
        self.jointIterations = jointIterations
    }

    /// Number of estimates in the `…Iterations` fields: the initial one and three feedback steps.
    public static let iterationCount = 4

    /// Crops i..<j of this output.
    public func crops(_ range: Range<Int>) -> RegressionOutput {
        let n = count, v = vertexCount
        func rows(_ a: [Float], _ width: Int) -> [Float] { Array(a[range.lowerBound * width..<range.upperBound * width]) }
        func iterationRows(_ a: [Float], _ width: Int) -> [Float] {
            guard !a.isEmpty else { return [] }
            return (0..<Self.iterationCount).flatMap { t in a[(t * n + range.lowerBound) * width..<(t * n + range.upperBound) * width] }
        }
        return RegressionOutput(
            count: range.count, vertexCount: v, theta: rows(theta, 85), rotations: rows(rotations, 216),
            vertices: rows(vertices, v * 3), joints: rows(joints, 147), predCam: rows(predCam, 3),
            thetaIterations: iterationRows(thetaIterations, 85), rotationIterations: iterationRows(rotationIterations, 216),
            vertexIterations: iterationRows(vertexIterations, v * 3), jointIterations: iterationRows(jointIterations, 147))
    }

    /// The outputs of consecutive batches as one (crops in order).
    public static func concatenating(_ parts: [RegressionOutput]) -> RegressionOutput {
        guard let first = parts.first else {
            return RegressionOutput(count: 0, vertexCount: 0, theta: [], rotations: [], vertices: [], joints: [], predCam: [], thetaIterations: [])
        }
        if parts.count == 1 { return first }
        func iterations(_ field: KeyPath<RegressionOutput, [Float]>) -> [Float] {
            guard !first[keyPath: field].isEmpty else { return [] }
            return (0..<iterationCount).flatMap { t in
                parts.flatMap { p -> ArraySlice<Float> in
                    let width = p[keyPath: field].count / (iterationCount * p.count)
                    return p[keyPath: field][t * p.count * width..<(t + 1) * p.count * width]
                }
            }
        }
        return RegressionOutput(
            count: parts.reduce(0) { $0 + $1.count }, vertexCount: first.vertexCount,
            theta: parts.flatMap(\.theta), rotations: parts.flatMap(\.rotations), vertices: parts.flatMap(\.vertices),
            joints: parts.flatMap(\.joints), predCam: parts.flatMap(\.predCam), thetaIterations: iterations(\.thetaIterations),
            rotationIterations: iterations(\.rotationIterations), vertexIterations: iterations(\.vertexIterations),
            jointIterations: iterations(\.jointIterations))
    }
}
