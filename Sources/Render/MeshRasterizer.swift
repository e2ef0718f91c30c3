/// A tiled, multisampled z-buffer rasterizer for triangle meshes seen through weak-perspective
/// cameras.
///
/// Vertices are shaded once per frame (smooth shading), projected, snapped to 1/256 of a sample,
/// and culled when facing away; each triangle is binned to the 32×32-pixel tiles its bounding box
/// touches. Each tile is then rasterized with exact integer edge functions (a tie-breaking rule
/// gives every sample on a shared edge to exactly one triangle, so there are no cracks or double
/// hits), depth-tested per sample across all meshes, and resolved: the covered fraction of a pixel
/// blends the averaged mesh colour over each target picture (anti-aliased edges), and counts per
/// mesh give the mattes. Scratch memory is per tile, so it stays small at any resolution.
///
/// Not `Sendable`: it owns scratch buffers; use one per rendering queue.
public final class MeshRasterizer {
    public let faces: [Int32]
    public let vertexCount: Int
    public let options: RasterOptions

    static let tilePixels = 32
    static let subSampleBits: Int64 = 8
    /// Vertices farther than this many samples from the picture are not drawn (keeps the integer
    /// edge functions exact); no sane camera puts a body there.
    static let coordinateLimit: Float = 1_048_576

    var setups: [TriangleSetup] = []
    var tileCounts: [Int32] = []
    var tileTriangles: [Int32] = []
    var positions: [SIMD3<Float>] = []
    var normals: [SIMD3<Float>] = []
    var colours: [SIMD3<Float>] = []
    var fixedPoints: [SIMD2<Int64>] = []
    var depths: [Float] = []

    /// - Parameters:
    ///   - faces: triangles as vertex indices, (F, 3), counter-clockwise seen from outside.
    ///   - vertexCount: V, the vertex count of every mesh drawn with these faces.
    /// - Throws: `RenderError.faceIndexOutOfRange` when a face refers to a missing vertex.
    public init(faces: [Int32], vertexCount: Int, options: RasterOptions = .init()) throws(RenderError) {
        for (i, index) in faces.enumerated() where index < 0 || Int(index) >= vertexCount {
            throw .faceIndexOutOfRange(face: i / 3, index: index, vertexCount: vertexCount)
        }
        self.faces = Array(faces.prefix(faces.count - faces.count % 3))
        self.vertexCount = vertexCount
        self.options = options
    }

    /// Draws meshes over every picture in `targets` (all `width`×`height`), nearest surface in front.
    ///
    /// Each target keeps its own background (the frame, black, …) and receives the same meshes.
    /// Meshes whose camera cannot place them (zero or non-finite scale) or whose vertices are not
    /// finite are left out.
    ///
    /// - Parameters:
    ///   - meshes: the meshes, each with vertices (V, 3) in the camera frame and `orig_cam`.
    ///   - view: front (over the frame) or the reference's side view.
    ///   - targets: pictures to draw on, each `width`×`height`.
    ///   - mattes: also return each mesh's visible-coverage matte and the combined matte.
    /// - Returns: the mattes when asked for.
    /// - Throws: `RenderError` when a mesh or its colours do not match `vertexCount`.
    /// - Complexity: O(V + F) setup plus O(covered samples) per frame.
    @discardableResult
    public func draw(_ meshes: [MeshInstance], view: MeshView = .front, width: Int, height: Int,
                     onto targets: inout [RGBImage], mattes: Bool = false) throws(RenderError) -> FrameMattes? {
        for target in targets where target.width != width || target.height != height || target.rgb.count != width * height * 3 {
            throw .badImage(width: width, height: height, byteCount: target.rgb.count)
        }
        for mesh in meshes {
            guard mesh.vertices.count == vertexCount * 3 else {
                throw .vertexCountMismatch(expected: vertexCount, got: mesh.vertices.count)
            }
            if case let .perVertex(c) = mesh.albedo, c.count != vertexCount * 3 {
                throw .albedoCountMismatch(expected: vertexCount * 3, got: c.count)
            }
        }
        setups.removeAll(keepingCapacity: true)
        for (index, mesh) in meshes.enumerated() {
            prepare(mesh, owner: Int32(index), view: view, width: width, height: height)
        }
        binTriangles(width: width, height: height)
        var matteBuffers = mattes ? meshes.map { _ in [UInt8](repeating: 0, count: width * height) } : []
        var combined = mattes ? [UInt8](repeating: 0, count: width * height) : []
        rasterizeTiles(width: width, height: height, targets: &targets, mattes: &matteBuffers, combined: &combined)
        guard mattes else { return nil }
        return FrameMattes(width: width, height: height,
                           people: zip(meshes, matteBuffers).map { PersonMatte(id: $0.id, alpha: $1) },
                           combined: combined)
    }
}

/// One triangle ready for the tile loop: vertices in fixed-point sample units ordered so the
/// signed area is positive, depth and lit colour as planes over sample space, and its sample
/// bounding box.
struct TriangleSetup {
    var a: SIMD2<Int64>
    var b: SIMD2<Int64>
    var c: SIMD2<Int64>
    /// Vertex A in sample units: the planes' origin.
    var origin: SIMD2<Float>
    /// Depth at A and its change per sample along x and y.
    var depth: Float
    var depthDX: Float
    var depthDY: Float
    /// Lit colour at A and its change per sample along x and y.
    var colour: SIMD3<Float>
    var colourDX: SIMD3<Float>
    var colourDY: SIMD3<Float>
    var owner: Int32
    /// Inclusive sample bounding box, clipped to the picture.
    var minX: Int32, minY: Int32, maxX: Int32, maxY: Int32

    /// Colour at a sample-space point (clamped against rounding at the triangle's edges).
    @inline(__always)
    func colour(at x: Float, _ y: Float) -> SIMD3<Float> {
        let c = colour + colourDX * (x - origin.x) + colourDY * (y - origin.y)
        return c.replacing(with: 0, where: c .< 0).replacing(with: 1, where: c .> 1)
    }
}
