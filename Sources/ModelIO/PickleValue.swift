/// A value decoded from a pickle by `Unpickler`: plain Python data, plus the few library types the
/// allow-list builds (PyTorch tensors, NumPy arrays, SciPy sparse matrices).
///
/// Dicts keep their insertion order. Python 2 `str` values become `.string` when they are
/// ASCII and `.bytes` otherwise (the bytes latin1 decoding would give back); `text` reads either.
///
/// ```swift
/// let checkpoint = try TorchCheckpoint(contentsOf: url)
/// let epoch = checkpoint.root["epoch"]?.intValue
/// ```
public indirect enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    /// An integer wider than 64 bits: little-endian two's complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes(ByteSlice)
    case list([PickleValue])
    case tuple([PickleValue])
    case set([PickleValue])
    /// A dict (or `collections.OrderedDict`) in insertion order.
    case dict([(key: PickleValue, value: PickleValue)])
    /// A PyTorch tensor or parameter: a typed view over its storage's bytes.
    case tensor(StoredTensor)
    /// A NumPy array (also a chumpy `Ch`, which becomes its array).
    case array(NDArray)
    /// A SciPy sparse matrix (csc, csr or coo).
    case sparse(SparseMatrix)
    /// A reference to an allow-listed class or function that was not called, e.g. `torch.FloatStorage`.
    case global(String)
    /// An instance of an allow-listed plain class (`builtins.object`) with its pickled state.
    case object(type: String, state: PickleValue)
}

extension PickleValue {
    /// The value for `key` when this is a dict with string keys.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let entries) = self else { return nil }
        for entry in entries {
            if entry.key.text == key { return entry.value }
        }
        return nil
    }

    /// Element `index` of a list or tuple.
    public subscript(index: Int) -> PickleValue? {
        guard let items, index >= 0, index < items.count else { return nil }
        return items[index]
    }

    /// The elements of a list, tuple or set.
    public var items: [PickleValue]? {
        switch self {
        case .list(let values), .tuple(let values), .set(let values): values
        default: nil
        }
    }

    /// The ordered entries of a dict.
    public var entries: [(key: PickleValue, value: PickleValue)]? {
        if case .dict(let entries) = self { return entries }
        return nil
    }

    /// A `.string`, or `.bytes` decoded as latin1 (as Python 3 reads Python 2 strings).
    public var text: String? {
        switch self {
        case .string(let value): value
        case .bytes(let slice): String(slice.array.map { Character(Unicode.Scalar($0)) })
        default: nil
        }
    }

    public var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .float(let value): value
        case .int(let value): Double(value)
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let value): value
        case .int(let value): value != 0
        default: nil
        }
    }

    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    public var tensor: StoredTensor? {
        if case .tensor(let value) = self { return value }
        return nil
    }

    public var array: NDArray? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var sparse: SparseMatrix? {
        if case .sparse(let value) = self { return value }
        return nil
    }

    /// A short name of the case, for error messages.
    var kindName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .list: "list"
        case .tuple: "tuple"
        case .set: "set"
        case .dict: "dict"
        case .tensor: "tensor"
        case .array: "ndarray"
        case .sparse: "sparse matrix"
        case .global(let name): name
        case .object(let type, _): type
        }
    }
}
