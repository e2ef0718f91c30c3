/// One mesh to draw: posed vertices in the camera frame and the full-image camera.
public struct MeshInstance: Sendable {
    /// Posed vertices in the camera frame (x right, y down, z away from the camera), (V, 3).
    public var vertices: [Float]
    /// The full-image weak-perspective camera `orig_cam` = (sx, sy, tx, ty).
    public var camera: SIMD4<Float>
    /// Surface colour before lighting.
    public var albedo: MeshAlbedo
    /// Caller's identifier (a track id), reported back with the mattes.
    public var id: Int

    public init(vertices: [Float], camera: SIMD4<Float>, albedo: MeshAlbedo = .uniform(MeshColor.purple), id: Int = 0) {
        self.vertices = vertices
        self.camera = camera
        self.albedo = albedo
        self.id = id
    }
}

/// Surface colour of a mesh before lighting, RGB in 0...1.
public enum MeshAlbedo: Sendable, Equatable {
    /// One colour for the whole mesh.
    case uniform(SIMD3<Float>)
    /// One colour per vertex, (V, 3).
    case perVertex([Float])
}

/// From where a mesh is seen.
public enum MeshView: Sendable, Equatable {
    /// Through the full-image camera, as the mesh lies over the frame.
    case front
    /// The reference demo's side view: the mesh turned 270° about the vertical axis through the
    /// camera-frame origin, seen through the same camera.
    case side

    /// Camera-frame point as this view sees it. The side view is the reference's rotation
    /// (270° about +y after its x half-turn) written directly in the camera frame: (z, y, −x).
    @inline(__always)
    func transform(_ p: SIMD3<Float>) -> SIMD3<Float> {
        switch self {
        case .front: p
        case .side: SIMD3(p.z, p.y, -p.x)
        }
    }
}
