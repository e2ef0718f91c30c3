internal import CKernels

/// Max-pooling over NCHW, as PyTorch's `nn.MaxPool2d` (dilation 1, floor mode): padded positions
/// never win. x (N, C, H, W) → (N, C, OH, OW), OH = (H + 2·padding − kernel)/stride + 1.
///
///     let y = maxPool2d(x /*(N, 64, 112, 112)*/, kernel: 3, stride: 2, padding: 1)   // (N, 64, 56, 56)
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int, padding: Int = 0) -> Tensor {
    maxPool2d(x, kernel: kernel, stride: stride, padding: padding, instructionSet: .best)
}

/// As `maxPool2d(_:kernel:stride:padding:)` with the C kernel's instruction set chosen (tests
/// run both). The corresponding C function is `ck_max_pool`.
func maxPool2d(_ x: Tensor, kernel: Int, stride: Int, padding: Int, instructionSet: ChannelsLast.InstructionSet) -> Tensor {
    let (n, c, h, w) = x.nchw("maxPool2d")
    precondition(kernel >= 1 && stride >= 1 && padding >= 0 && 2 * padding <= kernel,
                 "maxPool2d: kernel \(kernel), stride \(stride), padding \(padding)")
    let g = WindowGeometry(height: h, width: w, kernelHeight: kernel, kernelWidth: kernel, stride: stride,
                           padding: Padding2D(padding))
    let (oh, ow) = (g.outHeight, g.outWidth)
    precondition(oh >= 1 && ow >= 1, "maxPool2d: \(h)×\(w) input too small for kernel \(kernel)")
    precondition(w * stride < Int(Int32.max) / 2, "maxPool2d: rows of \(w) are too wide")
    var y = Tensor(uninitializedShape: [n, c, oh, ow])
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            ck_max_pool(instructionSet.c, px.baseAddress!, n * c, h, w, kernel, stride, padding, py.baseAddress!, oh, ow)
        }
    }
    return y
}
