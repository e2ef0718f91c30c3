internal import CKernels

extension ChannelsLast {
    /// A convolution's weights `(Cout, kH, kW, Cin)` and bias `(Cout)`, repacked once per model
    /// into the column panels the C GEMM reads (`ck_gemm_pack`), so no call repacks them.
    public struct Filter: Sendable {
        /// `kH·kW·Cin`: the length of one output channel's weights.
        public let depth: Int
        /// `Cout`.
        public let cols: Int
        /// `ck_gemm_pack`'s panels followed by the bias.
        let packed: [Float]

        /// - Parameters:
        ///   - weight: `(Cout, kH, kW, Cin)`, that is `(cols, depth)`.
        ///   - bias: `(Cout)` or nil (zeros).
        public init(weight: [Float], bias: [Float]?, depth: Int, cols: Int) {
            precondition(depth >= 0 && cols >= 0 && weight.count == depth * cols && (bias?.count ?? cols) == cols,
                         "Filter: \(weight.count) weights and \(bias?.count ?? 0) biases for \(cols)×\(depth)")
            self.depth = depth
            self.cols = cols
            var packed = [Float](repeating: 0, count: ck_gemm_packed_count(depth, cols))
            packed.withUnsafeMutableBufferPointer { p in
                if let bias {
                    ck_gemm_pack(weight, bias, depth, cols, p.baseAddress!)
                } else {
                    ck_gemm_pack(weight, nil, depth, cols, p.baseAddress!)
                }
            }
            self.packed = packed
        }

        /// Floats of scratch `gemmBiasClamp` needs with this filter (`ck_gemm_scratch_count`).
        var scratchCount: Int { ck_gemm_scratch_count(depth) }
    }

    /// `output (rows, cols) = clamp(a (rows, depth) · weight (cols, depth)ᵀ + bias)` with a
    /// prepared `filter`, in the calling thread.
    ///
    /// - Parameters:
    ///   - scratch: `filter.scratchCount` floats.
    ///   - instructionSet: must be supported by this CPU (`isSupported`).
    /// - Complexity: rows·cols·depth multiply-adds.
    ///
    /// The corresponding C function is `ck_gemm_bias_clamp`.
    static func gemmBiasClamp(
        a: UnsafePointer<Float>, rows: Int, filter: Filter, clamp: Clamp, output: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, instructionSet: InstructionSet = .best
    ) {
        precondition(rows >= 0, "gemmBiasClamp: negative rows \(rows)")
        precondition(instructionSet.isSupported, "gemmBiasClamp: this CPU does not run \(instructionSet)")
        ck_gemm_bias_clamp(instructionSet.c, a, rows, filter.depth, filter.packed, filter.cols, clamp.lower, clamp.upper, output, scratch)
    }
}
