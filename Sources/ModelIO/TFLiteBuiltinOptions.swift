/// TFLite's `Padding` enum.
public enum TFLitePadding: Sendable, Equatable { case same, valid }

/// TFLite's fused activation (`ActivationFunctionType`).
public enum TFLiteActivation: Sendable, Equatable { case none, relu, reluN1To1, relu6, tanh, signBit }

/// The builtin options of an operator (the `BuiltinOptions` union), for the operators this
/// project runs; other option tables are kept by their union type number.
public enum TFLiteBuiltinOptions: Sendable, Equatable {
    case none
    case conv2D(padding: TFLitePadding, strideW: Int, strideH: Int, activation: TFLiteActivation, dilationW: Int, dilationH: Int)
    case depthwiseConv2D(padding: TFLitePadding, strideW: Int, strideH: Int, depthMultiplier: Int, activation: TFLiteActivation, dilationW: Int, dilationH: Int)
    case concatenation(axis: Int, activation: TFLiteActivation)
    case add(activation: TFLiteActivation)
    case reshape(newShape: [Int])
    case resizeBilinear(alignCorners: Bool, halfPixelCenters: Bool)
    case pad
    case dequantize
    case depthToSpace(blockSize: Int)
    case densify
    case other(type: Int)

    /// Union member numbers of the `BuiltinOptions` union in TFLite's schema.
    private enum UnionType: UInt8 {
        case conv2D = 1, depthwiseConv2D = 2, concatenation = 10, add = 11, resizeBilinear = 15
        case reshape = 17, pad = 22, dequantize = 38, depthToSpace = 94, densify = 99
    }

    init(_ fb: TFLiteFlatBuffer, _ op: TFLiteFlatBuffer.Table, operator index: Int) throws {
        let typeCode = try fb.uint8(op, 3)
        guard typeCode != 0 else { self = .none; return }
        guard let type = UnionType(rawValue: typeCode) else { self = .other(type: Int(typeCode)); return }
        let what = "operators[\(index)].builtin_options"
        guard let t = try fb.subtable(op, 4, what) else {
            throw TFLiteError.malformed(path: fb.path, what: "\(what) has a type but no table")
        }
        func padding(_ id: Int) throws -> TFLitePadding {
            switch try fb.int8(t, id) {
            case 0: return .same
            case 1: return .valid
            case let other: throw TFLiteError.malformed(path: fb.path, what: "\(what) has padding \(other)")
            }
        }
        func activation(_ id: Int) throws -> TFLiteActivation {
            switch try fb.int8(t, id) {
            case 0: return .none
            case 1: return .relu
            case 2: return .reluN1To1
            case 3: return .relu6
            case 4: return .tanh
            case 5: return .signBit
            case let other: throw TFLiteError.malformed(path: fb.path, what: "\(what) has activation \(other)")
            }
        }
        func int(_ id: Int, default value: Int32 = 0) throws -> Int { Int(try fb.int32(t, id, default: value)) }
        switch type {
        case .conv2D:
            self = .conv2D(padding: try padding(0), strideW: try int(1), strideH: try int(2), activation: try activation(3),
                           dilationW: try int(4, default: 1), dilationH: try int(5, default: 1))
        case .depthwiseConv2D:
            self = .depthwiseConv2D(padding: try padding(0), strideW: try int(1), strideH: try int(2), depthMultiplier: try int(3),
                                    activation: try activation(4), dilationW: try int(5, default: 1), dilationH: try int(6, default: 1))
        case .concatenation:
            self = .concatenation(axis: try int(0), activation: try activation(1))
        case .add:
            self = .add(activation: try activation(0))
        case .resizeBilinear:
            self = .resizeBilinear(alignCorners: try fb.bool(t, 2), halfPixelCenters: try fb.bool(t, 3))
        case .reshape:
            self = .reshape(newShape: try fb.int32Vector(t, 0, what + ".new_shape").map(Int.init))
        case .pad: self = .pad
        case .dequantize: self = .dequantize
        case .depthToSpace: self = .depthToSpace(blockSize: try int(0))
        case .densify: self = .densify
        }
    }
}
