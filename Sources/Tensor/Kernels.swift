internal import CKernels

// Inner loops shared by the convolution ops: the GEMM epilogue and im2col.
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

/// Calls `body` with the activation as a closure the optimizer inlines into the caller's loop.
@inline(__always)
func withActivation(_ activation: Activation, _ body: ((Float) -> Float) -> Void) {
    switch activation {
    case .none: body { $0 }
    case .relu: body { max($0, 0) }
    case .relu6: body { min(max($0, 0), 6) }
    case .leakyReLU(let slope): body { $0 >= 0 ? $0 : slope * $0 }
    }
}

/// dst[i·dstStride] = activation(src[i] + bias + residual[i]) for i in 0..<count (`residual`
/// optional; `dst` may equal `src` when the stride is 1). This is the output pass after a GEMM.
@inline(__always)
func epilogue(
    _ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int,
    bias: Float, residual: UnsafePointer<Float>?, activation: Activation, dstStride: Int = 1
) {
    withActivation(activation) { f in
        if dstStride == 1 {
            if let residual {
                for i in 0..<count { dst[i] = f(src[i] + bias + residual[i]) }
            } else {
                for i in 0..<count { dst[i] = f(src[i] + bias) }
            }
        } else {
            precondition(residual == nil, "epilogue: strided output takes no residual")
            for i in 0..<count { dst[i * dstStride] = f(src[i] + bias) }
        }
    }
}

/// dst[2i] = activation(even[i] + bias), dst[2i + 1] = activation(odd[i] + bias) for i in
/// 0..<count: two column phases of a stride-2 transposed convolution finished into one output
/// row, bit-identical to `epilogue` with dstStride 2 on each. The C function is `ck_interleave_pair`.
func interleavePair(
    _ even: UnsafePointer<Float>, _ odd: UnsafePointer<Float>, count: Int, bias: Float, activation: Activation,
    into dst: UnsafeMutablePointer<Float>, instructionSet: ChannelsLast.InstructionSet = .best
) {
    let c = activation.c
    ck_interleave_pair(instructionSet.c, even, odd, count, bias, c.kind, c.slope, dst)
}

/// Where a sliding window reads: output (oy, ox) with tap (ky, kx) reads input
/// (oy·stride + originY + ky, ox·stride + originX + kx); reads outside the plane are zero.
/// A convolution has origin = −padding; a phase of a transposed convolution has stride 1 and
/// its first input offset as origin.
struct WindowGeometry {
    var height: Int, width: Int              // input plane
    var kernelHeight: Int, kernelWidth: Int
    var stride: Int
    var originY: Int, originX: Int
    var outHeight: Int, outWidth: Int

    /// A convolution's window: origin −padding, output size from the padded extent.
    init(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Padding2D) {
        self.init(height: height, width: width, kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride,
                  originY: -padding.top, originX: -padding.left,
                  outHeight: (height + padding.top + padding.bottom - kernelHeight) / stride + 1,
                  outWidth: (width + padding.left + padding.right - kernelWidth) / stride + 1)
    }

    init(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int,
         originY: Int, originX: Int, outHeight: Int, outWidth: Int) {
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.originY = originY
        self.originX = originX
        self.outHeight = outHeight
        self.outWidth = outWidth
    }
}

/// im2col of one channel plane: x (H, W) → its kH·kW rows of cols, row ky·kW + kx holding
/// column oy·OW + ox; rows are `ld` floats apart.
func im2col(plane x: UnsafePointer<Float>, _ g: WindowGeometry, into rows: UnsafeMutablePointer<Float>, ld: Int) {
    let (h, w, s) = (g.height, g.width, g.stride)
    let (oh, ow) = (g.outHeight, g.outWidth)
    for ky in 0..<g.kernelHeight {
        let ys = indices(oh, stride: s, offset: g.originY + ky, landingIn: h)
        for kx in 0..<g.kernelWidth {
            let row = rows + (ky * g.kernelWidth + kx) * ld  // (OH·OW)
            let xs = indices(ow, stride: s, offset: g.originX + kx, landingIn: w)
            if ys.isEmpty || xs.isEmpty {
                row.update(repeating: 0, count: oh * ow)
                continue
            }
            if ys.lowerBound > 0 { row.update(repeating: 0, count: ys.lowerBound * ow) }
            if ys.upperBound < oh { (row + ys.upperBound * ow).update(repeating: 0, count: (oh - ys.upperBound) * ow) }
            for oy in ys {
                let dst = row + oy * ow  // (OW)
                if xs.lowerBound > 0 { dst.update(repeating: 0, count: xs.lowerBound) }
                if xs.upperBound < ow { (dst + xs.upperBound).update(repeating: 0, count: ow - xs.upperBound) }
                let src = x + (oy * s + g.originY + ky) * w + g.originX + kx  // input at ox = 0 (may point before the row)
                if s == 1 {
                    (dst + xs.lowerBound).update(from: src + xs.lowerBound, count: xs.count)
                } else {
                    for ox in xs { dst[ox] = src[ox * s] }
                }
            }
        }
    }
}
