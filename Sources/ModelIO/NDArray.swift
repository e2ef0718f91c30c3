/// A NumPy array: from a `.npy`/`.npz` file or a pickled `numpy.ndarray`.
///
/// Numeric arrays view their bytes (no copy); object arrays (`dtype=object`) hold their
/// elements as `PickleValue`s, such as the sparse matrices of `mesh_downsampling.npz`.
/// Conversions return elements in logical row-major (C) order whatever `fortranOrder` is.
public struct NDArray: Sendable {
    /// The element type, or nil for an object array.
    public let dtype: ScalarType?
    /// Whether multi-byte elements are stored big-endian.
    public let isBigEndian: Bool
    public let shape: [Int]
    /// Whether the bytes are in column-major order.
    public let fortranOrder: Bool
    /// The element bytes (empty for object arrays).
    public let data: ByteSlice
    /// The elements of an object array, in storage order.
    public let objects: [PickleValue]
    /// Number of elements.
    public let count: Int

    /// A numeric array over `data`, which must hold exactly the elements of `shape`.
    public init(dtype: ScalarType, shape: [Int], fortranOrder: Bool = false, isBigEndian: Bool = false, data: ByteSlice) throws {
        let count = try NDArray.elementCount(shape)
        guard count.multipliedReportingOverflow(by: dtype.byteWidth).partialValue == data.count,
              !count.multipliedReportingOverflow(by: dtype.byteWidth).overflow else {
            throw ModelIOError(.malformed("array of shape \(shape) and dtype \(dtype.rawValue) needs \(count) elements but has \(data.count) bytes"))
        }
        self.dtype = dtype
        self.isBigEndian = isBigEndian && dtype.byteWidth > 1
        self.shape = shape
        self.fortranOrder = fortranOrder
        self.data = data
        self.objects = []
        self.count = count
    }

    /// An object array.
    public init(objects: [PickleValue], shape: [Int], fortranOrder: Bool = false) throws {
        let count = try NDArray.elementCount(shape)
        guard count == objects.count else {
            throw ModelIOError(.malformed("object array of shape \(shape) has \(objects.count) elements"))
        }
        self.dtype = nil
        self.isBigEndian = false
        self.shape = shape
        self.fortranOrder = fortranOrder
        self.data = ByteStorage(copying: []).slice
        self.objects = objects
        self.count = count
    }

    static func elementCount(_ shape: [Int]) throws -> Int {
        guard shape.count <= 64 else { throw ModelIOError(.limitExceeded("array has \(shape.count) dimensions (at most 64)")) }
        var count = 1
        for size in shape {
            guard size >= 0 else { throw ModelIOError(.malformed("negative size in shape \(shape)")) }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ModelIOError(.limitExceeded("shape \(shape) has too many elements")) }
            count = product
        }
        return count
    }

    private var strides: [Int] {
        fortranOrder ? ElementGather.fortranStrides(shape) : ElementGather.contiguousStrides(shape)
    }

    private func numericType() throws -> ScalarType {
        guard let dtype else { throw ModelIOError(.malformed("an object array has no numeric elements")) }
        return dtype
    }

    /// Elements as `Float`, in row-major order.
    public func floats() throws -> [Float] {
        ElementGather.floats(data, dtype: try numericType(), bigEndian: isBigEndian, shape: shape,
                             strides: strides, offset: 0, count: count)
    }

    /// Elements as `Double`, in row-major order.
    public func doubles() throws -> [Double] {
        ElementGather.doubles(data, dtype: try numericType(), bigEndian: isBigEndian, shape: shape,
                              strides: strides, offset: 0, count: count)
    }

    /// Elements as `Int64`, in row-major order; floating-point elements must be integral.
    public func int64s() throws -> [Int64] {
        try ElementGather.int64s(data, dtype: try numericType(), bigEndian: isBigEndian, shape: shape,
                                 strides: strides, offset: 0, count: count)
    }

    /// The elements of an object array in row-major order.
    public func objectsInRowMajorOrder() -> [PickleValue] {
        guard fortranOrder, shape.count > 1 else { return objects }
        var result: [PickleValue] = []
        result.reserveCapacity(count)
        ElementGather.forEachIndex(shape: shape, strides: ElementGather.fortranStrides(shape), offset: 0) { index in
            result.append(objects[index])
        }
        return result
    }
}

extension NDArray {
    /// The same elements under a new row-major shape (one size may be -1), as `numpy.reshape`.
    public func reshaped(_ requested: [Int]) throws -> NDArray {
        guard requested.filter({ $0 == -1 }).count <= 1, requested.allSatisfy({ $0 >= -1 }) else {
            throw ModelIOError(.malformed("reshape to \(requested)"))
        }
        var shape = requested
        if let unknown = shape.firstIndex(of: -1) {
            let known = try NDArray.elementCount(shape.filter { $0 != -1 })
            guard known > 0, count % known == 0 else { throw ModelIOError(.malformed("cannot reshape \(self.shape) to \(requested)")) }
            shape[unknown] = count / known
        }
        guard try NDArray.elementCount(shape) == count else {
            throw ModelIOError(.malformed("cannot reshape \(self.shape) to \(requested)"))
        }
        guard !fortranOrder || self.shape.filter({ $0 > 1 }).count <= 1 else {
            throw ModelIOError(.unsupported("reshaping a Fortran-ordered array"))
        }
        guard let dtype else { return try NDArray(objects: objects, shape: shape) }
        return try NDArray(dtype: dtype, shape: shape, isBigEndian: isBigEndian, data: data)
    }

    /// An array from nested lists or tuples of numbers, as `numpy.array([...])`: int64 when every
    /// element is an integer or bool, float64 otherwise.
    init(nestedNumbers value: PickleValue) throws {
        var shape: [Int] = []
        var probe = value
        while let items = probe.items {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var leaves: [PickleValue] = []
        func collect(_ node: PickleValue, depth: Int) throws {
            if depth == shape.count {
                guard node.items == nil, node.doubleValue != nil else {
                    throw ModelIOError(.malformed("numpy.array of something other than a rectangular list of numbers"))
                }
                leaves.append(node)
                return
            }
            guard let items = node.items, items.count == shape[depth] else {
                throw ModelIOError(.malformed("numpy.array of a ragged list"))
            }
            for item in items { try collect(item, depth: depth + 1) }
        }
        try collect(value, depth: 0)
        let integral = leaves.allSatisfy { $0.intValue != nil }
        let bytes: [UInt8] = integral
            ? NumPyArrayData.littleEndianBytes(leaves.map { $0.intValue! })
            : NumPyArrayData.littleEndianBytes(leaves.map { $0.doubleValue!.bitPattern })
        try self.init(dtype: integral ? .int64 : .float64, shape: shape, data: ByteStorage(copying: bytes).slice)
    }
}

/// The name the `.npy` reader's result goes by.
public typealias NPYArray = NDArray
