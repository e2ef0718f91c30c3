/// Bilinear sampling at normalized points, as PyTorch's
/// `grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)` with the
/// points as a (N, 1, P, 2) grid: x ∈ [−1, 1] maps to column (x + 1)/2·(W − 1), y to rows;
/// corners outside the plane contribute zero.
///
/// x (N, C, H, W) — or (C, N, H, W) with `layout: .cnhw` — and points (N, P, 2) as (x, y)
/// → (N, C, P).
///
///     let features = gridSample(phi /*(N, 256, 14, 14)*/, points: grid /*(N, 441, 2)*/)   // (N, 256, 441)
public func gridSample(_ x: Tensor, points: Tensor, layout: ActivationLayout = .nchw) -> Tensor {
    let (n, c, h, w) = layout.extents(x, "gridSample")
    precondition(points.shape.count == 3 && points.shape[0] == n && points.shape[2] == 2,
                 "gridSample: points must be (\(n), P, 2), got \(points.shape)")
    let p = points.shape[1]
    var y = Tensor(uninitializedShape: [n, c, p])
    // Per point: its four corners' flat offsets and weights, a weight of 0 where a corner lies
    // outside. Worked out once per frame, then each channel plane (in cache) samples every point.
    var offsets = [(Int, Int, Int, Int)](repeating: (0, 0, 0, 0), count: p)
    var weights = [(Float, Float, Float, Float)](repeating: (0, 0, 0, 0), count: p)
    x.data.withUnsafeBufferPointer { px in
        points.data.withUnsafeBufferPointer { pp in
            y.data.withUnsafeMutableBufferPointer { py in
                for i in 0..<n {
                    for j in 0..<p {
                        let gx = pp[(i * p + j) * 2], gy = pp[(i * p + j) * 2 + 1]
                        let fx = (gx + 1) / 2 * Float(w - 1), fy = (gy + 1) / 2 * Float(h - 1)
                        let x0f = fx.rounded(.down), y0f = fy.rounded(.down)
                        let tx = fx - x0f, ty = fy - y0f
                        offsets[j] = (0, 0, 0, 0)
                        weights[j] = (0, 0, 0, 0)
                        if x0f.isFinite && y0f.isFinite && abs(x0f) < 1e9 && abs(y0f) < 1e9 {
                            let x0 = Int(x0f), y0 = Int(y0f)
                            func corner(_ yy: Int, _ xx: Int, _ wt: Float) -> (Int, Float) {
                                (yy >= 0 && yy < h && xx >= 0 && xx < w) ? (yy * w + xx, wt) : (0, 0)
                            }
                            let a = corner(y0, x0, (1 - tx) * (1 - ty)), b = corner(y0, x0 + 1, tx * (1 - ty))
                            let cc = corner(y0 + 1, x0, (1 - tx) * ty), d = corner(y0 + 1, x0 + 1, tx * ty)
                            offsets[j] = (a.0, b.0, cc.0, d.0)
                            weights[j] = (a.1, b.1, cc.1, d.1)
                        }
                    }
                    offsets.withUnsafeBufferPointer { po in
                        weights.withUnsafeBufferPointer { pw in
                            for ch in 0..<c {
                                let plane = px.baseAddress! + layout.plane(frame: i, channel: ch, frames: n, channels: c) * h * w
                                let out = py.baseAddress! + (i * c + ch) * p   // (P)
                                for j in 0..<p {
                                    let (o, wt) = (po[j], pw[j])
                                    out[j] = plane[o.0] * wt.0 + plane[o.1] * wt.1 + plane[o.2] * wt.2 + plane[o.3] * wt.3
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return y
}

/// Bilinear resize with half-pixel centres, as TFLite's RESIZE_BILINEAR with
/// `half_pixel_centers = true`, `align_corners = false`: src = (dst + 0.5)·in/out − 0.5,
/// lo = max(⌊src⌋, 0), hi = min(⌈src⌉, in − 1), weight of hi = src − ⌊src⌋.
///
/// x (N, C, H, W) → (N, C, height, width).
public func resizeBilinear(_ x: Tensor, height: Int, width: Int) -> Tensor {
    let (n, c, h, w) = x.nchw("resizeBilinear")
    precondition(height >= 1 && width >= 1, "resizeBilinear: target \(height)×\(width)")
    func taps(_ outCount: Int, _ inCount: Int) -> [(lo: Int, hi: Int, frac: Float)] {
        let scale = Float(inCount) / Float(outCount)
        return (0..<outCount).map { d in
            let src = (Float(d) + 0.5) * scale - 0.5
            let f = src.rounded(.down)
            return (max(Int(f), 0), min(Int(src.rounded(.up)), inCount - 1), src - f)
        }
    }
    let ys = taps(height, h), xs = taps(width, w)
    var y = Tensor(uninitializedShape: [n, c, height, width])
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            for plane in 0..<(n * c) {
                let input = px.baseAddress! + plane * h * w            // (H, W)
                let output = py.baseAddress! + plane * height * width  // (height, width)
                for oy in 0..<height {
                    let (y0, y1, fy) = ys[oy]
                    let top = input + y0 * w, bottom = input + y1 * w
                    for ox in 0..<width {
                        let (x0, x1, fx) = xs[ox]
                        let t = top[x0] + (top[x1] - top[x0]) * fx
                        let b = bottom[x0] + (bottom[x1] - bottom[x0]) * fx
                        output[oy * width + ox] = t + (b - t) * fy
                    }
                }
            }
        }
    }
    return y
}
