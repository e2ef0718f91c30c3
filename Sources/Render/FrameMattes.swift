/// 8-bit alpha mattes of one frame: where each mesh is visible, and all of them together.
///
/// A person's matte is the fraction of the pixel where that person's mesh is the nearest surface
/// (so an occluded part belongs to the person in front); 255 is fully covered. The per-person
/// mattes of a pixel add up to its combined matte (up to rounding), so they composite cleanly.
public struct FrameMattes: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// One matte per mesh, in the order the meshes were given, each (height, width) row-major.
    public var people: [PersonMatte]
    /// The union of all meshes' silhouettes, (height, width).
    public var combined: [UInt8]
}

/// The matte of one mesh.
public struct PersonMatte: Sendable, Equatable {
    /// The mesh's `MeshInstance.id` (the track id).
    public var id: Int
    /// 8-bit alpha, (height, width) row-major.
    public var alpha: [UInt8]
}
