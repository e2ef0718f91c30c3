/// TF's DEPTH_TO_SPACE (DCR order) expressed in NCHW:
/// out[n, c, h·b + i, w·b + j] = in[n, (i·b + j)·C' + c, h, w] with C' = C / b².
///
/// x (N, C, H, W) → (N, C/b², H·b, W·b).
public func depthToSpace(_ x: Tensor, blockSize b: Int) -> Tensor {
    let (n, c, h, w) = x.nchw("depthToSpace")
    precondition(b >= 1 && c % (b * b) == 0, "depthToSpace: \(c) channels not divisible by \(b)²")
    let co = c / (b * b)
    var y = Tensor(uninitializedShape: [n, co, h * b, w * b])
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            for ni in 0..<n {
                for i in 0..<b {
                    for j in 0..<b {
                        for ch in 0..<co {
                            let input = px.baseAddress! + ((ni * c) + (i * b + j) * co + ch) * h * w  // (H, W)
                            let output = py.baseAddress! + (ni * co + ch) * h * b * w * b + i * w * b + j
                            for yy in 0..<h {
                                let dst = output + yy * b * w * b
                                let src = input + yy * w
                                for xx in 0..<w { dst[xx * b] = src[xx] }
                            }
                        }
                    }
                }
            }
        }
    }
    return y
}

/// Constant padding of the two spatial axes: x (N, C, H, W) → (N, C, H + top + bottom, W + left + right).
public func pad(_ x: Tensor, _ padding: Padding2D, value: Float = 0) -> Tensor {
    let (n, c, h, w) = x.nchw("pad")
    let oh = h + padding.top + padding.bottom, ow = w + padding.left + padding.right
    var y = Tensor(shape: [n, c, oh, ow], data: [Float](repeating: value, count: n * c * oh * ow))
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            for plane in 0..<(n * c) {
                for yy in 0..<h {
                    (py.baseAddress! + (plane * oh + yy + padding.top) * ow + padding.left)
                        .update(from: px.baseAddress! + (plane * h + yy) * w, count: w)
                }
            }
        }
    }
    return y
}

/// Joins tensors along `axis`; every other extent must agree.
///
///     concatenate([a /*(N, 128, P)*/, b /*(N, 256, P)*/], axis: 1)   // (N, 384, P)
public func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate: no tensors")
    let rank = tensors[0].shape.count
    precondition(axis >= 0 && axis < rank, "concatenate: axis \(axis) out of range for rank \(rank)")
    for t in tensors {
        precondition(t.shape.count == rank && (0..<rank).allSatisfy { $0 == axis || t.shape[$0] == tensors[0].shape[$0] },
                     "concatenate: shape \(t.shape) does not match \(tensors[0].shape) off axis \(axis)")
    }
    var shape = tensors[0].shape
    shape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    var y = Tensor(uninitializedShape: shape)
    y.data.withUnsafeMutableBufferPointer { py in
        var start = 0  // offset along the axis, in units of `inner`
        for t in tensors {
            let chunk = t.shape[axis] * inner
            t.data.withUnsafeBufferPointer { pt in
                for o in 0..<outer {
                    (py.baseAddress! + o * shape[axis] * inner + start).update(from: pt.baseAddress! + o * chunk, count: chunk)
                }
            }
            start += chunk
        }
    }
    return y
}
