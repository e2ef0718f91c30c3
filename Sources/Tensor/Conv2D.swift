/// A 2-D convolution over NCHW tensors, as PyTorch's `nn.Conv2d` (dilation 1) with TF-style
/// asymmetric padding allowed.
///
/// Pointwise (1×1, stride 1, unpadded) layers are a plain GEMM on the input; other kernels go
/// through im2col then one OpenBLAS sgemm per group; depthwise layers (groups == Cin == Cout) run
/// as direct loops. Bias, a residual input and the activation are applied in one output pass.
/// `converted(to: .bfloat16)` makes the GEMMs round to bfloat16 (`BFloat16GEMM`).
/// Small planes (deep layers) are batched: every frame's columns go into one GEMM's N dimension.
///
///     let conv = Conv2D(weight: w /*(64, 3, 7, 7)*/, bias: nil, stride: 2, padding: Padding2D(3))
///         .foldingBatchNorm(gamma: g, beta: b, mean: m, variance: v, epsilon: 1e-5)
///     let y = conv(x /*(N, 3, 224, 224)*/, activation: .relu)   // (N, 64, 112, 112)
public struct Conv2D: Sendable {
    /// (Cout, Cin/groups, kH, kW).
    public let weight: Tensor
    /// (Cout); zeros when the layer has none.
    public let bias: [Float]
    public let stride: Int
    public let padding: Padding2D
    public let groups: Int
    /// The weights rounded to bfloat16, one matrix (Cout/groups, Cin/groups·kH·kW) per group,
    /// when the layer computes in `.bfloat16`.
    let bfloat16Weights: [BFloat16Matrix]?

    /// How the GEMMs of this layer compute (depthwise layers always in float32).
    public var precision: Precision { bfloat16Weights == nil ? .float32 : .bfloat16 }

    public var outChannels: Int { weight.shape[0] }
    public var inChannels: Int { weight.shape[1] * groups }
    public var kernelHeight: Int { weight.shape[2] }
    public var kernelWidth: Int { weight.shape[3] }

    /// Planes with fewer output positions than this are computed for all frames in one GEMM.
    static let batchedPlaneLimit = 1600

    public init(weight: Tensor, bias: [Float]?, stride: Int = 1, padding: Padding2D = .zero, groups: Int = 1) {
        precondition(weight.shape.count == 4, "Conv2D: weight must be (Cout, Cin/groups, kH, kW), got \(weight.shape)")
        precondition(stride >= 1 && groups >= 1 && weight.shape[0] % groups == 0,
                     "Conv2D: stride \(stride), groups \(groups) do not fit weight \(weight.shape)")
        precondition(bias == nil || bias!.count == weight.shape[0], "Conv2D: bias has \(bias!.count) values for \(weight.shape[0]) channels")
        self.weight = weight
        self.bias = bias ?? [Float](repeating: 0, count: weight.shape[0])
        self.stride = stride
        self.padding = padding
        self.groups = groups
        self.bfloat16Weights = nil
    }

    private init(_ layer: Conv2D, bfloat16Weights: [BFloat16Matrix]?) {
        (weight, bias, stride, padding, groups) = (layer.weight, layer.bias, layer.stride, layer.padding, layer.groups)
        self.bfloat16Weights = bfloat16Weights
    }

    /// The same layer computing its GEMMs in `precision` (the bfloat16 weights are rounded here, once).
    public func converted(to precision: Precision) -> Conv2D {
        guard precision == .bfloat16 && !isDepthwise else { return Conv2D(self, bfloat16Weights: nil) }
        let m = outChannels / groups, k = weight.count / outChannels
        let matrices = weight.data.withUnsafeBufferPointer { w in
            (0..<groups).map { BFloat16Matrix(w.baseAddress! + $0 * m * k, rows: m, depth: k, lda: max(k, 1)) }
        }
        return Conv2D(self, bfloat16Weights: matrices)
    }

    /// The convolution followed by an eval-mode batch-norm, as one convolution:
    /// w' = w·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β.
    public func foldingBatchNorm(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float = 1e-5) -> Conv2D {
        let (w, b) = foldBatchNorm(weight: weight.data, bias: bias, outerCount: 1, channels: outChannels,
                                   gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon)
        return Conv2D(weight: Tensor(shape: weight.shape, data: w), bias: b, stride: stride, padding: padding, groups: groups)
            .converted(to: precision)
    }

    /// Output (OH, OW) for an (H, W) input.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        let g = geometry(height: height, width: width)
        return (g.outHeight, g.outWidth)
    }

    func geometry(height: Int, width: Int) -> WindowGeometry {
        WindowGeometry(height: height, width: width, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                       stride: stride, padding: padding)
    }

    var isDepthwise: Bool { groups > 1 && groups == inChannels && groups == outChannels }
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == .zero }

    /// y = activation(conv(x) + bias): x (N, Cin, H, W) → (N, Cout, OH, OW), with fresh scratch.
    public func callAsFunction(_ x: Tensor, activation: Activation = .none) -> Tensor {
        callAsFunction(x, adding: nil, activation: activation, workspace: Workspace())
    }

    /// y = activation(conv(x) + bias + residual): x (N, Cin, H, W), residual (N, Cout, OH, OW) → (N, Cout, OH, OW).
    public func callAsFunction(_ x: Tensor, adding residual: Tensor? = nil, activation: Activation = .none,
                               workspace: Workspace) -> Tensor {
        var out = Tensor(shape: [])
        forward(x, adding: residual, activation: activation, workspace: workspace, into: &out)
        return out
    }

    /// y = activation(conv(x) + bias + residual) with x, residual and y in `layout`
    /// ((N, C, H, W) or (C, N, H, W)).
    public func callAsFunction(_ x: Tensor, adding residual: Tensor? = nil, activation: Activation = .none,
                               layout: ActivationLayout, workspace: Workspace) -> Tensor {
        var out = Tensor(shape: [])
        forward(x, adding: residual, activation: activation, layout: layout, workspace: workspace, into: &out)
        return out
    }

    /// As `callAsFunction`, writing into `out` (its storage is reused when the size matches).
    /// `layout` is that of x, residual and out alike.
    public func forward(_ x: Tensor, adding residual: Tensor? = nil, activation: Activation = .none,
                        layout: ActivationLayout = .nchw, workspace: Workspace, into out: inout Tensor) {
        let (n, cin, h, w) = layout.extents(x, "Conv2D")
        precondition(cin == inChannels, "Conv2D: input has \(cin) channels, layer expects \(inChannels)")
        let g = geometry(height: h, width: w)
        precondition(g.outHeight >= 1 && g.outWidth >= 1, "Conv2D: \(h)×\(w) input too small for the kernel")
        let outShape = layout.shape(n: n, c: outChannels, h: g.outHeight, w: g.outWidth)
        if let residual { precondition(residual.shape == outShape, "Conv2D: residual \(residual.shape) ≠ output \(outShape)") }
        out.prepare(shape: outShape)
        x.data.withUnsafeBufferPointer { px in
            out.data.withUnsafeMutableBufferPointer { po in
                withOptionalPointer(residual) { pr in
                    if isDepthwise {
                        depthwise(px.baseAddress!, batch: n, g, residual: pr, activation: activation, layout: layout,
                                  threads: workspace.threadCount, into: po.baseAddress!)
                    } else {
                        gemmConvolution(px.baseAddress!, batch: n, g, residual: pr, activation: activation, layout: layout,
                                        workspace: workspace, into: po.baseAddress!)
                    }
                }
            }
        }
    }

    /// im2col (or the input itself) × weights, per frame or for all frames at once.
    ///
    /// In `.cnhw` the output is itself the (Cout, N·P) matrix of all frames' GEMM results: each
    /// GEMM (all frames, or one frame for large planes) writes its columns of it directly (leading
    /// dimension N·P), 1×1 stride-1 layers read the input in place likewise, and the bias /
    /// residual / activation pass runs in place.
    private func gemmConvolution(_ x: UnsafePointer<Float> /*(N, Cin, H, W) or (Cin, N, H, W)*/, batch n: Int, _ g: WindowGeometry,
                                 residual: UnsafePointer<Float>? /*as out*/, activation: Activation, layout: ActivationLayout,
                                 workspace: Workspace, into out: UnsafeMutablePointer<Float> /*(N, Cout, OH, OW) or (Cout, N, OH, OW)*/) {
        let cin = inChannels, cout = outChannels, threads = workspace.threadCount
        let planeIn = g.height * g.width
        let plane = g.outHeight * g.outWidth                        // P
        let m = cout / groups                                        // rows of one group's GEMM
        let k = (cin / groups) * kernelHeight * kernelWidth          // its depth
        let taps = kernelHeight * kernelWidth
        let inner = layout == .cnhw
        let batched = n > 1 && plane < Conv2D.batchedPlaneLimit
        let frames = batched ? n : 1                                 // frames per GEMM
        let np = frames * plane                                      // GEMM N
        let direct = inner || !batched                               // the GEMM writes the output itself
        let ld = inner ? n * plane : np                              // row length of the output (and of an in-place input)
        let pointwiseInPlace = isPointwise && direct                 // the input is already the columns
        // bfloat16 reads the windows straight into its rounded panels: no column buffer.
        let fused = bfloat16Weights != nil && groups == 1 && !pointwiseInPlace
            && ConvolutionSource(x, layout: layout, first: 0, frames: frames, n: n, channels: cin, g).fitsInt32
        let cols = pointwiseInPlace || fused ? nil : workspace.buffer(.columns, count: cin * taps * np)  // (Cin·kH·kW, frames·P)
        let product = direct ? nil : workspace.buffer(.product, count: cout * np)               // (Cout, N·P)
        weight.data.withUnsafeBufferPointer { pw in
            bias.withUnsafeBufferPointer { pb in
                let w = pw.baseAddress!  // (groups·M, K)
                for first in Swift.stride(from: 0, to: n, by: frames) {
                    // Columns of frames first..<first+frames, each frame's block `plane` wide.
                    if let cols {
                        parallelChunks(frames * cin, threads: threads) { range in
                            for index in range {
                                let (j, c) = index.quotientAndRemainder(dividingBy: cin)
                                let src = x + layout.plane(frame: first + j, channel: c, frames: n, channels: cin) * planeIn
                                let dst = cols + c * taps * np + j * plane
                                if isPointwise {
                                    dst.update(from: src, count: plane)
                                } else {
                                    im2col(plane: src, g, into: dst, ld: np)
                                }
                            }
                        }
                    }
                    // (K, frames·P) with row length ldb; the output block (Cout, frames·P) with row length ldc.
                    let (columns, ldb) = cols.map { (UnsafePointer($0), np) } ?? (x + first * (inner ? plane : cin * planeIn), ld)
                    let (y, ldc) = product.map { ($0, np) } ?? (out + first * (inner ? plane : cout * plane), ld)
                    // bfloat16 writing the output itself finishes it in the product (bias, residual, activation).
                    let finishing = bfloat16Weights != nil && direct && groups == 1
                        ? ProductEpilogue(bias: pb.baseAddress!, residual: residual.map { $0 + (y - out) }, activation: activation) : nil
                    if fused, let bfloat16Weights {
                        let source = ConvolutionSource(x, layout: layout, first: first, frames: frames, n: n, channels: cin, g)
                        BFloat16GEMM.convolve(bfloat16Weights[0], source: source, c: y, ldc: ldc, finishing: finishing, workspace: workspace)
                    } else {
                        for gi in 0..<groups {
                            if let bfloat16Weights {
                                BFloat16GEMM.multiply(bfloat16Weights[gi], b: columns + gi * k * ldb, ldb: ldb, n: np,
                                                      c: y + gi * m * ldc, ldc: ldc, finishing: finishing, workspace: workspace)
                            } else {
                                BLAS.sgemm(m: m, n: np, k: k, a: w + gi * m * k, lda: k, b: columns + gi * k * ldb, ldb: ldb,
                                           c: y + gi * m * ldc, ldc: ldc)
                            }
                        }
                    }
                    if finishing != nil { continue }
                    parallelChunks(frames * cout, threads: threads) { range in
                        for index in range {
                            let (j, c) = index.quotientAndRemainder(dividingBy: cout)
                            let offset = layout.plane(frame: first + j, channel: c, frames: n, channels: cout) * plane
                            epilogue(out + offset, y + c * ldc + j * plane, count: plane, bias: pb[c],
                                     residual: residual.map { $0 + offset }, activation: activation)
                        }
                    }
                }
            }
        }
    }

    /// Direct depthwise loops: each output row accumulates kH·kW shifted input rows.
    private func depthwise(_ x: UnsafePointer<Float> /*(N, C, H, W) or (C, N, H, W)*/, batch n: Int, _ g: WindowGeometry,
                           residual: UnsafePointer<Float>?, activation: Activation, layout: ActivationLayout, threads: Int,
                           into out: UnsafeMutablePointer<Float> /*as x, OH × OW planes*/) {
        let channels = outChannels
        let (h, w, s) = (g.height, g.width, g.stride)
        let (oh, ow) = (g.outHeight, g.outWidth)
        let (kh, kw) = (kernelHeight, kernelWidth)
        weight.data.withUnsafeBufferPointer { pw in
            bias.withUnsafeBufferPointer { pb in
                parallelChunks(n * channels, threads: threads) { range in
                    for index in range {
                        let c = layout == .nchw ? index % channels : index / n
                        let input = x + index * h * w               // (H, W)
                        let output = out + index * oh * ow          // (OH, OW)
                        let taps = pw.baseAddress! + c * kh * kw    // (kH, kW)
                        for oy in 0..<oh {
                            let row = output + oy * ow
                            row.update(repeating: 0, count: ow)
                            for ky in indices(kh, stride: 1, offset: oy * s + g.originY, landingIn: h) {
                                let iy = oy * s + g.originY + ky
                                for kx in 0..<kw {
                                    let tap = taps[ky * kw + kx]
                                    let src = input + iy * w + g.originX + kx  // input at ox = 0
                                    let xs = indices(ow, stride: s, offset: g.originX + kx, landingIn: w)
                                    if s == 1 {
                                        for ox in xs { row[ox] += tap * src[ox] }
                                    } else {
                                        for ox in xs { row[ox] += tap * src[ox * s] }
                                    }
                                }
                            }
                        }
                        epilogue(output, output, count: oh * ow, bias: pb[c], residual: residual.map { $0 + index * oh * ow },
                                 activation: activation)
                    }
                }
            }
        }
    }
}

/// Runs `body` with a pointer to the tensor's elements, or nil.
@inline(__always)
func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.data.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Folds an eval-mode batch-norm over `channels` output channels into weights laid out as
/// (outerCount, channels, inner) and a bias (channels).
func foldBatchNorm(weight: [Float], bias: [Float], outerCount: Int, channels: Int,
                   gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float) -> ([Float], [Float]) {
    precondition([gamma.count, beta.count, mean.count, variance.count].allSatisfy { $0 == channels },
                 "foldingBatchNorm: statistics must have \(channels) values")
    let inner = weight.count / (outerCount * channels)
    var w = weight
    var b = bias
    for c in 0..<channels {
        let scale = gamma[c] / (variance[c] + epsilon).squareRoot()
        b[c] = (bias[c] - mean[c]) * scale + beta[c]
        for o in 0..<outerCount {
            let base = (o * channels + c) * inner
            for j in 0..<inner { w[base + j] *= scale }
        }
    }
    return (w, b)
}
