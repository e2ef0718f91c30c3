/// A TFLite subgraph: tensors, operators in execution order, and the graph's inputs/outputs.
public struct TFLiteSubgraph: Sendable {
    public let name: String?
    public let tensors: [TFLiteTensor]
    /// Tensor indices of the graph inputs.
    public let inputs: [Int]
    /// Tensor indices of the graph outputs.
    public let outputs: [Int]
    /// Operators in the order they run.
    public let operators: [TFLiteOperator]

    init(_ fb: TFLiteFlatBuffer, _ table: TFLiteFlatBuffer.Table) throws {
        name = try fb.string(table, 4, "subgraph name")
        tensors = try fb.tableVector(table, 0, "tensors").enumerated().map { try TFLiteTensor(fb, $1, index: $0) }
        inputs = try fb.int32Vector(table, 1, "subgraph inputs").map(Int.init)
        outputs = try fb.int32Vector(table, 2, "subgraph outputs").map(Int.init)
        operators = try fb.tableVector(table, 3, "operators").enumerated().map { try TFLiteOperator(fb, $1, index: $0) }
    }
}

/// Element type of a TFLite tensor.
public enum TFLiteTensorType: Sendable, Equatable {
    case float32, float16, int32, uint8, int64, string, bool, int16, int8, float64
    case other(Int)

    init(code: Int) {
        switch code {
        case 0: self = .float32
        case 1: self = .float16
        case 2: self = .int32
        case 3: self = .uint8
        case 4: self = .int64
        case 5: self = .string
        case 6: self = .bool
        case 7: self = .int16
        case 9: self = .int8
        case 10: self = .float64
        default: self = .other(code)
        }
    }

    /// The matching project scalar type, when there is one.
    public var scalarType: ScalarType? {
        switch self {
        case .float32: .float32
        case .float16: .float16
        case .int32: .int32
        case .uint8: .uint8
        case .int64: .int64
        case .bool: .bool
        case .int16: .int16
        case .int8: .int8
        case .float64: .float64
        case .string, .other: nil
        }
    }
}

/// One tensor of the subgraph: shape, type, the buffer holding constant data, and sparsity.
public struct TFLiteTensor: Sendable {
    public let name: String
    public let shape: [Int]
    public let type: TFLiteTensorType
    /// Index into `TFLiteModel.buffers`.
    public let buffer: Int
    /// Present when the buffer stores the tensor in a compressed sparse format.
    public let sparsity: TFLiteSparsity?

    init(_ fb: TFLiteFlatBuffer, _ table: TFLiteFlatBuffer.Table, index: Int) throws {
        shape = try fb.int32Vector(table, 0, "tensors[\(index)].shape").map(Int.init)
        type = TFLiteTensorType(code: Int(try fb.int8(table, 1)))
        buffer = Int(try fb.uint32(table, 2))
        name = try fb.string(table, 3, "tensors[\(index)].name") ?? ""
        if let sparse = try fb.subtable(table, 6, "tensors[\(index)].sparsity") {
            sparsity = try TFLiteSparsity(fb, sparse, tensor: index)
        } else {
            sparsity = nil
        }
    }

    /// Number of elements of the dense tensor (product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// TFLite's sparse tensor description: a traversal order over dimensions, each stored dense
/// or as CSR (segments + indices), with an optional block map.
public struct TFLiteSparsity: Sendable, Equatable {
    public enum Format: Sendable, Equatable { case dense, sparseCSR }

    public struct Dimension: Sendable, Equatable {
        public let format: Format
        /// Extent of a dense dimension.
        public let denseSize: Int
        /// CSR row starts (`count = parent positions + 1`).
        public let segments: [Int]
        /// CSR coordinates along this dimension.
        public let indices: [Int]
    }

    public let traversalOrder: [Int]
    public let blockMap: [Int]
    public let dimensions: [Dimension]

    init(_ fb: TFLiteFlatBuffer, _ table: TFLiteFlatBuffer.Table, tensor: Int) throws {
        let what = "tensors[\(tensor)].sparsity"
        traversalOrder = try fb.int32Vector(table, 0, what + ".traversal_order").map(Int.init)
        blockMap = try fb.int32Vector(table, 1, what + ".block_map").map(Int.init)
        dimensions = try fb.tableVector(table, 2, what + ".dim_metadata").enumerated().map { level, dim in
            let name = "\(what).dim_metadata[\(level)]"
            let formatCode = try fb.int8(dim, 0)
            guard formatCode == 0 || formatCode == 1 else {
                throw TFLiteError.malformed(path: fb.path, what: "\(name) has format \(formatCode)")
            }
            return Dimension(
                format: formatCode == 0 ? .dense : .sparseCSR,
                denseSize: Int(try fb.int32(dim, 1)),
                segments: try Self.indexVector(fb, dim, typeField: 2, name + ".array_segments"),
                indices: try Self.indexVector(fb, dim, typeField: 4, name + ".array_indices"))
        }
    }

    /// Reads a `SparseIndexVector` union (Int32Vector = 1, Uint16Vector = 2, Uint8Vector = 3).
    private static func indexVector(_ fb: TFLiteFlatBuffer, _ table: TFLiteFlatBuffer.Table, typeField: Int, _ what: String) throws -> [Int] {
        let type = try fb.uint8(table, typeField)
        guard type != 0, let inner = try fb.subtable(table, typeField + 1, what) else { return [] }
        switch type {
        case 1: return try fb.int32Vector(inner, 0, what).map(Int.init)
        case 2: return try fb.uint16Vector(inner, 0, what).map(Int.init)
        case 3: return try fb.byteVector(inner, 0, what).map(Int.init)
        default: throw TFLiteError.malformed(path: fb.path, what: "\(what) has index vector type \(type)")
        }
    }
}

/// One operator: which code it runs, its tensors (-1 = optional input left out), its options.
public struct TFLiteOperator: Sendable {
    public let opcodeIndex: Int
    public let inputs: [Int]
    public let outputs: [Int]
    public let options: TFLiteBuiltinOptions

    init(_ fb: TFLiteFlatBuffer, _ table: TFLiteFlatBuffer.Table, index: Int) throws {
        opcodeIndex = Int(try fb.uint32(table, 0))
        inputs = try fb.int32Vector(table, 1, "operators[\(index)].inputs").map(Int.init)
        outputs = try fb.int32Vector(table, 2, "operators[\(index)].outputs").map(Int.init)
        options = try TFLiteBuiltinOptions(fb, table, operator: index)
    }
}
