import Foundation

/// The SMPL body model as stored in `SMPL_NEUTRAL.pkl` (a Python 2 pickle of chumpy and NumPy
/// arrays and a SciPy sparse `J_regressor`), turned into plain arrays.
///
/// ```swift
/// let smpl = try SMPLModelFile.load(contentsOf: dataFolder.appendingPathComponent("smpl/SMPL_NEUTRAL.pkl"))
/// smpl.vertexCount  // 6890
/// ```
public struct SMPLModelFile: Sendable {
    /// V.
    public let vertexCount: Int
    /// B, the number of shape components stored (10 for SMPL, 300 for some releases).
    public let shapeCount: Int
    public let vTemplate: [Float]      // (V, 3)
    public let shapedirs: [Float]      // (V, 3, B)
    public let posedirs: [Float]       // (V, 3, 207)
    public let jRegressor: [Float]     // (24, V), densified
    public let weights: [Float]        // (V, 24)
    /// Parent of each of the 24 joints; -1 for the root.
    public let parents: [Int]          // (24)
    public let faces: [Int32]          // (F, 3)

    public static let jointCount = 24

    /// Reads and checks the file at `url`.
    public static func load(contentsOf url: URL) throws -> SMPLModelFile {
        let path = url.path
        let storage = try ByteStorage(mapping: url)
        return try reportingFile(path) {
            let (value, _) = try Unpickler().load(storage.slice)
            return try SMPLModelFile(value)
        }
    }

    /// Builds the model from an unpickled SMPL dict.
    public init(_ root: PickleValue) throws {
        func array(_ key: String) throws -> NDArray {
            guard let value = root[key] else { throw ModelIOError(.missingEntry("SMPL key `\(key)`")) }
            guard case .array(let array) = value, array.dtype != nil else {
                throw ModelIOError(.malformed("SMPL `\(key)` is a \(value.kindName), not a numeric array"))
            }
            return array
        }
        func expect(_ key: String, _ array: NDArray, _ shape: [Int?]) throws {
            guard array.shape.count == shape.count,
                  zip(array.shape, shape).allSatisfy({ $1 == nil || $0 == $1 }) else {
                throw ModelIOError(.malformed("SMPL `\(key)` has shape \(array.shape), expected \(shape.map { $0.map(String.init) ?? "_" })"))
            }
        }
        let template = try array("v_template")
        guard template.shape.count == 2 else { throw ModelIOError(.malformed("SMPL `v_template` has shape \(template.shape)")) }
        let vertices = template.shape[0]
        try expect("v_template", template, [vertices, 3])
        let shapeArray = try array("shapedirs")
        try expect("shapedirs", shapeArray, [vertices, 3, nil])
        let poseArray = try array("posedirs")
        try expect("posedirs", poseArray, [vertices, 3, 207])
        let weightArray = try array("weights")
        try expect("weights", weightArray, [vertices, SMPLModelFile.jointCount])
        let faceArray = try array("f")
        try expect("f", faceArray, [nil, 3])
        let tree = try array("kintree_table")
        try expect("kintree_table", tree, [2, SMPLModelFile.jointCount])

        guard let regressorValue = root["J_regressor"] else { throw ModelIOError(.missingEntry("SMPL key `J_regressor`")) }
        let regressor: [Float]
        switch regressorValue {
        case .sparse(let matrix):
            guard matrix.rows == SMPLModelFile.jointCount, matrix.columns == vertices else {
                throw ModelIOError(.malformed("SMPL `J_regressor` is (\(matrix.rows), \(matrix.columns)), expected (24, \(vertices))"))
            }
            regressor = try matrix.denseFloats()
        case .array(let dense):
            try expect("J_regressor", dense, [SMPLModelFile.jointCount, vertices])
            regressor = try dense.floats()
        default:
            throw ModelIOError(.malformed("SMPL `J_regressor` is a \(regressorValue.kindName)"))
        }

        let parentRow = try tree.int64s().prefix(SMPLModelFile.jointCount)
        let parents = try parentRow.enumerated().map { joint, parent -> Int in
            if joint == 0 { return -1 }  // the root's entry is 2^32 - 1 (or -1)
            guard parent >= 0, parent < joint else {
                throw ModelIOError(.malformed("SMPL joint \(joint) has parent \(parent)"))
            }
            return Int(parent)
        }
        let faceValues = try faceArray.int64s()
        guard faceValues.allSatisfy({ $0 >= 0 && $0 < Int64(vertices) }) else {
            throw ModelIOError(.malformed("SMPL face index outside 0..<\(vertices)"))
        }

        vertexCount = vertices
        shapeCount = shapeArray.shape[2]
        vTemplate = try template.floats()
        shapedirs = try shapeArray.floats()
        posedirs = try poseArray.floats()
        jRegressor = regressor
        weights = try weightArray.floats()
        self.parents = parents
        faces = faceValues.map { Int32($0) }
    }
}
