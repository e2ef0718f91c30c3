internal import CKernels

/// Kernels over channels-last (NHWC) Float32 buffers, for graphs stored that way (TFLite
/// models such as the BlazePose person detector).
///
/// NHWC makes a 1×1 convolution one GEMM (`[N·H·W, Cin] · [Cout, Cin]ᵀ`) and keeps a
/// depthwise tap a contiguous run over channels, so these kernels take raw pointers into
/// preallocated buffers and allocate nothing per call (except `conv2D`'s scratch, which the
/// caller owns). Every kernel has a plain reference twin in the tests.
///
/// Everything here runs in the calling thread. The GEMM is our own C kernel (`CKernels`), not
/// OpenBLAS: multithreaded OpenBLAS calls from another thread (the PyMAF regressor) hold
/// OpenBLAS's global lock for a whole call, and the detector's ~100 GEMMs per frame queued
/// behind them (≈ 2.3 s/frame instead of 50 ms).
public enum ChannelsLast {
    /// Extents of an NHWC buffer.
    public struct Shape: Sendable, Equatable {
        public var n: Int, h: Int, w: Int, c: Int
        public init(n: Int = 1, h: Int, w: Int, c: Int) {
            self.n = n; self.h = h; self.w = w; self.c = c
        }
        public var count: Int { n * h * w * c }
    }

    /// The fused activation of TFLite ops as a clamp: `.none`, `.relu` = [0, ∞), `.relu6` = [0, 6].
    public struct Clamp: Sendable, Equatable {
        public var lower: Float, upper: Float
        public init(lower: Float, upper: Float) { self.lower = lower; self.upper = upper }
        public static let none = Clamp(lower: -.infinity, upper: .infinity)
        public static let relu = Clamp(lower: 0, upper: .infinity)
        public static let relu6 = Clamp(lower: 0, upper: 6)
    }

    /// Explicit zero padding before the first row/column (the rest follows from the output size).
    public struct Offsets: Sendable, Equatable {
        public var top: Int, left: Int
        public init(top: Int, left: Int) { self.top = top; self.left = left }
        public static let zero = Offsets(top: 0, left: 0)
    }

    /// TensorFlow's SAME padding before the data: `total = max((ceil(in/s)−1)·s + k − in, 0)`, half before.
    public static func samePaddingBefore(input: Int, kernel: Int, stride: Int) -> Int {
        let out = (input + stride - 1) / stride
        return max((out - 1) * stride + kernel - input, 0) / 2
    }

    /// Convolution with OHWI weights, any kernel and stride, dilation 1, zero padding.
    ///
    /// 1×1 stride-1 convolutions run as one GEMM straight on the input; others through an
    /// im2col buffer `[N·OH·OW, kH·kW·Cin]`. `scratch` is grown when needed and holds the
    /// im2col buffer followed by the GEMM's packed weights.
    /// - Parameters:
    ///   - input: `(N, H, W, Cin)`.
    ///   - weight: `(Cout, kH, kW, Cin)`.
    ///   - bias: `(Cout)` or nil.
    ///   - output: `(N, OH, OW, Cout)`, written.
    public static func conv2D(
        input: UnsafePointer<Float>, shape s: Shape,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outChannels cout: Int, kernelH kh: Int, kernelW kw: Int,
        stride: Int, padding: Offsets, clamp: Clamp,
        output: UnsafeMutablePointer<Float>, outH: Int, outW: Int, scratch: inout [Float]
    ) {
        let rows = s.n * outH * outW
        let depth = kh * kw * s.c
        let pointwise = kh == 1 && kw == 1 && stride == 1 && padding == .zero && outH == s.h && outW == s.w
        let colCount = pointwise ? 0 : rows * depth
        let needed = colCount + gemmScratchCount(depth: depth, cols: cout)
        if scratch.count < needed { scratch = [Float](repeating: 0, count: needed) }
        scratch.withUnsafeMutableBufferPointer { buffer in
            let col = buffer.baseAddress!  // (N·OH·OW, kH·kW·Cin), empty for 1×1
            let gemmScratch = col + colCount  // (gemmScratchCount(depth, cout))
            if pointwise {
                gemmBiasClamp(a: input, rows: rows, depth: depth, weight: weight, bias: bias, cols: cout, clamp: clamp,
                              output: output, scratch: gemmScratch)
                return
            }
            for b in 0..<s.n {
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        let row = col + ((b * outH + oy) * outW + ox) * depth
                        for ky in 0..<kh {
                            let iy = oy * stride - padding.top + ky
                            for kx in 0..<kw {
                                let ix = ox * stride - padding.left + kx
                                let dst = row + (ky * kw + kx) * s.c
                                if iy >= 0 && iy < s.h && ix >= 0 && ix < s.w {
                                    dst.update(from: input + ((b * s.h + iy) * s.w + ix) * s.c, count: s.c)
                                } else {
                                    dst.update(repeating: 0, count: s.c)
                                }
                            }
                        }
                    }
                }
            }
            gemmBiasClamp(a: col, rows: rows, depth: depth, weight: weight, bias: bias, cols: cout, clamp: clamp,
                          output: output, scratch: gemmScratch)
        }
    }

    /// Instruction sets of the GEMM kernel.
    enum GEMMKernel: CaseIterable {
        /// Plain C; any CPU.
        case portable
        /// AVX-512F + FMA, 12×32 register blocks.
        case avx512

        /// The fastest kernel this CPU runs (cpuid, asked once).
        static let best: GEMMKernel = ck_gemm_best_isa() == CK_GEMM_AVX512 ? .avx512 : .portable

        /// Whether this CPU can run the kernel.
        var isSupported: Bool { self == .portable || GEMMKernel.best == .avx512 }
    }

    /// Floats of scratch `gemmBiasClamp` needs. The corresponding C function is `ck_gemm_scratch_count`.
    static func gemmScratchCount(depth: Int, cols: Int) -> Int {
        ck_gemm_scratch_count(depth, cols)
    }

    /// `output (rows, cols) = clamp(a (rows, depth) · weight (cols, depth)ᵀ + bias)`, in the
    /// calling thread.
    ///
    /// - Parameters:
    ///   - scratch: `gemmScratchCount(depth:cols:)` floats (the weights are repacked there).
    ///   - kernel: must be supported by this CPU (`isSupported`).
    /// - Complexity: rows·cols·depth multiply-adds.
    ///
    /// The corresponding C function is `ck_gemm_bias_clamp`.
    static func gemmBiasClamp(
        a: UnsafePointer<Float>, rows: Int, depth: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        cols: Int, clamp: Clamp, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        kernel: GEMMKernel = .best
    ) {
        precondition(rows >= 0 && depth >= 0 && cols >= 0, "gemmBiasClamp: negative size rows=\(rows) depth=\(depth) cols=\(cols)")
        precondition(kernel.isSupported, "gemmBiasClamp: this CPU does not run the \(kernel) kernel")
        ck_gemm_bias_clamp(kernel == .avx512 ? CK_GEMM_AVX512 : CK_GEMM_PORTABLE, a, rows, depth, weight, bias, cols,
                           clamp.lower, clamp.upper, output, scratch)
    }

    /// `x[i] = clamp(x[i] + bias[i])` over `count` floats.
    ///
    /// Written as plain loops with `<`/`>` selects, which LLVM turns into packed min/max. (SIMD8's
    /// `clamped(lowerBound:upperBound:)` is not inlined: its generic `pointwiseMin`/`pointwiseMax`
    /// calls took 37 % of the detector's time, more than the GEMMs.)
    @inline(__always)
    static func biasClamp(_ x: UnsafeMutablePointer<Float>, count: Int, bias: UnsafePointer<Float>?, clamp: Clamp) {
        let lo = clamp.lower, hi = clamp.upper
        if let bias {
            for i in 0..<count {
                let v = x[i] + bias[i]
                x[i] = v < lo ? lo : (v > hi ? hi : v)
            }
        } else {
            for i in 0..<count {
                let v = x[i]
                x[i] = v < lo ? lo : (v > hi ? hi : v)
            }
        }
    }

    /// Depthwise convolution (multiplier 1) with `(1, kH, kW, C)` weights, zero padding.
    /// - Parameters:
    ///   - input: `(N, H, W, C)`; output: `(N, OH, OW, C)`, written.
    public static func depthwiseConv2D(
        input: UnsafePointer<Float>, shape s: Shape,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, kernelH kh: Int, kernelW kw: Int,
        stride: Int, padding: Offsets, clamp: Clamp,
        output: UnsafeMutablePointer<Float>, outH: Int, outW: Int
    ) {
        let c = s.c
        let vectorEnd = c - c % 8
        for b in 0..<s.n {
            for oy in 0..<outH {
                // Taps inside the input along y: iy = oy·stride − top + ky ∈ [0, H).
                let y0 = oy * stride - padding.top
                let kyStart = max(0, -y0), kyEnd = min(kh, s.h - y0)
                for ox in 0..<outW {
                    let x0 = ox * stride - padding.left
                    let kxStart = max(0, -x0), kxEnd = min(kw, s.w - x0)
                    let o = output + ((b * outH + oy) * outW + ox) * c
                    // Eight channels at a time, the accumulator held in registers over all taps.
                    var ch = 0
                    while ch < vectorEnd {
                        var acc = bias.map { UnsafeRawPointer($0 + ch).loadUnaligned(as: SIMD8<Float>.self) } ?? .zero
                        var ky = kyStart
                        while ky < kyEnd {
                            let row = input + ((b * s.h + y0 + ky) * s.w + x0) * c + ch
                            let wrow = weight + ky * kw * c + ch
                            var kx = kxStart
                            while kx < kxEnd {
                                let xv = UnsafeRawPointer(row + kx * c).loadUnaligned(as: SIMD8<Float>.self)
                                let wv = UnsafeRawPointer(wrow + kx * c).loadUnaligned(as: SIMD8<Float>.self)
                                acc += xv * wv
                                kx += 1
                            }
                            ky += 1
                        }
                        withUnsafeBytes(of: acc) { UnsafeMutableRawPointer(o + ch).copyMemory(from: $0.baseAddress!, byteCount: 32) }
                        ch += 8
                    }
                    while ch < c {
                        var acc = bias?[ch] ?? 0
                        for ky in kyStart..<max(kyStart, kyEnd) {
                            for kx in kxStart..<max(kxStart, kxEnd) {
                                acc += input[((b * s.h + y0 + ky) * s.w + x0 + kx) * c + ch] * weight[(ky * kw + kx) * c + ch]
                            }
                        }
                        o[ch] = acc
                        ch += 1
                    }
                }
                // The clamp over the finished output row, in one vectorized pass.
                biasClamp(output + (b * outH + oy) * outW * c, count: outW * c, bias: nil, clamp: clamp)
            }
        }
    }

    /// `output = clamp(a + b)` element-wise over `count` elements (`output` may be `a`, not `b`).
    public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, clamp: Clamp, output: UnsafeMutablePointer<Float>) {
        output.update(from: a, count: count)
        biasClamp(output, count: count, bias: b, clamp: clamp)
    }

    /// Constant padding of H and W: `(N, H, W, C)` → `(N, top+H+bottom, left+W+right, C)`.
    public static func pad(
        input: UnsafePointer<Float>, shape s: Shape, top: Int, bottom: Int, left: Int, right: Int, value: Float,
        output: UnsafeMutablePointer<Float>
    ) {
        let oh = s.h + top + bottom, ow = s.w + left + right
        output.update(repeating: value, count: s.n * oh * ow * s.c)
        for b in 0..<s.n {
            for y in 0..<s.h {
                let src = input + (b * s.h + y) * s.w * s.c
                let dst = output + ((b * oh + y + top) * ow + left) * s.c
                dst.update(from: src, count: s.w * s.c)
            }
        }
    }

    /// TensorFlow's DEPTH_TO_SPACE (DCR order): `(N, H, W, B·B·C)` → `(N, H·B, W·B, C)`,
    /// `out[y·B+i, x·B+j, c] = in[y, x, (i·B+j)·C + c]`.
    public static func depthToSpace(input: UnsafePointer<Float>, shape s: Shape, blockSize bs: Int, output: UnsafeMutablePointer<Float>) {
        let oc = s.c / (bs * bs), ow = s.w * bs
        for b in 0..<s.n {
            for y in 0..<s.h {
                for x in 0..<s.w {
                    let src = input + ((b * s.h + y) * s.w + x) * s.c
                    for i in 0..<bs {
                        for j in 0..<bs {
                            let dst = output + ((b * s.h * bs + y * bs + i) * ow + x * bs + j) * oc
                            dst.update(from: src + (i * bs + j) * oc, count: oc)
                        }
                    }
                }
            }
        }
    }

    /// Bilinear resize with half-pixel centres (TF `half_pixel_centers=true, align_corners=false`):
    /// `src = (dst + 0.5)·in/out − 0.5`, `lo = max(floor(src), 0)`, `hi = min(ceil(src), in−1)`.
    public static func resizeBilinear(input: UnsafePointer<Float>, shape s: Shape, outH: Int, outW: Int, output: UnsafeMutablePointer<Float>) {
        func taps(_ dst: Int, _ inSize: Int, _ outSize: Int) -> (Int, Int, Float) {
            let src = (Float(dst) + 0.5) * Float(inSize) / Float(outSize) - 0.5
            let f = src.rounded(.down)
            let lo = max(Int(f), 0), hi = min(Int(src.rounded(.up)), inSize - 1)
            return (lo, hi, src - f)
        }
        let c = s.c
        for b in 0..<s.n {
            for oy in 0..<outH {
                let (y0, y1, fy) = taps(oy, s.h, outH)
                for ox in 0..<outW {
                    let (x0, x1, fx) = taps(ox, s.w, outW)
                    let p00 = input + ((b * s.h + y0) * s.w + x0) * c, p01 = input + ((b * s.h + y0) * s.w + x1) * c
                    let p10 = input + ((b * s.h + y1) * s.w + x0) * c, p11 = input + ((b * s.h + y1) * s.w + x1) * c
                    let o = output + ((b * outH + oy) * outW + ox) * c
                    for ch in 0..<c {
                        let top = p00[ch] + (p01[ch] - p00[ch]) * fx
                        let bottom = p10[ch] + (p11[ch] - p10[ch]) * fx
                        o[ch] = top + (bottom - top) * fy
                    }
                }
            }
        }
    }
}
