internal import CKernels

/// The number format of the large matrix products (convolutions) of a network.
///
/// - `float32`: OpenBLAS sgemm; the default, and the one that reproduces PyTorch's float32
///   results to rounding.
/// - `bfloat16`: weights and activations rounded to bfloat16 (8 significant bits) just before
///   each product, products summed in float32 (`BFloat16GEMM`). About 3 significant decimal
///   digits per product instead of 7; faster where the CPU has Intel AMX.
public enum Precision: String, CaseIterable, Sendable {
    case float32
    case bfloat16
}

/// A weight matrix (m, k) rounded to bfloat16 once and stored in the tile order
/// `BFloat16GEMM` reads (`ck_bf16_pack_a`).
public struct BFloat16Matrix: Sendable {
    /// Rows (output channels).
    public let rows: Int
    /// Depth (the product's k).
    public let depth: Int
    let packed: [UInt16]

    /// Rounds row-major `a` (rows, depth) with leading dimension `lda` (≥ depth).
    public init(_ a: UnsafePointer<Float>, rows: Int, depth: Int, lda: Int) {
        precondition(rows >= 0 && depth >= 0 && lda >= max(depth, 1), "BFloat16Matrix: \(rows)×\(depth) with lda \(lda)")
        self.rows = rows
        self.depth = depth
        var packed = [UInt16](repeating: 0, count: ck_bf16_packed_count(rows, depth))
        packed.withUnsafeMutableBufferPointer { ck_bf16_pack_a(a, lda, rows, depth, $0.baseAddress!) }
        self.packed = packed
    }

    /// Rounds a tightly packed row-major array (rows, depth).
    public init(_ a: [Float], rows: Int, depth: Int) {
        precondition(a.count == rows * depth, "BFloat16Matrix: \(a.count) values for \(rows)×\(depth)")
        self = a.withUnsafeBufferPointer { BFloat16Matrix($0.baseAddress!, rows: rows, depth: depth, lda: max(depth, 1)) }
    }
}

/// Matrix products with bfloat16 inputs and float32 sums: C = A · round(B), A a
/// `BFloat16Matrix`, B and C float32.
///
///     let w = BFloat16Matrix(weights, rows: 256, depth: 576)
///     BFloat16GEMM.multiply(w, b: columns, ldb: 3136, n: 3136, c: out, ldc: 3136, workspace: ws)
public enum BFloat16GEMM {
    /// The ways to compute the same products.
    public enum Path: CaseIterable, Sendable {
        /// Plain C: every CPU; slow (a reference, and the fallback).
        case portable
        /// Intel AMX tiles (TDPBF16PS), when `amxUsable`.
        case amx

        var c: ck_bf16_path { self == .amx ? CK_BF16_AMX : CK_BF16_PORTABLE }
    }

    /// Whether this CPU has AMX-BF16 and Linux lets this process use it (asked once; asking
    /// also obtains the permission for every thread of the process).
    public static let amxUsable: Bool = ck_amx_usable() != 0

    /// The fastest path here.
    public static var best: Path { amxUsable ? .amx : .portable }

    /// Rounds x to bfloat16 (nearest, ties to even; subnormals to signed zero), returned as a Float.
    public static func rounded(_ x: Float) -> Float {
        Float(bitPattern: UInt32(ck_bf16_round(x)) << 16)
    }

    /// c (a.rows, n), leading dimension ldc ← a · round(b (a.depth, n), leading dimension ldb).
    ///
    /// The columns are split across `workspace.threadCount` threads, each rounding its own
    /// panels of b; c's columns past n are untouched.
    ///
    /// - Complexity: 2·rows·n·depth floating-point operations.
    ///
    /// The corresponding C function is `ck_bf16_gemm`.
    public static func multiply(_ a: BFloat16Matrix, b: UnsafePointer<Float>, ldb: Int, n: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, workspace: Workspace, path: Path = best) {
        multiply(a, b: b, ldb: ldb, n: n, c: c, ldc: ldc, finishing: nil, workspace: workspace, path: path)
    }

    /// As `multiply`, each finished value of c then becoming
    /// `activation((sum + bias[row]) + residual)` (`finishing`; nil: the sums as they are).
    static func multiply(_ a: BFloat16Matrix, b: UnsafePointer<Float>, ldb: Int, n: Int, c: UnsafeMutablePointer<Float>,
                         ldc: Int, finishing: ProductEpilogue?, workspace: Workspace, path: Path = best) {
        precondition(n >= 0 && ldb >= max(n, 1) && ldc >= max(n, 1), "BFloat16GEMM: n \(n), ldb \(ldb), ldc \(ldc)")
        precondition(path == .portable || amxUsable, "BFloat16GEMM: this CPU or OS does not allow AMX")
        if a.rows == 0 || n == 0 { return }
        if a.depth == 0 {
            for r in 0..<a.rows { (c + r * ldc).update(repeating: 0, count: n) }
            return
        }
        a.packed.withUnsafeBufferPointer { pa in
            splitColumns(n, depth: a.depth, workspace: workspace) { first, count, scratch in
                finishing.withC(columnOffset: first) { ep in
                    ck_bf16_gemm(path.c, a.rows, count, a.depth, pa.baseAddress!, b + first, ldb, c + first, ldc, ep, scratch)
                }
            }
        }
    }

    /// c (a.rows, source's columns), leading dimension ldc ← a · round(B), where B is the
    /// convolution `source` read through its windows (im2col without the column buffer).
    ///
    /// Bit-identical to `multiply` on the im2col columns: the panels hold the same values.
    ///
    /// The corresponding C function is `ck_bf16_conv`.
    static func convolve(_ a: BFloat16Matrix, source: ConvolutionSource, c: UnsafeMutablePointer<Float>, ldc: Int,
                         finishing: ProductEpilogue? = nil, workspace: Workspace, path: Path = best) {
        let n = source.columnCount
        precondition(ldc >= max(n, 1), "BFloat16GEMM.convolve: ldc \(ldc) for \(n) columns")
        precondition(path == .portable || amxUsable, "BFloat16GEMM: this CPU or OS does not allow AMX")
        precondition(a.depth == source.depth, "BFloat16GEMM.convolve: weights \(a.depth) deep, windows \(source.depth)")
        if a.rows == 0 || n == 0 { return }
        let g = source.geometry
        var conv = ck_conv_source(
            input: source.input, channel_stride: source.channelStride, frame_stride: source.frameStride,
            height: Int32(g.height), width: Int32(g.width), kernel_h: Int32(g.kernelHeight), kernel_w: Int32(g.kernelWidth),
            stride: Int32(g.stride), origin_y: Int32(g.originY), origin_x: Int32(g.originX),
            out_h: Int32(g.outHeight), out_w: Int32(g.outWidth), first_column: 0)
        a.packed.withUnsafeBufferPointer { pa in
            withUnsafePointer(to: &conv) { conv in
                splitColumns(n, depth: a.depth, workspace: workspace) { first, count, scratch in
                    finishing.withC(columnOffset: 0) { ep in
                        ck_bf16_conv(path.c, a.rows, a.depth, pa.baseAddress!, conv, first, count, c, ldc, ep, scratch)
                    }
                }
            }
        }
    }

    /// Runs `body(first, count, scratch)` over columns 0..<n split across the workspace's
    /// threads: each thread takes whole 32-column blocks (no block is shared) and its own
    /// scratch for depth `depth` (64-byte multiples of `ck_bf16_scratch_bytes`).
    private static func splitColumns(_ n: Int, depth: Int, workspace: Workspace,
                                     _ body: (_ first: Int, _ count: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        let blocks = (n + 31) / 32
        let threads = min(workspace.threadCount, blocks)
        let scratchFloats = (ck_bf16_scratch_bytes(depth) + 63) / 64 * 16
        let scratch = workspace.buffer(.panel, count: scratchFloats * threads)
        parallelChunks(threads, threads: threads) { parts in     // one share of the columns per thread
            for part in parts {
                let first = blocks * part / threads * 32, end = min(n, blocks * (part + 1) / threads * 32)
                if end > first { body(first, end - first, scratch + part * scratchFloats) }
            }
        }
    }
}

/// A convolution's input seen as the (channels·kH·kW, frames·OH·OW) matrix im2col would write:
/// frame f, channel c's plane starts at `input + c·channelStride + f·frameStride`.
struct ConvolutionSource {
    var input: UnsafePointer<Float>
    var channels: Int
    var frames: Int
    var channelStride: Int
    var frameStride: Int
    var geometry: WindowGeometry

    var depth: Int { channels * geometry.kernelHeight * geometry.kernelWidth }
    var columnCount: Int { frames * geometry.outHeight * geometry.outWidth }

    /// Whether every offset the C kernel forms fits in 32 bits (else use im2col).
    var fitsInt32: Bool {
        let span = (frames - 1) * frameStride + (geometry.height + geometry.kernelHeight) * (geometry.width + geometry.kernelWidth)
        return span < Int(Int32.max) / 2 && geometry.height < 1 << 28 && geometry.width < 1 << 28
    }

    /// Frames first..<first+frames of x in `layout` (cin channels of planeIn floats, n frames in all).
    init(_ x: UnsafePointer<Float>, layout: ActivationLayout, first: Int, frames: Int, n: Int, channels: Int, _ g: WindowGeometry) {
        let planeIn = g.height * g.width
        input = x + layout.plane(frame: first, channel: 0, frames: n, channels: channels) * planeIn
        self.channels = channels
        self.frames = frames
        channelStride = layout == .cnhw ? n * planeIn : planeIn
        frameStride = layout == .cnhw ? planeIn : channels * planeIn
        geometry = g
    }
}

/// What a product does to each finished value: `activation((sum + bias[row]) + residual)`, the
/// order of the float32 path's output pass. The residual has the product's layout and ldc.
struct ProductEpilogue {
    var bias: UnsafePointer<Float>?
    var residual: UnsafePointer<Float>?
    var activation: Activation
}

extension Optional where Wrapped == ProductEpilogue {
    /// The C form (residual moved `columnOffset` columns on), or NULL for none.
    func withC<R>(columnOffset: Int, _ body: (UnsafePointer<ck_epilogue>?) -> R) -> R {
        guard let e = self else { return body(nil) }
        let activation = e.activation.c
        var c = ck_epilogue(bias: e.bias, residual: e.residual.map { $0 + columnOffset }, activation: activation.kind, slope: activation.slope)
        return withUnsafePointer(to: &c) { body($0) }
    }
}

extension Activation {
    /// The C kernels' form: kind and slope (1 when unused).
    var c: (kind: ck_activation, slope: Float) {
        switch self {
        case .none: (CK_ACTIVATION_NONE, 1)
        case .relu: (CK_ACTIVATION_RELU, 1)
        case .relu6: (CK_ACTIVATION_RELU6, 1)
        case .leakyReLU(let slope): (CK_ACTIVATION_LEAKY_RELU, slope)
        }
    }
}
