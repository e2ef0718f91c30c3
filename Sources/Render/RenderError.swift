/// What can go wrong when drawing: always a caller's input, never a crash.
public enum RenderError: Error, Equatable, CustomStringConvertible {
    /// Pixels whose count does not match the stated size.
    case badImage(width: Int, height: Int, byteCount: Int)
    /// A face refers to a vertex the mesh does not have.
    case faceIndexOutOfRange(face: Int, index: Int32, vertexCount: Int)
    /// A mesh whose vertex array does not hold the body model's vertex count.
    case vertexCountMismatch(expected: Int, got: Int)
    /// A per-vertex colour array of the wrong length.
    case albedoCountMismatch(expected: Int, got: Int)
    /// A render ratio that is not a positive finite number, or gives an empty picture.
    case badRenderRatio(Float)

    public var description: String {
        switch self {
        case let .badImage(width, height, byteCount):
            "render: an RGB picture of \(width)x\(height) needs \(max(0, width * height * 3)) bytes, got \(byteCount)"
        case let .faceIndexOutOfRange(face, index, vertexCount):
            "render: face \(face) refers to vertex \(index) of a mesh with \(vertexCount) vertices; the faces do not belong to this body model"
        case let .vertexCountMismatch(expected, got):
            "render: a mesh has \(got / 3) vertices (\(got) floats) but the body model has \(expected); render with the body model that produced the meshes"
        case let .albedoCountMismatch(expected, got):
            "render: per-vertex colours need \(expected) floats (V×3), got \(got)"
        case let .badRenderRatio(ratio):
            "render: --render_ratio must be a positive number that leaves at least 2×2 pixels, got \(ratio)"
        }
    }
}
