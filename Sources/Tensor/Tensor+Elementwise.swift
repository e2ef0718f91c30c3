/// Element-wise sum of two tensors of the same shape, then the activation (TFLite's ADD with a
/// fused activation; ResNet's residual join with `.relu`).
public func add(_ a: Tensor, _ b: Tensor, activation: Activation = .none) -> Tensor {
    precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
    var y = Tensor(uninitializedShape: a.shape)
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            y.data.withUnsafeMutableBufferPointer { py in
                epilogue(py.baseAddress!, pa.baseAddress!, count: a.count, bias: 0, residual: pb.baseAddress!,
                         activation: activation)
            }
        }
    }
    return y
}

/// The activation applied to every element.
public func activate(_ x: Tensor, _ activation: Activation) -> Tensor {
    var y = x
    y.data.withUnsafeMutableBufferPointer { p in
        epilogue(p.baseAddress!, p.baseAddress!, count: p.count, bias: 0, residual: nil, activation: activation)
    }
    return y
}

/// max(x, 0) element-wise.
public func relu(_ x: Tensor) -> Tensor { activate(x, .relu) }

/// min(max(x, 0), 6) element-wise.
public func relu6(_ x: Tensor) -> Tensor { activate(x, .relu6) }

/// x or slope·x (x < 0) element-wise.
public func leakyReLU(_ x: Tensor, slope: Float = 0.01) -> Tensor { activate(x, .leakyReLU(slope)) }
