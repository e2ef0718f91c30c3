import Foundation

/// A TFLite model file (FlatBuffers, schema version 3): operator codes, the first subgraph,
/// its tensors (with sparsity), the buffers and the builtin options of each operator.
///
/// Reads the subset that inference graphs such as MediaPipe's BlazePose detector use, checking
/// every offset against the file. Constant tensors are decoded with ``constantFloats(_:)``,
/// which dequantizes float16 and densifies sparse (CSR) weights.
///
///     let model = try TFLiteModel(contentsOf: url)
///     for op in model.subgraph.operators where model.builtinCode(of: op) == .conv2D { … }
public struct TFLiteModel: Sendable {
    /// The file the model came from (for error messages).
    public let path: String
    /// Schema version written in the file (3 for current files).
    public let version: UInt32
    public let description: String?
    public let operatorCodes: [TFLiteOperatorCode]
    /// The first (main) subgraph.
    public let subgraph: TFLiteSubgraph
    /// How many subgraphs the file declares (only the first is read).
    public let subgraphCount: Int
    public let buffers: [TFLiteBuffer]

    /// Reads and validates the file at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw TFLiteError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(bytes: [UInt8](data), path: url.path)
    }

    /// Parses a model held in memory; `path` only labels errors.
    public init(bytes: [UInt8], path: String = "<memory>") throws {
        let fb = TFLiteFlatBuffer(bytes: bytes, path: path)
        guard bytes.count >= 8 else {
            throw TFLiteError.truncated(path: path, offset: 0, need: 8, what: "file header")
        }
        if Array(bytes[4..<8]) != Array("TFL3".utf8) {
            throw TFLiteError.malformed(path: path, what: "missing the TFL3 file identifier (not a TFLite model?)")
        }
        let root = try fb.root()
        self.path = path
        version = try fb.uint32(root, 0)
        description = try fb.string(root, 3, "model description")
        operatorCodes = try fb.tableVector(root, 1, "operator_codes").map { try TFLiteOperatorCode(fb, $0) }
        let buffers = try fb.tableVector(root, 4, "buffers").enumerated().map { try TFLiteBuffer(fb, $1, index: $0) }
        self.buffers = buffers
        let subgraphs = try fb.tableVector(root, 2, "subgraphs")
        guard let first = subgraphs.first else {
            throw TFLiteError.malformed(path: path, what: "the model has no subgraph")
        }
        subgraphCount = subgraphs.count
        subgraph = try TFLiteSubgraph(fb, first)
        try validate()
    }

    /// Checks every cross reference (operator code, tensor and buffer indices).
    private func validate() throws {
        let tensorCount = subgraph.tensors.count
        func checkTensor(_ index: Int, _ what: String) throws {
            guard index == -1 || (0..<tensorCount).contains(index) else {
                throw TFLiteError.malformed(path: path, what: "\(what) refers to tensor \(index) of \(tensorCount)")
            }
        }
        for (i, tensor) in subgraph.tensors.enumerated() {
            guard (0..<max(buffers.count, 1)).contains(tensor.buffer) else {
                throw TFLiteError.malformed(path: path, what: "tensor \(i) refers to buffer \(tensor.buffer) of \(buffers.count)")
            }
            if let bad = tensor.shape.first(where: { $0 < 0 }) {
                throw TFLiteError.malformed(path: path, what: "tensor \(i) has extent \(bad)")
            }
        }
        for index in subgraph.inputs { try checkTensor(index, "subgraph input") }
        for index in subgraph.outputs { try checkTensor(index, "subgraph output") }
        for (i, op) in subgraph.operators.enumerated() {
            guard (0..<operatorCodes.count).contains(op.opcodeIndex) else {
                throw TFLiteError.malformed(path: path, what: "operator \(i) has opcode index \(op.opcodeIndex) of \(operatorCodes.count)")
            }
            for index in op.inputs { try checkTensor(index, "operator \(i) input") }
            for index in op.outputs { try checkTensor(index, "operator \(i) output") }
        }
    }

    /// The builtin operator an operator runs.
    public func builtinCode(of op: TFLiteOperator) -> TFLiteBuiltinOperator {
        operatorCodes[op.opcodeIndex].builtinCode
    }

    /// The bytes of the buffer behind tensor `index` (empty for activations).
    public func bufferData(ofTensor index: Int) throws -> [UInt8] {
        try checkTensorIndex(index)
        let buffer = subgraph.tensors[index].buffer
        return buffer < buffers.count ? buffers[buffer].data : []
    }

    func checkTensorIndex(_ index: Int) throws {
        guard subgraph.tensors.indices.contains(index) else {
            throw TFLiteError.malformed(path: path, what: "tensor index \(index) of \(subgraph.tensors.count)")
        }
    }
}

/// One entry of the model's operator code table.
public struct TFLiteOperatorCode: Sendable, Equatable {
    /// `max(deprecated_builtin_code, builtin_code)`, as TFLite resolves the two fields.
    public let builtinCode: TFLiteBuiltinOperator
    public let customCode: String?
    public let version: Int

    init(_ fb: TFLiteFlatBuffer, _ table: TFLiteFlatBuffer.Table) throws {
        let deprecated = Int(try fb.int8(table, 0))
        let current = Int(try fb.int32(table, 3))
        builtinCode = TFLiteBuiltinOperator(code: max(deprecated, current))
        customCode = try fb.string(table, 1, "custom_code")
        version = Int(try fb.int32(table, 2, default: 1))
    }
}

/// The builtin operators this project runs; anything else is kept by number.
public enum TFLiteBuiltinOperator: Sendable, Equatable, CustomStringConvertible {
    case add, concatenation, conv2D, depthwiseConv2D, depthToSpace, dequantize, logistic
    case reshape, resizeBilinear, pad, maxPool2D, densify
    case other(Int)

    init(code: Int) {
        switch code {
        case 0: self = .add
        case 2: self = .concatenation
        case 3: self = .conv2D
        case 4: self = .depthwiseConv2D
        case 5: self = .depthToSpace
        case 6: self = .dequantize
        case 14: self = .logistic
        case 17: self = .maxPool2D
        case 22: self = .reshape
        case 23: self = .resizeBilinear
        case 34: self = .pad
        case 124: self = .densify
        default: self = .other(code)
        }
    }

    public var description: String {
        switch self {
        case .add: "ADD"
        case .concatenation: "CONCATENATION"
        case .conv2D: "CONV_2D"
        case .depthwiseConv2D: "DEPTHWISE_CONV_2D"
        case .depthToSpace: "DEPTH_TO_SPACE"
        case .dequantize: "DEQUANTIZE"
        case .logistic: "LOGISTIC"
        case .maxPool2D: "MAX_POOL_2D"
        case .reshape: "RESHAPE"
        case .resizeBilinear: "RESIZE_BILINEAR"
        case .pad: "PAD"
        case .densify: "DENSIFY"
        case let .other(code): "builtin operator \(code)"
        }
    }
}

/// A raw data buffer. Buffer 0 is the empty sentinel; activations point at empty buffers.
public struct TFLiteBuffer: Sendable, Equatable {
    public let data: [UInt8]

    init(_ fb: TFLiteFlatBuffer, _ table: TFLiteFlatBuffer.Table, index: Int) throws {
        let inline = try fb.byteVector(table, 0, "buffers[\(index)].data")
        let offset = try fb.uint64(table, 1)
        let size = try fb.uint64(table, 2)
        if inline.isEmpty && offset > 1 {
            // Large models keep buffers after the flatbuffer, addressed from the file start.
            guard offset <= UInt64(fb.bytes.count), size <= UInt64(fb.bytes.count) - offset else {
                throw TFLiteError.truncated(path: fb.path, offset: Int(clamping: offset), need: Int(clamping: size), what: "buffers[\(index)] (external)")
            }
            data = Array(fb.bytes[Int(offset)..<Int(offset + size)])
        } else {
            data = inline
        }
    }
}
