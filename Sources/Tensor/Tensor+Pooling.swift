/// Max-pooling over NCHW, as PyTorch's `nn.MaxPool2d` (dilation 1, floor mode): padded positions
/// never win. x (N, C, H, W) → (N, C, OH, OW), OH = (H + 2·padding − kernel)/stride + 1.
///
///     let y = maxPool2d(x /*(N, 64, 112, 112)*/, kernel: 3, stride: 2, padding: 1)   // (N, 64, 56, 56)
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int, padding: Int = 0) -> Tensor {
    let (n, c, h, w) = x.nchw("maxPool2d")
    precondition(kernel >= 1 && stride >= 1 && padding >= 0 && 2 * padding <= kernel,
                 "maxPool2d: kernel \(kernel), stride \(stride), padding \(padding)")
    let g = WindowGeometry(height: h, width: w, kernelHeight: kernel, kernelWidth: kernel, stride: stride,
                           padding: Padding2D(padding))
    let (oh, ow) = (g.outHeight, g.outWidth)
    precondition(oh >= 1 && ow >= 1, "maxPool2d: \(h)×\(w) input too small for kernel \(kernel)")
    var y = Tensor(uninitializedShape: [n, c, oh, ow])
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            for plane in 0..<(n * c) {
                let input = px.baseAddress! + plane * h * w   // (H, W)
                let output = py.baseAddress! + plane * oh * ow  // (OH, OW)
                for oy in 0..<oh {
                    let row = output + oy * ow
                    row.update(repeating: -.infinity, count: ow)
                    for ky in 0..<kernel {
                        let iy = oy * stride - padding + ky
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<kernel {
                            let src = input + iy * w + kx - padding  // input at ox = 0
                            for ox in indices(ow, stride: stride, offset: kx - padding, landingIn: w) {
                                row[ox] = max(row[ox], src[ox * stride])
                            }
                        }
                    }
                }
            }
        }
    }
    return y
}
