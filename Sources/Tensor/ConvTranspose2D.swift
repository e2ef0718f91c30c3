/// A 2-D transposed convolution over NCHW tensors, as PyTorch's `nn.ConvTranspose2d`
/// (groups 1, dilation 1, no output padding): OH = (H − 1)·stride − 2·padding + kH.
///
/// Computed as one GEMM to columns — cols (Cout·kH·kW, P) = Wᵀ · x — then col2im, which adds
/// every column into the output plane; small planes batch all frames into the GEMM.
///
///     let up = ConvTranspose2D(weight: w /*(2048, 256, 4, 4)*/, bias: nil, stride: 2, padding: 1)
///     let y = up(x /*(N, 2048, 7, 7)*/, activation: .relu)   // (N, 256, 14, 14)
public struct ConvTranspose2D: Sendable {
    /// (Cin, Cout, kH, kW), PyTorch's layout.
    public let weight: Tensor
    /// (Cout); zeros when the layer has none.
    public let bias: [Float]
    public let stride: Int
    public let padding: Int

    public var inChannels: Int { weight.shape[0] }
    public var outChannels: Int { weight.shape[1] }
    public var kernelHeight: Int { weight.shape[2] }
    public var kernelWidth: Int { weight.shape[3] }

    public init(weight: Tensor, bias: [Float]?, stride: Int, padding: Int) {
        precondition(weight.shape.count == 4, "ConvTranspose2D: weight must be (Cin, Cout, kH, kW), got \(weight.shape)")
        precondition(stride >= 1 && padding >= 0, "ConvTranspose2D: stride \(stride), padding \(padding)")
        precondition(bias == nil || bias!.count == weight.shape[1], "ConvTranspose2D: bias has \(bias!.count) values for \(weight.shape[1]) channels")
        self.weight = weight
        self.bias = bias ?? [Float](repeating: 0, count: weight.shape[1])
        self.stride = stride
        self.padding = padding
    }

    /// The layer followed by an eval-mode batch-norm, as one layer (output channels are axis 1 of the weight).
    public func foldingBatchNorm(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float = 1e-5) -> ConvTranspose2D {
        let (w, b) = foldBatchNorm(weight: weight.data, bias: bias, outerCount: inChannels, channels: outChannels,
                                   gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon)
        return ConvTranspose2D(weight: Tensor(shape: weight.shape, data: w), bias: b, stride: stride, padding: padding)
    }

    /// Output (OH, OW) for an (H, W) input.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height - 1) * stride - 2 * padding + kernelHeight, (width - 1) * stride - 2 * padding + kernelWidth)
    }

    /// y = activation(convT(x) + bias): x (N, Cin, H, W) → (N, Cout, OH, OW), with fresh scratch.
    public func callAsFunction(_ x: Tensor, activation: Activation = .none) -> Tensor {
        callAsFunction(x, activation: activation, workspace: Workspace())
    }

    /// y = activation(convT(x) + bias) using `workspace` for the columns.
    public func callAsFunction(_ x: Tensor, activation: Activation = .none, workspace: Workspace) -> Tensor {
        var out = Tensor(shape: [])
        forward(x, activation: activation, workspace: workspace, into: &out)
        return out
    }

    /// As `callAsFunction`, writing into `out` (its storage is reused when the size matches).
    public func forward(_ x: Tensor, activation: Activation = .none, workspace: Workspace, into out: inout Tensor) {
        let (n, cin, h, w) = x.nchw("ConvTranspose2D")
        precondition(cin == inChannels, "ConvTranspose2D: input has \(cin) channels, layer expects \(inChannels)")
        let (oh, ow) = outputSize(height: h, width: w)
        precondition(oh >= 1 && ow >= 1, "ConvTranspose2D: output would be empty for a \(h)×\(w) input")
        let cout = outChannels
        let planeIn = h * w, plane = oh * ow
        let rows = cout * kernelHeight * kernelWidth
        out.prepare(shape: [n, cout, oh, ow])
        x.data.withUnsafeBufferPointer { px in
            weight.data.withUnsafeBufferPointer { pw in
                out.data.withUnsafeMutableBufferPointer { po in
                    let x = px.baseAddress!, w0 = pw.baseAddress!, y = po.baseAddress!
                    y.update(repeating: 0, count: n * cout * plane)
                    let batched = n > 1 && planeIn < Conv2D.batchedPlaneLimit
                    let perGEMM = batched ? n : 1
                    let np = perGEMM * planeIn
                    let cols = workspace.buffer(.product, count: rows * np)  // (Cout·kH·kW, frames·H·W)
                    var first = 0
                    while first < n {
                        let input: UnsafePointer<Float>  // (Cin, frames·H·W)
                        if batched {
                            let staged = workspace.buffer(.staging, count: cin * np)
                            for i in 0..<n {
                                for c in 0..<cin {
                                    (staged + c * np + i * planeIn).update(from: x + (i * cin + c) * planeIn, count: planeIn)
                                }
                            }
                            input = UnsafePointer(staged)
                        } else {
                            input = x + first * cin * planeIn
                        }
                        // Wᵀ: the weight read as (Cin, Cout·kH·kW), transposed.
                        BLAS.sgemm(transposeA: true, m: rows, n: np, k: cin, a: w0, lda: rows, b: input, ldb: np,
                                   c: cols, ldc: np)
                        for j in 0..<perGEMM {
                            col2imAdd(cols + j * planeIn, ld: np, channels: cout, inHeight: h, inWidth: w,
                                      kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride,
                                      padding: padding, outHeight: oh, outWidth: ow, into: y + (first + j) * cout * plane)
                        }
                        first += perGEMM
                    }
                    for i in 0..<n {
                        for c in 0..<cout {
                            let plane0 = y + (i * cout + c) * plane
                            epilogue(plane0, plane0, count: plane, bias: bias[c], residual: nil, activation: activation)
                        }
                    }
                }
            }
        }
    }
}
