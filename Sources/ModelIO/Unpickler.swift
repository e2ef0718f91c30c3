/// Decodes Python pickles (protocols 0–5) without executing anything.
///
/// Only the globals on `PickleGlobal`'s allow-list are ever built — ordered dicts, PyTorch's
/// tensor/parameter rebuild functions and storage types, NumPy arrays and dtypes, SciPy sparse
/// matrices, chumpy `Ch` (as its array), `_codecs.encode` and a few harmless builtins. Any other
/// global is refused with `ModelIOError.Reason.unknownGlobal` naming it, as soon as the `GLOBAL`
/// opcode is read, before any `REDUCE`.
///
/// Python 2 strings are read as latin1, as Python 3's `pickle.load(f, encoding="latin1")` does.
/// All sizes are checked against the input and `Limits`; a hostile pickle can make the
/// unpickler throw but not crash, hang or allocate without bound.
///
/// ```swift
/// let value = try Unpickler().load(ByteStorage(copying: bytes).slice).value
/// ```
public struct Unpickler {
    /// Bounds on the work a pickle may ask for.
    public struct Limits: Sendable {
        /// Most values on the stack at once.
        public var maximumStackDepth = 1 << 20
        /// Most memo entries.
        public var maximumMemoEntries = 1 << 20
        /// Deepest nesting of containers in the result.
        public var maximumNesting = 200
        /// Longest integer written in decimal (as Python's own default).
        public var maximumDecimalDigits = 4300

        public init() {}
    }

    /// What a PyTorch persistent id asks for: `('storage', type, key, location, numel[, view])`.
    public struct StorageRequest: Sendable {
        public var dtype: ScalarType
        public var key: String
        public var location: String
        /// Number of elements of the (root) storage.
        public var elementCount: Int
        /// Legacy format only: this storage is a view `(key, offset, count)` (offset and count in
        /// elements) of the root storage `key`.
        public var view: (key: String, offset: Int, count: Int)?
    }

    public var limits: Limits
    /// Supplies the bytes of a storage named by a persistent id. Without it, persistent ids are refused.
    public var storageResolver: ((StorageRequest) throws -> ByteSlice)?

    public init(limits: Limits = Limits(), storageResolver: ((StorageRequest) throws -> ByteSlice)? = nil) {
        self.limits = limits
        self.storageResolver = storageResolver
    }

    /// Decodes the pickle that starts at the beginning of `bytes`.
    ///
    /// - Returns: the value and the number of bytes the pickle used (up to and including `STOP`).
    public func load(_ bytes: ByteSlice) throws -> (value: PickleValue, length: Int) {
        let machine = PickleMachine(bytes: bytes, limits: limits, storageResolver: storageResolver)
        defer { machine.releaseObjects() }
        return try machine.run()
    }

    /// Decodes a whole pickle held in memory; bytes after `STOP` are an error.
    public func load(_ bytes: [UInt8]) throws -> PickleValue {
        let slice = ByteStorage(copying: bytes).slice
        let (value, length) = try load(slice)
        guard length == slice.count else {
            throw ModelIOError(.malformed("\(slice.count - length) byte(s) after the pickle's STOP"), offset: length)
        }
        return value
    }
}
