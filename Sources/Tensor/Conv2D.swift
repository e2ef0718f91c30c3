/// A 2-D convolution over NCHW tensors, as PyTorch's `nn.Conv2d` (dilation 1) with TF-style
/// asymmetric padding allowed.
///
/// Pointwise (1×1, stride 1, unpadded) layers are a plain GEMM on the input; other kernels go
/// through im2col then one OpenBLAS sgemm per group; depthwise layers (groups == Cin == Cout) run
/// as direct loops. Bias, a residual input and the activation are applied in one output pass.
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
    }

    /// The convolution followed by an eval-mode batch-norm, as one convolution:
    /// w' = w·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β.
    public func foldingBatchNorm(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float = 1e-5) -> Conv2D {
        let (w, b) = foldBatchNorm(weight: weight.data, bias: bias, outerCount: 1, channels: outChannels,
                                   gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon)
        return Conv2D(weight: Tensor(shape: weight.shape, data: w), bias: b, stride: stride, padding: padding, groups: groups)
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

    /// As `callAsFunction`, writing into `out` (its storage is reused when the size matches).
    public func forward(_ x: Tensor, adding residual: Tensor? = nil, activation: Activation = .none,
                        workspace: Workspace, into out: inout Tensor) {
        let (n, cin, h, w) = x.nchw("Conv2D")
        precondition(cin == inChannels, "Conv2D: input has \(cin) channels, layer expects \(inChannels)")
        let g = geometry(height: h, width: w)
        precondition(g.outHeight >= 1 && g.outWidth >= 1, "Conv2D: \(h)×\(w) input too small for the kernel")
        let outShape = [n, outChannels, g.outHeight, g.outWidth]
        if let residual { precondition(residual.shape == outShape, "Conv2D: residual \(residual.shape) ≠ output \(outShape)") }
        out.prepare(shape: outShape)
        x.data.withUnsafeBufferPointer { px in
            out.data.withUnsafeMutableBufferPointer { po in
                withOptionalPointer(residual) { pr in
                    if isDepthwise {
                        depthwise(px.baseAddress!, batch: n, g, residual: pr, activation: activation, into: po.baseAddress!)
                    } else {
                        gemmConvolution(px.baseAddress!, batch: n, g, residual: pr, activation: activation,
                                        workspace: workspace, into: po.baseAddress!)
                    }
                }
            }
        }
    }

    /// im2col (or the input itself) × weights, per frame or for all frames at once.
    private func gemmConvolution(_ x: UnsafePointer<Float> /*(N, Cin, H, W)*/, batch n: Int, _ g: WindowGeometry,
                                 residual: UnsafePointer<Float>? /*(N, Cout, OH, OW)*/, activation: Activation,
                                 workspace: Workspace, into out: UnsafeMutablePointer<Float> /*(N, Cout, OH, OW)*/) {
        let cin = inChannels, cout = outChannels
        let planeIn = g.height * g.width
        let plane = g.outHeight * g.outWidth                        // P
        let m = cout / groups                                        // rows of one group's GEMM
        let k = (cin / groups) * kernelHeight * kernelWidth          // its depth
        let rows = cin * kernelHeight * kernelWidth                  // all groups' column rows
        weight.data.withUnsafeBufferPointer { pw in
            bias.withUnsafeBufferPointer { pb in
                let w = pw.baseAddress!  // (groups·M, K)
                if n > 1 && plane < Conv2D.batchedPlaneLimit {
                    let np = n * plane
                    let cols = workspace.buffer(.columns, count: rows * np)   // (Cin·kH·kW, N·P)
                    for i in 0..<n {
                        let frame = x + i * cin * planeIn
                        if isPointwise {
                            for c in 0..<cin { (cols + c * np + i * plane).update(from: frame + c * planeIn, count: plane) }
                        } else {
                            im2col(frame, channels: cin, g, into: cols + i * plane, ld: np)
                        }
                    }
                    let product = workspace.buffer(.product, count: cout * np)  // (Cout, N·P)
                    for gi in 0..<groups {
                        BLAS.sgemm(m: m, n: np, k: k, a: w + gi * m * k, lda: k, b: cols + gi * k * np, ldb: np,
                                   c: product + gi * m * np, ldc: np)
                    }
                    for i in 0..<n {
                        for c in 0..<cout {
                            let offset = (i * cout + c) * plane
                            epilogue(out + offset, product + c * np + i * plane, count: plane, bias: pb[c],
                                     residual: residual.map { $0 + offset }, activation: activation)
                        }
                    }
                } else {
                    for i in 0..<n {
                        let frame = x + i * cin * planeIn
                        let columns: UnsafePointer<Float>   // (Cin·kH·kW, P)
                        if isPointwise {
                            columns = frame
                        } else {
                            let cols = workspace.buffer(.columns, count: rows * plane)
                            im2col(frame, channels: cin, g, into: cols, ld: plane)
                            columns = UnsafePointer(cols)
                        }
                        let y = out + i * cout * plane  // (Cout, P)
                        for gi in 0..<groups {
                            BLAS.sgemm(m: m, n: plane, k: k, a: w + gi * m * k, lda: k, b: columns + gi * k * plane,
                                       ldb: plane, c: y + gi * m * plane, ldc: plane)
                        }
                        for c in 0..<cout {
                            let offset = (i * cout + c) * plane
                            epilogue(out + offset, out + offset, count: plane, bias: pb[c],
                                     residual: residual.map { $0 + offset }, activation: activation)
                        }
                    }
                }
            }
        }
    }

    /// Direct depthwise loops: each output row accumulates kH·kW shifted input rows.
    private func depthwise(_ x: UnsafePointer<Float> /*(N, C, H, W)*/, batch n: Int, _ g: WindowGeometry,
                           residual: UnsafePointer<Float>?, activation: Activation,
                           into out: UnsafeMutablePointer<Float> /*(N, C, OH, OW)*/) {
        let channels = outChannels
        let (h, w, s) = (g.height, g.width, g.stride)
        let (oh, ow) = (g.outHeight, g.outWidth)
        let (kh, kw) = (kernelHeight, kernelWidth)
        weight.data.withUnsafeBufferPointer { pw in
            for i in 0..<n {
                for c in 0..<channels {
                    let input = x + (i * channels + c) * h * w  // (H, W)
                    let offset = (i * channels + c) * oh * ow
                    let output = out + offset                   // (OH, OW)
                    let taps = pw.baseAddress! + c * kh * kw    // (kH, kW)
                    for oy in 0..<oh {
                        let row = output + oy * ow
                        row.update(repeating: 0, count: ow)
                        for ky in 0..<kh {
                            let iy = oy * s - g.padding.top + ky
                            guard iy >= 0 && iy < h else { continue }
                            for kx in 0..<kw {
                                let tap = taps[ky * kw + kx]
                                let src = input + iy * w + kx - g.padding.left  // input at ox = 0
                                let xs = indices(ow, stride: s, offset: kx - g.padding.left, landingIn: w)
                                if s == 1 {
                                    for ox in xs { row[ox] += tap * src[ox] }
                                } else {
                                    for ox in xs { row[ox] += tap * src[ox * s] }
                                }
                            }
                        }
                    }
                    epilogue(output, output, count: oh * ow, bias: bias[c], residual: residual.map { $0 + offset },
                             activation: activation)
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
