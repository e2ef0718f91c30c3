extension TFLiteModel {
    /// Largest dense tensor (in elements) this reader will materialize: 2^27 (512 MB of floats).
    /// Protects against a small hostile file declaring a huge sparse tensor.
    public static let maxDenseElements = 1 << 27

    /// The constant data of tensor `index` as dense Float32 in row-major order.
    ///
    /// Float16 is converted exactly; sparse tensors (any traversal order, DENSE or SPARSE_CSR
    /// dimensions, no block map) are expanded. Every index in the sparsity metadata is checked.
    /// - Throws: `TFLiteError` if the tensor has no data, an unsupported type, or bad metadata.
    public func constantFloats(_ index: Int) throws -> [Float] {
        try checkTensorIndex(index)
        let tensor = subgraph.tensors[index]
        let data = try bufferData(ofTensor: index)
        let values: [Float]
        switch tensor.type {
        case .float32:
            guard data.count % 4 == 0 else { throw sizeError(index, data.count, 4) }
            values = stride(from: 0, to: data.count, by: 4).map { i in
                Float(bitPattern: UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24)
            }
        case .float16:
            guard data.count % 2 == 0 else { throw sizeError(index, data.count, 2) }
            values = stride(from: 0, to: data.count, by: 2).map { i in
                Self.floatFromHalf(UInt16(data[i]) | UInt16(data[i + 1]) << 8)
            }
        default:
            throw TFLiteError.unsupported(path: path, what: "tensor \(index) (\(tensor.name)) of type \(tensor.type) read as floats")
        }
        let count = try denseCount(index)
        if let sparsity = tensor.sparsity {
            return try densify(values, sparsity: sparsity, shape: tensor.shape, tensor: index, count: count)
        }
        guard values.count == count else {
            throw TFLiteError.malformed(path: path, what: "tensor \(index) (\(tensor.name)) holds \(values.count) values for shape \(tensor.shape)")
        }
        return values
    }

    /// The constant data of an int32 tensor (shape constants of PAD, RESHAPE, …).
    public func constantInt32s(_ index: Int) throws -> [Int32] {
        try checkTensorIndex(index)
        let tensor = subgraph.tensors[index]
        guard tensor.type == .int32, tensor.sparsity == nil else {
            throw TFLiteError.unsupported(path: path, what: "tensor \(index) (\(tensor.name)) of type \(tensor.type) read as int32")
        }
        let data = try bufferData(ofTensor: index)
        guard data.count == 4 * (try denseCount(index)) else { throw sizeError(index, data.count, 4) }
        return stride(from: 0, to: data.count, by: 4).map { i in
            Int32(bitPattern: UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24)
        }
    }

    /// IEEE 754 binary16 → binary32, exact for every input (subnormals, infinities, NaN).
    public static func floatFromHalf(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa · 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
        }
    }

    private func sizeError(_ index: Int, _ bytes: Int, _ width: Int) -> TFLiteError {
        let tensor = subgraph.tensors[index]
        return .malformed(path: path, what: "tensor \(index) (\(tensor.name)) has \(bytes) data bytes for shape \(tensor.shape) of \(width)-byte elements")
    }

    /// Product of the shape, checked for overflow and against `maxDenseElements`.
    private func denseCount(_ index: Int) throws -> Int {
        let tensor = subgraph.tensors[index]
        var count = 1
        for extent in tensor.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= Self.maxDenseElements else {
                throw TFLiteError.unsupported(path: path, what: "tensor \(index) (\(tensor.name)) of shape \(tensor.shape), larger than \(Self.maxDenseElements) elements")
            }
            count = product
        }
        return count
    }

    /// Expands TFLite's sparse storage into a dense row-major array.
    private func densify(_ values: [Float], sparsity: TFLiteSparsity, shape: [Int], tensor index: Int, count: Int) throws -> [Float] {
        let name = "tensor \(index) (\(subgraph.tensors[index].name)) sparsity"
        let rank = shape.count
        guard sparsity.blockMap.isEmpty else {
            throw TFLiteError.unsupported(path: path, what: "\(name) with a block map")
        }
        guard sparsity.traversalOrder.count == rank, sparsity.dimensions.count == rank,
              Set(sparsity.traversalOrder) == Set(0..<rank) else {
            throw TFLiteError.malformed(path: path, what: "\(name): traversal order \(sparsity.traversalOrder) for shape \(shape)")
        }
        var strides = [Int](repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        // Each level's dimension: extent and stride in the dense output, plus its metadata.
        let levels = sparsity.traversalOrder.enumerated().map { level, dim in
            (extent: shape[dim], stride: strides[dim], meta: sparsity.dimensions[level])
        }
        for (level, entry) in levels.enumerated() where entry.meta.format == .dense && entry.meta.denseSize != entry.extent {
            throw TFLiteError.malformed(path: path, what: "\(name): level \(level) dense size \(entry.meta.denseSize), extent \(entry.extent)")
        }
        // Non-decreasing segments keep CSR ranges disjoint, which bounds the walk by the data size.
        for (level, entry) in levels.enumerated() where entry.meta.format == .sparseCSR {
            let segments = entry.meta.segments
            guard segments.first == 0, zip(segments, segments.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw TFLiteError.malformed(path: path, what: "\(name): level \(level) segments do not start at 0 and rise")
            }
        }
        var dense = [Float](repeating: 0, count: count)
        // Depth-first walk: `position` is the index into this level's storage, `offset` the dense offset so far.
        func walk(_ level: Int, _ position: Int, _ offset: Int) throws {
            if level == rank {
                guard position < values.count else {
                    throw TFLiteError.malformed(path: path, what: "\(name): value \(position) of \(values.count)")
                }
                dense[offset] = values[position]
                return
            }
            let entry = levels[level]
            switch entry.meta.format {
            case .dense:
                for i in 0..<entry.extent {
                    try walk(level + 1, position * entry.extent + i, offset + i * entry.stride)
                }
            case .sparseCSR:
                let segments = entry.meta.segments, indices = entry.meta.indices
                guard position + 1 < segments.count else {
                    throw TFLiteError.malformed(path: path, what: "\(name): level \(level) needs segment \(position + 1) of \(segments.count)")
                }
                let lo = segments[position], hi = segments[position + 1]
                guard lo >= 0, lo <= hi, hi <= indices.count else {
                    throw TFLiteError.malformed(path: path, what: "\(name): level \(level) segment \(lo)..<\(hi) of \(indices.count) indices")
                }
                for k in lo..<hi {
                    let i = indices[k]
                    guard i >= 0, i < entry.extent else {
                        throw TFLiteError.malformed(path: path, what: "\(name): level \(level) index \(i) outside 0..<\(entry.extent)")
                    }
                    try walk(level + 1, k, offset + i * entry.stride)
                }
            }
        }
        if count > 0 { try walk(0, 0, 0) }
        return dense
    }
}
