/// The allow-list: every class or function a pickle may name. Anything else is refused.
///
/// Each entry is built by Swift code in `PickleMachine+Globals.swift`; nothing is looked up or
/// called by name.
enum PickleGlobal: Equatable {
    case orderedDict
    case builtinSet
    case builtinFrozenSet
    case builtinObject
    case builtinByteArray
    case builtinBytes
    case rebuildTensor
    case rebuildTensorV2
    case rebuildParameter
    case storageType(ScalarType)
    case numpyReconstruct
    case numpyNDArray
    case numpyDType
    case numpyScalar
    case numpyFromBuffer
    case numpyReshape
    case numpyArray
    case sparseMatrix(SparseMatrix.Format)
    case chumpyCh
    case codecsEncode
    case copyregReconstructor

    /// `module.name` of this global, in its current spelling.
    var qualifiedName: String {
        switch self {
        case .orderedDict: "collections.OrderedDict"
        case .builtinSet: "builtins.set"
        case .builtinFrozenSet: "builtins.frozenset"
        case .builtinObject: "builtins.object"
        case .builtinByteArray: "builtins.bytearray"
        case .builtinBytes: "builtins.bytes"
        case .rebuildTensor: "torch._utils._rebuild_tensor"
        case .rebuildTensorV2: "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: "torch._utils._rebuild_parameter"
        case .storageType(let dtype): "torch.\(PickleGlobal.storageNames.first { $0.value == dtype }?.key ?? "UntypedStorage")"
        case .numpyReconstruct: "numpy.core.multiarray._reconstruct"
        case .numpyNDArray: "numpy.ndarray"
        case .numpyDType: "numpy.dtype"
        case .numpyScalar: "numpy.core.multiarray.scalar"
        case .numpyFromBuffer: "numpy.frombuffer"
        case .numpyReshape: "numpy.reshape"
        case .numpyArray: "numpy.array"
        case .sparseMatrix(let format): "scipy.sparse.\(format.rawValue)_matrix"
        case .chumpyCh: "chumpy.ch.Ch"
        case .codecsEncode: "_codecs.encode"
        case .copyregReconstructor: "copyreg._reconstructor"
        }
    }

    static let storageNames: [String: ScalarType] = [
        "FloatStorage": .float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
        "DoubleStorage": .float64, "LongStorage": .int64, "IntStorage": .int32,
        "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8,
        "BoolStorage": .bool, "UntypedStorage": .uint8,
    ]

    /// Looks up `module.name`; nil when it is not allowed.
    static func lookUp(module: String, name: String) -> PickleGlobal? {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("builtins", "set"), ("__builtin__", "set"): return .builtinSet
        case ("builtins", "frozenset"), ("__builtin__", "frozenset"): return .builtinFrozenSet
        case ("builtins", "object"), ("__builtin__", "object"): return .builtinObject
        case ("builtins", "bytearray"), ("__builtin__", "bytearray"): return .builtinByteArray
        case ("builtins", "bytes"), ("__builtin__", "bytes"): return .builtinBytes
        case ("torch._utils", "_rebuild_tensor"): return .rebuildTensor
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("torch", _), ("torch.storage", "UntypedStorage"):
            return storageNames[name].map { .storageType($0) }
        case ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"):
            return .numpyReconstruct
        case ("numpy", "ndarray"): return .numpyNDArray
        case ("numpy", "dtype"): return .numpyDType
        case ("numpy", "frombuffer"): return .numpyFromBuffer
        case ("numpy", "reshape"): return .numpyReshape
        case ("numpy", "array"): return .numpyArray
        case ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"): return .numpyScalar
        case ("chumpy.ch", "Ch"): return .chumpyCh
        case ("_codecs", "encode"): return .codecsEncode
        case ("copy_reg", "_reconstructor"), ("copyreg", "_reconstructor"): return .copyregReconstructor
        default:
            return sparseFormat(module: module, name: name).map { .sparseMatrix($0) }
        }
    }

    /// SciPy's sparse classes under their old (`scipy.sparse.csc`) and new (`scipy.sparse._csc`)
    /// module names, as matrices or arrays.
    private static func sparseFormat(module: String, name: String) -> SparseMatrix.Format? {
        for format in [SparseMatrix.Format.csc, .csr, .coo] {
            let modules = ["scipy.sparse.\(format.rawValue)", "scipy.sparse._\(format.rawValue)", "scipy.sparse"]
            let names = ["\(format.rawValue)_matrix", "\(format.rawValue)_array"]
            if modules.contains(module), names.contains(name) { return format }
        }
        return nil
    }
}
