/// A value on the unpickler's stack or in its memo. Containers are mutable and shared by
/// reference, as in Python (a memoized dict keeps receiving `SETITEMS`); the finished graph is
/// turned into a `PickleValue` tree by `PickleMachine.convert`.
final class PickleObject {
    enum Kind {
        /// A finished immutable value (scalars, strings, tensors, arrays).
        case value(PickleValue)
        case list([PickleObject])
        case tuple([PickleObject])
        case dict(PickleDict)
        case set([PickleObject])
        /// An allow-listed class or function, not yet called.
        case global(PickleGlobal)
        /// A PyTorch storage resolved from a persistent id.
        case storage(dtype: ScalarType, bytes: ByteSlice)
        /// A NumPy dtype (after `numpy.dtype(...)` and its `BUILD`).
        case dtype(NumPyDType)
        /// An instance of an allow-listed class awaiting its `BUILD` state.
        case instance(PickleGlobal)
        /// An instance of a plain class with the state it was given.
        case plain(type: String, state: PickleObject?)
    }

    var kind: Kind
    /// The converted value, once computed (objects may be shared).
    var converted: PickleValue?
    /// Set while converting, to detect cycles.
    var isConverting = false
    /// The dict key this object makes, once computed.
    var cachedKey: PickleDictKey??

    init(_ kind: Kind) {
        self.kind = kind
    }
}

/// A dict under construction: ordered entries plus a hash index so that repeated keys replace
/// values in O(1), as Python does.
struct PickleDict {
    var keys: [PickleObject] = []
    var values: [PickleObject] = []
    var index: [PickleDictKey: Int] = [:]

    mutating func set(_ key: PickleObject, _ value: PickleObject) throws {
        let hashKey = try PickleDictKey.make(key)
        if let existing = index[hashKey] {
            values[existing] = value
        } else {
            index[hashKey] = keys.count
            keys.append(key)
            values.append(value)
        }
    }
}

/// The identity of a dict key: Python's equality for the hashable kinds pickles use.
/// Strings and bytes longer than `contentLimit` are keyed by object identity so that hashing
/// cannot be made to take quadratic time.
enum PickleDictKey: Hashable {
    case none
    case int(Int64)
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleDictKey])
    case identity(ObjectIdentifier)
    case global(String)

    static let contentLimit = 1024

    static func make(_ object: PickleObject, depth: Int = 0) throws -> PickleDictKey {
        if let cached = object.cachedKey, let key = cached { return key }
        guard depth < 32 else { throw ModelIOError(.limitExceeded("dict key nested deeper than 32")) }
        let key: PickleDictKey
        switch object.kind {
        case .value(let value):
            switch value {
            case .none: key = .none
            case .bool(let flag): key = .int(flag ? 1 : 0)
            case .int(let number): key = .int(number)
            case .bigInt(let bytes): key = .bigInt(bytes)
            case .float(let number): key = Int64(exactly: number).map { .int($0) } ?? .float(number)
            case .string(let text):
                key = text.utf8.count > contentLimit ? .identity(ObjectIdentifier(object)) : .string(text)
            case .bytes(let slice):
                key = slice.count > contentLimit ? .identity(ObjectIdentifier(object)) : .bytes(slice.array)
            default:
                throw ModelIOError(.malformed("unhashable dict key of type \(value.kindName)"))
            }
        case .tuple(let items):
            key = .tuple(try items.map { try make($0, depth: depth + 1) })
        case .global(let global):
            key = .global(global.qualifiedName)
        case .list, .dict, .set:
            throw ModelIOError(.malformed("unhashable dict key (a mutable container)"))
        case .storage, .dtype, .instance, .plain:
            key = .identity(ObjectIdentifier(object))
        }
        object.cachedKey = .some(key)
        return key
    }
}
