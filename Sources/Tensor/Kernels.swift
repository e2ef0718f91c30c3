// Inner loops shared by the convolution ops: the GEMM epilogue, im2col and col2im.
// All pointers are raw row-major storage; shapes are given in the comment of each function.

/// The indices `i` in `0..<count` with `i·stride + offset` in `0..<bound` (possibly empty).
@inline(__always)
func indices(_ count: Int, stride: Int, offset: Int, landingIn bound: Int) -> Range<Int> {
    // i·s + off ≥ 0  ⇔  i ≥ ceil(−off / s);   i·s + off ≤ bound − 1  ⇔  i ≤ floor((bound − 1 − off) / s)
    let lo = max(0, ceilDivide(-offset, stride))
    let hi = min(count, floorDivide(bound - 1 - offset, stride) + 1)
    return lo < hi ? lo..<hi : lo..<lo
}

@inline(__always)
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always)
func ceilDivide(_ a: Int, _ b: Int) -> Int {
    -floorDivide(-a, b)
}

/// dst[i] = activation(src[i] + bias + residual[i]) for i in 0..<count (`residual` optional;
/// `dst` may equal `src`). This is the output pass that follows every GEMM.
@inline(__always)
func epilogue(
    _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int,
    bias: Float, residual: UnsafePointer<Float>?, activation: Activation
) {
    @inline(__always)
    func run(_ f: (Float) -> Float) {
        if let residual {
            for i in 0..<count { dst[i] = f(src[i] + bias + residual[i]) }
        } else {
            for i in 0..<count { dst[i] = f(src[i] + bias) }
        }
    }
    switch activation {
    case .none: run { $0 }
    case .relu: run { max($0, 0) }
    case .relu6: run { min(max($0, 0), 6) }
    case .leakyReLU(let slope): run { $0 >= 0 ? $0 : slope * $0 }
    }
}

/// Geometry of one 2-D sliding window over an (H, W) plane.
struct WindowGeometry {
    var height: Int, width: Int  // input plane
    var kernelHeight: Int, kernelWidth: Int
    var stride: Int
    var padding: Padding2D
    var outHeight: Int { (height + padding.top + padding.bottom - kernelHeight) / stride + 1 }
    var outWidth: Int { (width + padding.left + padding.right - kernelWidth) / stride + 1 }
}

/// im2col of one frame: x (C, H, W) → cols (C·kH·kW, OH·OW), row r = (c·kH + ky)·kW + kx,
/// column oy·OW + ox, each row `ld` floats apart (zeros where the window leaves the plane).
func im2col(_ x: UnsafePointer<Float>, channels: Int, _ g: WindowGeometry,
            into cols: UnsafeMutablePointer<Float>, ld: Int) {
    let (h, w, s) = (g.height, g.width, g.stride)
    let (oh, ow) = (g.outHeight, g.outWidth)
    for c in 0..<channels {
        let plane = x + c * h * w  // (H, W)
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let row = cols + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * ld  // (OH·OW)
                let xs = indices(ow, stride: s, offset: kx - g.padding.left, landingIn: w)
                for oy in 0..<oh {
                    let dst = row + oy * ow  // (OW)
                    let iy = oy * s - g.padding.top + ky
                    guard iy >= 0 && iy < h && !xs.isEmpty else {
                        dst.update(repeating: 0, count: ow)
                        continue
                    }
                    if xs.lowerBound > 0 { dst.update(repeating: 0, count: xs.lowerBound) }
                    if xs.upperBound < ow { (dst + xs.upperBound).update(repeating: 0, count: ow - xs.upperBound) }
                    let src = plane + iy * w + kx - g.padding.left  // input at ox = 0 (may point before the row)
                    if s == 1 {
                        (dst + xs.lowerBound).update(from: src + xs.lowerBound, count: xs.count)
                    } else {
                        for ox in xs { dst[ox] = src[ox * s] }
                    }
                }
            }
        }
    }
}

/// col2im of one frame, accumulating: cols (C·kH·kW, H·W) with rows `ld` apart → out (C, OH, OW)
/// with out[c][iy·s − pad + ky][ix·s − pad + kx] += cols[(c·kH + ky)·kW + kx][iy·W + ix].
/// This is the scatter half of a transposed convolution; `out` must be initialised.
func col2imAdd(_ cols: UnsafePointer<Float>, ld: Int, channels: Int,
               inHeight h: Int, inWidth w: Int, kernelHeight kh: Int, kernelWidth kw: Int,
               stride s: Int, padding p: Int, outHeight oh: Int, outWidth ow: Int,
               into out: UnsafeMutablePointer<Float>) {
    for c in 0..<channels {
        let plane = out + c * oh * ow  // (OH, OW)
        for ky in 0..<kh {
            let ys = indices(h, stride: s, offset: ky - p, landingIn: oh)
            for kx in 0..<kw {
                let row = cols + ((c * kh + ky) * kw + kx) * ld  // (H·W)
                let xs = indices(w, stride: s, offset: kx - p, landingIn: ow)
                for iy in ys {
                    let dst = plane + (iy * s - p + ky) * ow + kx - p  // output at ix = 0
                    let src = row + iy * w
                    for ix in xs { dst[ix * s] += src[ix] }
                }
            }
        }
    }
}
