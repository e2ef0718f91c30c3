internal import CKernels

extension ChannelsLast {
    /// A convolution's weights `(Cout, kH, kW, Cin)` and bias `(Cout)`, prepared once per model
    /// for the C GEMMs, so no call repacks them: as column panels (`ck_gemm_pack`), or, when at
    /// most half of the weights are non-zero and each output reads at least 64 inputs, as
    /// compressed rows that the sparse GEMM reads (`ck_sparse_pack`).
    public struct Filter: Sendable {
        /// How the weights are stored, which decides the GEMM that runs.
        public enum Storage: Sendable, Equatable {
            /// Every weight, in column panels: `ck_gemm_bias_clamp`.
            case dense
            /// Only the non-zero weights: `ck_sparse_gemm_bias_clamp`, equal to the dense result
            /// (see there). On the person detector's 1×1 layers (25 % non-zero, one thread) it
            /// is 1.14–1.82× as fast as dense where the depth is 64 or more (32 layers), but
            /// 0.5–1.16× at depths 16–40, where its transposes cost more than the products.
            case sparse
        }

        /// `kH·kW·Cin`: the length of one output channel's weights.
        public let depth: Int
        /// `Cout`.
        public let cols: Int
        /// The weights as the GEMM reads them.
        enum Packed: Sendable {
            /// `ck_gemm_pack`'s panels followed by the bias.
            case dense([Float])
            /// `ck_sparse_pack`'s compressed rows: per output the first entry (cols + 1), each
            /// entry's depth and value; and the bias, or nil for zeros.
            case sparse(start: [Int32], index: [Int32], value: [Float], bias: [Float]?)
        }
        let packed: Packed

        /// Which GEMM runs.
        public var storage: Storage {
            if case .sparse = packed { return .sparse }
            return .dense
        }

        /// - Parameters:
        ///   - weight: `(Cout, kH, kW, Cin)`, that is `(cols, depth)`.
        ///   - bias: `(Cout)` or nil (zeros).
        ///   - storage: nil to choose: sparse when at most half of the weights are non-zero and
        ///     `depth` is at least 64.
        public init(weight: [Float], bias: [Float]?, depth: Int, cols: Int, storage: Storage? = nil) {
            precondition(depth >= 0 && cols >= 0 && weight.count == depth * cols && (bias?.count ?? cols) == cols,
                         "Filter: \(weight.count) weights and \(bias?.count ?? 0) biases for \(cols)×\(depth)")
            self.depth = depth
            self.cols = cols
            let nonzero = ck_sparse_nonzero_count(weight, depth, cols)
            if (storage ?? (depth >= 64 && 2 * nonzero <= weight.count ? .sparse : .dense)) == .sparse {
                var start = [Int32](repeating: 0, count: cols + 1), index = [Int32](repeating: 0, count: nonzero)
                var value = [Float](repeating: 0, count: nonzero)
                start.withUnsafeMutableBufferPointer { s in
                    index.withUnsafeMutableBufferPointer { i in
                        value.withUnsafeMutableBufferPointer { v in
                            ck_sparse_pack(weight, depth, cols, s.baseAddress!, i.baseAddress, v.baseAddress)
                        }
                    }
                }
                packed = .sparse(start: start, index: index, value: value, bias: bias)
                return
            }
            var panels = [Float](repeating: 0, count: ck_gemm_packed_count(depth, cols))
            panels.withUnsafeMutableBufferPointer { p in
                if let bias {
                    ck_gemm_pack(weight, bias, depth, cols, p.baseAddress!)
                } else {
                    ck_gemm_pack(weight, nil, depth, cols, p.baseAddress!)
                }
            }
            packed = .dense(panels)
        }

        /// Floats of scratch `gemmBiasClamp` needs with this filter (`ck_gemm_scratch_count` or
        /// `ck_sparse_scratch_count`).
        var scratchCount: Int {
            storage == .sparse ? ck_sparse_scratch_count(depth, cols) : ck_gemm_scratch_count(depth)
        }
    }

    /// `output (rows, cols) = clamp(a (rows, depth) · weight (cols, depth)ᵀ + bias)` with a
    /// prepared `filter`, in the calling thread.
    ///
    /// - Parameters:
    ///   - scratch: `filter.scratchCount` floats.
    ///   - instructionSet: must be supported by this CPU (`isSupported`).
    /// - Complexity: rows·cols·depth multiply-adds.
    ///
    /// The corresponding C functions are `ck_gemm_bias_clamp` and `ck_sparse_gemm_bias_clamp`.
    static func gemmBiasClamp(
        a: UnsafePointer<Float>, rows: Int, filter: Filter, clamp: Clamp, output: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, instructionSet: InstructionSet = .best
    ) {
        precondition(rows >= 0, "gemmBiasClamp: negative rows \(rows)")
        precondition(instructionSet.isSupported, "gemmBiasClamp: this CPU does not run \(instructionSet)")
        switch filter.packed {
        case .dense(let panels):
            ck_gemm_bias_clamp(instructionSet.c, a, rows, filter.depth, panels, filter.cols, clamp.lower, clamp.upper, output, scratch)
        case .sparse(let start, let index, let value, let bias):
            func run(_ bias: UnsafePointer<Float>?) {
                ck_sparse_gemm_bias_clamp(instructionSet.c, a, rows, filter.depth, start, index, value, bias, filter.cols,
                                          clamp.lower, clamp.upper, output, scratch)
            }
            if let bias { bias.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
        }
    }
}
