/// How finely and how the rasterizer samples.
public struct RasterOptions: Sendable, Equatable {
    /// Anti-aliasing: each pixel is sampled on an n×n grid (1 = aliased). Edge pixels get the
    /// covered fraction; mattes have n² + 1 levels.
    public var samplesPerAxis: Int
    /// Skip triangles facing away from the camera. Exact for closed meshes (SMPL's and the demo
    /// body are closed): every line of sight through the silhouette crosses a front face.
    public var cullBackFaces: Bool

    public init(samplesPerAxis: Int = 3, cullBackFaces: Bool = true) {
        precondition((1...8).contains(samplesPerAxis), "RasterOptions: samplesPerAxis \(samplesPerAxis) outside 1...8")
        self.samplesPerAxis = samplesPerAxis
        self.cullBackFaces = cullBackFaces
    }
}
