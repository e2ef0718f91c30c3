/// Where the batch axis of an activation tensor sits, for the convolution ops.
///
/// `.nchw` is PyTorch's (N, C, H, W). `.cnhw` stores (C, N, H, W): the planes of one channel for
/// every frame side by side, which is exactly the (C, N·H·W) matrix a convolution's GEMM reads and
/// writes when all frames share one GEMM. A network that keeps its activations in `.cnhw` between
/// layers skips the per-layer copy of each frame into a column buffer (1×1 layers read the
/// activation itself) and the copy of the product back out (the GEMM writes the output, the
/// bias/residual/activation pass runs in place). For one frame both layouts are the same memory.
///
///     let xc = swappingBatchAndChannels(x)                                    // (3, N, 224, 224)
///     let y = stem(xc, activation: .relu, layout: .cnhw, workspace: ws)       // (64, N, 112, 112)
public enum ActivationLayout: Sendable, Equatable {
    /// (N, C, H, W).
    case nchw
    /// (C, N, H, W).
    case cnhw

    /// (N, C, H, W) extents of a rank-4 tensor stored in this layout.
    func extents(_ x: Tensor, _ op: String) -> (n: Int, c: Int, h: Int, w: Int) {
        let (a, b, h, w) = x.nchw(op)
        return self == .nchw ? (a, b, h, w) : (b, a, h, w)
    }

    /// The stored shape of an (N, C, H, W) tensor.
    func shape(n: Int, c: Int, h: Int, w: Int) -> [Int] {
        self == .nchw ? [n, c, h, w] : [c, n, h, w]
    }

    /// Index of the (H, W) plane of frame `frame`, channel `channel` among all planes.
    @inline(__always)
    func plane(frame: Int, channel: Int, frames: Int, channels: Int) -> Int {
        self == .nchw ? frame * channels + channel : channel * frames + frame
    }
}

/// (A, B, H, W) → (B, A, H, W): converts between `.nchw` and `.cnhw` (its own inverse).
/// When A or B is 1 the elements are already in order and only the shape changes.
public func swappingBatchAndChannels(_ x: Tensor) -> Tensor {
    let (a, b, h, w) = x.nchw("swappingBatchAndChannels")
    if a == 1 || b == 1 { return x.reshaped([b, a, h, w]) }
    let plane = h * w
    var y = Tensor(uninitializedShape: [b, a, h, w])
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            for i in 0..<a {
                for j in 0..<b {
                    (py.baseAddress! + (j * a + i) * plane).update(from: px.baseAddress! + (i * b + j) * plane, count: plane)
                }
            }
        }
    }
    return y
}
