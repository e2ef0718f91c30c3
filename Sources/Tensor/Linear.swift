/// A fully connected layer, as PyTorch's `nn.Linear` (and a 1×1 `Conv1d` over points):
/// y (N, out) = x (N, in) · Wᵀ + b, one sgemm plus the output pass.
///
///     let fc1 = Linear(weight: w /*(1024, 2205 + 157)*/, bias: b)
///     let h = fc1(x /*(N, 2362)*/)   // (N, 1024)
public struct Linear: Sendable {
    /// (out, in).
    public let weight: Tensor
    /// (out); zeros when the layer has none.
    public let bias: [Float]

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public init(weight: Tensor, bias: [Float]?) {
        precondition(weight.shape.count == 2, "Linear: weight must be (out, in), got \(weight.shape)")
        precondition(bias == nil || bias!.count == weight.shape[0], "Linear: bias has \(bias!.count) values for \(weight.shape[0]) outputs")
        self.weight = weight
        self.bias = bias ?? [Float](repeating: 0, count: weight.shape[0])
    }

    /// y = activation(x·Wᵀ + b): x (N, in) → (N, out).
    public func callAsFunction(_ x: Tensor, activation: Activation = .none) -> Tensor {
        precondition(x.shape.count == 2 && x.shape[1] == inFeatures,
                     "Linear: input must be (N, \(inFeatures)), got \(x.shape)")
        let n = x.shape[0], out = outFeatures
        var y = Tensor(uninitializedShape: [n, out])
        x.data.withUnsafeBufferPointer { px in
            weight.data.withUnsafeBufferPointer { pw in
                bias.withUnsafeBufferPointer { pb in
                    y.data.withUnsafeMutableBufferPointer { py in
                        let yp = py.baseAddress!
                        // Start from the bias and accumulate the product onto it (beta = 1).
                        for i in 0..<n { (yp + i * out).update(from: pb.baseAddress!, count: out) }
                        BLAS.sgemm(transposeB: true, m: n, n: out, k: inFeatures, a: px.baseAddress!, lda: inFeatures,
                                   b: pw.baseAddress!, ldb: inFeatures, beta: 1, c: yp, ldc: out)
                        if activation != .none {
                            epilogue(yp, yp, count: n * out, bias: 0, residual: nil, activation: activation)
                        }
                    }
                }
            }
        }
        return y
    }
}
