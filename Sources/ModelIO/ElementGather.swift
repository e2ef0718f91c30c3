import Foundation

/// Reads the elements of a strided view over raw bytes in logical (row-major) order,
/// converting each to the requested type. Unaligned and byte-swapped data are handled.
enum ElementGather {
    /// Largest element count a view may have beyond its storage's own element count (views with
    /// zero strides repeat elements; this keeps a hostile shape from allocating without bound).
    static let maximumRepeatedElements = 1 << 24

    /// Checks that a view of `shape`/`strides` starting at element `offset` stays inside
    /// `storageElements` elements, and returns its element count.
    static func validate(shape: [Int], strides: [Int], offset: Int, storageElements: Int) throws -> Int {
        guard shape.count == strides.count else {
            throw ModelIOError(.malformed("view has \(shape.count) sizes but \(strides.count) strides"))
        }
        guard shape.count <= 64 else { throw ModelIOError(.limitExceeded("view has \(shape.count) dimensions (at most 64)")) }
        guard offset >= 0 else { throw ModelIOError(.malformed("negative storage offset \(offset)")) }
        var count = 1
        var last = offset
        for (size, stride) in zip(shape, strides) {
            guard size >= 0 else { throw ModelIOError(.malformed("negative size \(size) in shape \(shape)")) }
            guard stride >= 0 else { throw ModelIOError(.unsupported("negative stride \(stride)")) }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ModelIOError(.limitExceeded("shape \(shape) has too many elements")) }
            count = product
        }
        if count == 0 { return 0 }
        for (size, stride) in zip(shape, strides) {
            let (span, overflow1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflow2) = last.addingReportingOverflow(span)
            guard !overflow1, !overflow2 else { throw ModelIOError(.limitExceeded("view \(shape)/\(strides) overflows")) }
            last = sum
        }
        guard last < storageElements else {
            throw ModelIOError(.malformed("view of shape \(shape), strides \(strides), offset \(offset) reaches element \(last) of a storage of \(storageElements)"))
        }
        guard count <= max(storageElements, maximumRepeatedElements) else {
            throw ModelIOError(.limitExceeded("view of \(count) elements over a storage of \(storageElements)"))
        }
        return count
    }

    /// Row-major strides (in elements) of a contiguous array of `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running &*= max(shape[axis], 1)
        }
        return strides
    }

    /// Column-major strides (in elements) of a Fortran-ordered array of `shape`.
    static func fortranStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in 0..<shape.count {
            strides[axis] = running
            running &*= max(shape[axis], 1)
        }
        return strides
    }

    /// Whether `strides` are the row-major strides of `shape` (sizes of 1 may have any stride).
    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected &*= shape[axis]
        }
        return true
    }

    /// Calls `body` with the element index of every element of the view, in row-major order.
    @inline(__always)
    static func forEachIndex(shape: [Int], strides: [Int], offset: Int, _ body: (Int) -> Void) {
        let rank = shape.count
        if rank == 0 { body(offset); return }
        if shape.contains(0) { return }
        let innerSize = shape[rank - 1]
        let innerStride = strides[rank - 1]
        var counter = [Int](repeating: 0, count: rank)
        var base = offset
        while true {
            var position = base
            for _ in 0..<innerSize {
                body(position)
                position &+= innerStride
            }
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                base &+= strides[axis]
                if counter[axis] < shape[axis] { break }
                base &-= strides[axis] &* shape[axis]
                counter[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }

    /// Elements of the view converted to `Float` (float64 and integers are rounded as Swift's
    /// `Float(_:)` does).
    static func floats(_ bytes: ByteSlice, dtype: ScalarType, bigEndian: Bool,
                       shape: [Int], strides: [Int], offset: Int, count: Int) -> [Float] {
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            if dtype == .float32, !bigEndian, isContiguous(shape: shape, strides: strides) {
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 {
                        memcpy(buffer.baseAddress!, base + offset * 4, count * 4)
                    }
                    initialized = count
                }
            }
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                var next = 0
                forEachIndex(shape: shape, strides: strides, offset: offset) { index in
                    buffer[next] = Float(load(base, index, dtype, bigEndian))
                    next += 1
                }
                initialized = next
            }
        }
    }

    /// Elements converted to `Double` (exact for every supported type except int64 beyond 2^53).
    static func doubles(_ bytes: ByteSlice, dtype: ScalarType, bigEndian: Bool,
                        shape: [Int], strides: [Int], offset: Int, count: Int) -> [Double] {
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                var next = 0
                forEachIndex(shape: shape, strides: strides, offset: offset) { index in
                    buffer[next] = load(base, index, dtype, bigEndian)
                    next += 1
                }
                initialized = next
            }
        }
    }

    /// Elements converted to `Int64`; floating-point values must be integral.
    static func int64s(_ bytes: ByteSlice, dtype: ScalarType, bigEndian: Bool,
                       shape: [Int], strides: [Int], offset: Int, count: Int) throws -> [Int64] {
        try bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            var failure: Double?
            let values = [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
                var next = 0
                forEachIndex(shape: shape, strides: strides, offset: offset) { index in
                    buffer[next] = loadInteger(base, index, dtype, bigEndian, failure: &failure)
                    next += 1
                }
                initialized = next
            }
            if let failure {
                throw ModelIOError(.malformed("element \(failure) of a \(dtype.rawValue) array is not an Int64"))
            }
            return values
        }
    }

    @inline(__always)
    static func load(_ base: UnsafeRawPointer, _ index: Int, _ dtype: ScalarType, _ bigEndian: Bool) -> Double {
        switch dtype {
        case .float32:
            var bits = base.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self)
            if bigEndian { bits = bits.byteSwapped }
            return Double(Float(bitPattern: bits))
        case .float64:
            var bits = base.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self)
            if bigEndian { bits = bits.byteSwapped }
            return Double(bitPattern: bits)
        case .float16:
            var bits = base.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self)
            if bigEndian { bits = bits.byteSwapped }
            return Double(halfToFloat(bits))
        case .bfloat16:
            var bits = base.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self)
            if bigEndian { bits = bits.byteSwapped }
            return Double(Float(bitPattern: UInt32(bits) << 16))
        case .uint64:
            let bits = base.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self)
            return Double(bigEndian ? bits.byteSwapped : bits)
        default:
            var failure: Double?
            return Double(loadInteger(base, index, dtype, bigEndian, failure: &failure))
        }
    }

    @inline(__always)
    static func loadInteger(_ base: UnsafeRawPointer, _ index: Int, _ dtype: ScalarType, _ bigEndian: Bool,
                            failure: inout Double?) -> Int64 {
        switch dtype {
        case .int64:
            let bits = base.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self)
            return Int64(bitPattern: bigEndian ? bits.byteSwapped : bits)
        case .int32:
            let bits = base.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self)
            return Int64(Int32(bitPattern: bigEndian ? bits.byteSwapped : bits))
        case .int16:
            let bits = base.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self)
            return Int64(Int16(bitPattern: bigEndian ? bits.byteSwapped : bits))
        case .int8:
            return Int64(base.load(fromByteOffset: index, as: Int8.self))
        case .uint16:
            let bits = base.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self)
            return Int64(bigEndian ? bits.byteSwapped : bits)
        case .uint32:
            let bits = base.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self)
            return Int64(bigEndian ? bits.byteSwapped : bits)
        case .uint64:
            var bits = base.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self)
            if bigEndian { bits = bits.byteSwapped }
            if let exact = Int64(exactly: bits) { return exact }
            if failure == nil { failure = Double(bits) }
            return 0
        case .uint8:
            return Int64(base.load(fromByteOffset: index, as: UInt8.self))
        case .bool:
            return base.load(fromByteOffset: index, as: UInt8.self) != 0 ? 1 : 0
        case .float32, .float64, .float16, .bfloat16:
            let value = load(base, index, dtype, bigEndian)
            if let exact = Int64(exactly: value) { return exact }
            if failure == nil { failure = value }
            return 0
        }
    }

    /// IEEE 754 binary16 to binary32, exact (subnormals, infinities and NaN included).
    @inline(__always)
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
