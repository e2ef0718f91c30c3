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

    /// Instruction sets of the C kernels (`CKernels`).
    public enum InstructionSet: CaseIterable, Sendable {
        /// Plain C; any CPU.
        case portable
        /// AVX-512F + FMA.
        case avx512

        /// The fastest set this CPU runs (cpuid, asked once).
        public static let best: InstructionSet = ck_best_isa() == CK_ISA_AVX512 ? .avx512 : .portable

        /// Whether this CPU can run the set.
        public var isSupported: Bool { self == .portable || InstructionSet.best == .avx512 }

        var c: ck_isa { self == .avx512 ? CK_ISA_AVX512 : CK_ISA_PORTABLE }
    }

    /// Convolution with prepared OHWI weights, any kernel and stride, dilation 1, zero padding.
    ///
    /// 1×1 stride-1 convolutions run as one GEMM straight on the input; others through an
    /// im2col buffer `[N·OH·OW, kH·kW·Cin]`. `scratch` is grown when needed and holds the
    /// im2col buffer followed by the GEMM's scratch.
    /// - Parameters:
    ///   - input: `(N, H, W, Cin)`.
    ///   - filter: the `(Cout, kH, kW, Cin)` weights and the bias.
    ///   - output: `(N, OH, OW, filter.cols)`, written.
    public static func conv2D(
        input: UnsafePointer<Float>, shape s: Shape,
        filter: Filter, kernelH kh: Int, kernelW kw: Int,
        stride: Int, padding: Offsets, clamp: Clamp,
        output: UnsafeMutablePointer<Float>, outH: Int, outW: Int, scratch: inout [Float]
    ) {
        let rows = s.n * outH * outW
        let depth = kh * kw * s.c
        precondition(filter.depth == depth, "conv2D: a filter of depth \(filter.depth) for \(kh)×\(kw)×\(s.c) windows")
        let pointwise = kh == 1 && kw == 1 && stride == 1 && padding == .zero && outH == s.h && outW == s.w
        let colCount = pointwise ? 0 : rows * depth
        let needed = colCount + filter.scratchCount
        if scratch.count < needed { scratch = [Float](repeating: 0, count: needed) }
        scratch.withUnsafeMutableBufferPointer { buffer in
            let col = buffer.baseAddress!  // (N·OH·OW, kH·kW·Cin), empty for 1×1
            let gemmScratch = col + colCount  // (filter.scratchCount)
            if pointwise {
                gemmBiasClamp(a: input, rows: rows, filter: filter, clamp: clamp, output: output, scratch: gemmScratch)
                return
            }
            // One window row (kw taps of Cin channels) is one contiguous run of the input: copy
            // its part inside the input at once, zero the taps outside.
            for b in 0..<s.n {
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        let row = col + ((b * outH + oy) * outW + ox) * depth
                        let x0 = ox * stride - padding.left
                        let kx0 = max(0, -x0), kx1 = min(kw, s.w - x0)
                        for ky in 0..<kh {
                            let iy = oy * stride - padding.top + ky
                            let dst = row + ky * kw * s.c  // (kw, Cin)
                            guard iy >= 0 && iy < s.h && kx1 > kx0 else {
                                dst.update(repeating: 0, count: kw * s.c)
                                continue
                            }
                            if kx0 > 0 { dst.update(repeating: 0, count: kx0 * s.c) }
                            (dst + kx0 * s.c).update(from: input + ((b * s.h + iy) * s.w + x0 + kx0) * s.c, count: (kx1 - kx0) * s.c)
                            if kx1 < kw { (dst + kx1 * s.c).update(repeating: 0, count: (kw - kx1) * s.c) }
                        }
                    }
                }
            }
            gemmBiasClamp(a: col, rows: rows, filter: filter, clamp: clamp, output: output, scratch: gemmScratch)
        }
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

    /// Depthwise convolution (multiplier 1) with `(1, kH, kW, C)` weights, zero padding, in the
    /// calling thread. The corresponding C function is `ck_depthwise_conv`.
    /// - Parameters:
    ///   - input: `(N, H, W, C)`; output: `(N, OH, OW, C)`, written.
    ///   - instructionSet: must be supported by this CPU (`isSupported`).
    public static func depthwiseConv2D(
        input: UnsafePointer<Float>, shape s: Shape,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, kernelH kh: Int, kernelW kw: Int,
        stride: Int, padding: Offsets, clamp: Clamp,
        output: UnsafeMutablePointer<Float>, outH: Int, outW: Int, instructionSet: InstructionSet = .best
    ) {
        precondition(s.n >= 0 && s.h >= 0 && s.w >= 0 && s.c >= 0 && kh >= 0 && kw >= 0 && stride > 0 && outH >= 0 && outW >= 0
                     && padding.top >= 0 && padding.left >= 0, "depthwiseConv2D: bad sizes \(s), kernel \(kh)×\(kw), stride \(stride), \(padding)")
        precondition(instructionSet.isSupported, "depthwiseConv2D: this CPU does not run \(instructionSet)")
        ck_depthwise_conv(instructionSet.c, input, s.n, s.h, s.w, s.c, weight, bias, kh, kw, stride, padding.top, padding.left,
                          clamp.lower, clamp.upper, output, outH, outW)
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
