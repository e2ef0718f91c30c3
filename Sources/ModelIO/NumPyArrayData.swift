/// A numeric array to write: element type, shape and little-endian bytes in row-major order.
///
/// Used by `NPYWriter`, `NPZWriter` and `PickleNode.ndarray`.
public struct NumPyArrayData: Sendable, Equatable {
    public let dtype: ScalarType
    public let shape: [Int]
    /// Row-major little-endian element bytes.
    public let bytes: [UInt8]

    /// Element types the writers support.
    public static let writableTypes: Set<ScalarType> = [.float32, .float64, .int64, .int32, .uint8]

    public init(dtype: ScalarType, shape: [Int], bytes: [UInt8]) throws {
        guard NumPyArrayData.writableTypes.contains(dtype) else {
            throw ModelIOError(.unsupported("writing \(dtype.rawValue) arrays (supported: float32, float64, int64, int32, uint8)"))
        }
        let count = try NDArray.elementCount(shape)
        guard count * dtype.byteWidth == bytes.count else {
            throw ModelIOError(.malformed("shape \(shape) needs \(count) \(dtype.rawValue) elements, got \(bytes.count) bytes"))
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    public init(floats: [Float], shape: [Int]) throws {
        try self.init(dtype: .float32, shape: shape, bytes: NumPyArrayData.littleEndianBytes(floats.map(\.bitPattern)))
    }

    public init(doubles: [Double], shape: [Int]) throws {
        try self.init(dtype: .float64, shape: shape, bytes: NumPyArrayData.littleEndianBytes(doubles.map(\.bitPattern)))
    }

    public init(int64s: [Int64], shape: [Int]) throws {
        try self.init(dtype: .int64, shape: shape, bytes: NumPyArrayData.littleEndianBytes(int64s))
    }

    public init(int32s: [Int32], shape: [Int]) throws {
        try self.init(dtype: .int32, shape: shape, bytes: NumPyArrayData.littleEndianBytes(int32s))
    }

    public init(uint8s: [UInt8], shape: [Int]) throws {
        try self.init(dtype: .uint8, shape: shape, bytes: uint8s)
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        let width = MemoryLayout<T>.size
        return [UInt8](unsafeUninitializedCapacity: values.count * width) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for (index, value) in values.enumerated() {
                raw.storeBytes(of: value.littleEndian, toByteOffset: index * width, as: T.self)
            }
            initialized = values.count * width
        }
    }
}
