/// A PyTorch tensor as stored in a checkpoint: a typed, strided view over its storage's bytes,
/// which stay in the (memory-mapped) file until converted.
///
/// ```swift
/// let weight = try checkpoint.stateDict()[0].tensor  // (64, 3, 7, 7) float32
/// let values = try weight.floats()                    // 9408 values, row-major
/// ```
public struct StoredTensor: Sendable {
    public let dtype: ScalarType
    public let shape: [Int]
    /// Strides in elements, as PyTorch reports them.
    public let strides: [Int]
    /// Offset of element 0 in the storage, in elements.
    public let storageOffset: Int
    /// The whole storage the view reads from.
    public let storage: ByteSlice
    /// Number of elements in the view.
    public let count: Int

    /// Validates the view against the storage: every element it addresses must lie inside it.
    public init(dtype: ScalarType, shape: [Int], strides: [Int], storageOffset: Int, storage: ByteSlice) throws {
        count = try ElementGather.validate(shape: shape, strides: strides, offset: storageOffset,
                                           storageElements: storage.count / dtype.byteWidth)
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.storageOffset = storageOffset
        self.storage = storage
    }

    /// Whether the elements are laid out row-major without gaps.
    public var isContiguous: Bool { ElementGather.isContiguous(shape: shape, strides: strides) }

    /// The elements in logical (row-major) order as `Float`, converted from any dtype.
    ///
    /// Complexity: O(count); a contiguous float32 view is a single copy.
    public func floats() throws -> [Float] {
        ElementGather.floats(storage, dtype: dtype, bigEndian: false, shape: shape, strides: strides,
                             offset: storageOffset, count: count)
    }

    /// The elements in logical order as `Double`.
    public func doubles() throws -> [Double] {
        ElementGather.doubles(storage, dtype: dtype, bigEndian: false, shape: shape, strides: strides,
                              offset: storageOffset, count: count)
    }

    /// The elements in logical order as `Int64`; floating-point elements must be integral.
    public func int64s() throws -> [Int64] {
        try ElementGather.int64s(storage, dtype: dtype, bigEndian: false, shape: shape, strides: strides,
                                 offset: storageOffset, count: count)
    }
}
