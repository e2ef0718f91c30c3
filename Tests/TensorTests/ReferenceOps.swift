@testable import Tensor

// Plain, obviously-correct versions of every op, straight from the definitions, in Double.

/// PyTorch's Conv2d definition, element by element (with TF-style asymmetric padding and groups).
func referenceConv2D(_ x: Tensor, weight: Tensor, bias: [Float]?, stride: Int, padding: Padding2D, groups: Int,
                     residual: Tensor? = nil, activation: Activation = .none) -> Reference {
    let (n, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, cpg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let oh = (h + padding.top + padding.bottom - kh) / stride + 1
    let ow = (w + padding.left + padding.right - kw) / stride + 1
    let outPerGroup = cout / groups
    var values = [Double](), magnitudes = [Double]()
    for ni in 0..<n {
        for co in 0..<cout {
            let g = co / outPerGroup
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var sum = Double(bias?[co] ?? 0), mag = abs(sum)
                    for ci in 0..<cpg {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let iy = oy * stride - padding.top + ky, ix = ox * stride - padding.left + kx
                                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                let term = Double(x.data[((ni * cin + g * cpg + ci) * h + iy) * w + ix])
                                    * Double(weight.data[((co * cpg + ci) * kh + ky) * kw + kx])
                                sum += term
                                mag += abs(term)
                            }
                        }
                    }
                    let index = ((ni * cout + co) * oh + oy) * ow + ox
                    if let residual {
                        sum += Double(residual.data[index])
                        mag += abs(Double(residual.data[index]))
                    }
                    values.append(applyReference(activation, sum))
                    magnitudes.append(mag)
                }
            }
        }
    }
    return Reference(shape: [n, cout, oh, ow], values: values, magnitudes: magnitudes, operationCount: cpg * kh * kw + 1)
}

/// PyTorch's ConvTranspose2d definition: every input pixel spreads its kernel over the output.
func referenceConvTranspose2D(_ x: Tensor, weight: Tensor, bias: [Float]?, stride: Int, padding: Int,
                              activation: Activation = .none) -> Reference {
    let (n, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, kh, kw) = (weight.shape[1], weight.shape[2], weight.shape[3])
    let oh = (h - 1) * stride - 2 * padding + kh, ow = (w - 1) * stride - 2 * padding + kw
    var values = [Double](repeating: 0, count: n * cout * oh * ow)
    var magnitudes = values
    for ni in 0..<n {
        for ci in 0..<cin {
            for iy in 0..<h {
                for ix in 0..<w {
                    for co in 0..<cout {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let oy = iy * stride - padding + ky, ox = ix * stride - padding + kx
                                guard oy >= 0, oy < oh, ox >= 0, ox < ow else { continue }
                                let term = Double(x.data[((ni * cin + ci) * h + iy) * w + ix])
                                    * Double(weight.data[((ci * cout + co) * kh + ky) * kw + kx])
                                let index = ((ni * cout + co) * oh + oy) * ow + ox
                                values[index] += term
                                magnitudes[index] += abs(term)
                            }
                        }
                    }
                }
            }
        }
    }
    for ni in 0..<n {
        for co in 0..<cout {
            for p in 0..<(oh * ow) {
                let index = (ni * cout + co) * oh * ow + p
                let b = Double(bias?[co] ?? 0)
                values[index] = applyReference(activation, values[index] + b)
                magnitudes[index] += abs(b)
            }
        }
    }
    // Each output sums at most Cin·⌈kH/s⌉·⌈kW/s⌉ products.
    let taps = cin * ((kh + stride - 1) / stride) * ((kw + stride - 1) / stride)
    return Reference(shape: [n, cout, oh, ow], values: values, magnitudes: magnitudes, operationCount: taps + 1)
}

/// Eval-mode batch-norm over axis 1 of an NCHW reference result.
func referenceBatchNorm(_ r: Reference, gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Double) -> Reference {
    var out = r
    let c = r.shape[1], plane = r.shape[2] * r.shape[3]
    for i in r.values.indices {
        let ch = (i / plane) % c
        let scale = Double(gamma[ch]) / (Double(variance[ch]) + epsilon).squareRoot()
        out.values[i] = (r.values[i] - Double(mean[ch])) * scale + Double(beta[ch])
        out.magnitudes[i] = (r.magnitudes[i] + abs(Double(mean[ch]))) * abs(scale) + abs(Double(beta[ch]))
    }
    out.operationCount += 3  // the folded scale and bias each add a rounding
    return out
}

func referenceMaxPool(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * padding - kernel) / stride + 1, ow = (w + 2 * padding - kernel) / stride + 1
    var y = [Float]()
    for plane in 0..<(n * c) {
        for oy in 0..<oh {
            for ox in 0..<ow {
                var best = -Float.infinity
                for ky in 0..<kernel {
                    for kx in 0..<kernel {
                        let iy = oy * stride - padding + ky, ix = ox * stride - padding + kx
                        if iy >= 0, iy < h, ix >= 0, ix < w { best = max(best, x.data[(plane * h + iy) * w + ix]) }
                    }
                }
                y.append(best)
            }
        }
    }
    return Tensor(shape: [n, c, oh, ow], data: y)
}

/// grid_sample, bilinear, zeros padding, align_corners = true, in Double.
func referenceGridSample(_ x: Tensor, points: Tensor) -> [Double] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let p = points.shape[1]
    var y = [Double](repeating: 0, count: n * c * p)
    for ni in 0..<n {
        for j in 0..<p {
            let fx = (Double(points.data[(ni * p + j) * 2]) + 1) / 2 * Double(w - 1)
            let fy = (Double(points.data[(ni * p + j) * 2 + 1]) + 1) / 2 * Double(h - 1)
            let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
            for ch in 0..<c {
                var sum = 0.0
                for (yy, xx) in [(y0, x0), (y0, x0 + 1), (y0 + 1, x0), (y0 + 1, x0 + 1)] {
                    guard yy >= 0, yy < h, xx >= 0, xx < w else { continue }
                    let weight = (1 - abs(fx - Double(xx))) * (1 - abs(fy - Double(yy)))
                    sum += weight * Double(x.data[((ni * c + ch) * h + yy) * w + xx])
                }
                y[(ni * c + ch) * p + j] = sum
            }
        }
    }
    return y
}

/// TFLite RESIZE_BILINEAR, half_pixel_centers = true, written from its formula in Double.
func referenceResizeBilinear(_ x: Tensor, height: Int, width: Int) -> [Double] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    var y = [Double]()
    for plane in 0..<(n * c) {
        for oy in 0..<height {
            let sy = (Double(oy) + 0.5) * Double(h) / Double(height) - 0.5
            let y0 = max(Int(sy.rounded(.down)), 0), y1 = min(Int(sy.rounded(.up)), h - 1), fy = sy - sy.rounded(.down)
            for ox in 0..<width {
                let sx = (Double(ox) + 0.5) * Double(w) / Double(width) - 0.5
                let x0 = max(Int(sx.rounded(.down)), 0), x1 = min(Int(sx.rounded(.up)), w - 1), fx = sx - sx.rounded(.down)
                func at(_ yy: Int, _ xx: Int) -> Double { Double(x.data[(plane * h + yy) * w + xx]) }
                let top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx
                let bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx
                y.append(top * (1 - fy) + bottom * fy)
            }
        }
    }
    return y
}

/// NCHW ↔ NHWC transposes, to state TF ops in their own layout.
func toNHWC(_ x: Tensor) -> [Float] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    var y = [Float](repeating: 0, count: x.count)
    for ni in 0..<n { for ch in 0..<c { for yy in 0..<h { for xx in 0..<w {
        y[((ni * h + yy) * w + xx) * c + ch] = x.data[((ni * c + ch) * h + yy) * w + xx]
    } } } }
    return y
}

func fromNHWC(_ y: [Float], n: Int, h: Int, w: Int, c: Int) -> Tensor {
    var x = [Float](repeating: 0, count: y.count)
    for ni in 0..<n { for ch in 0..<c { for yy in 0..<h { for xx in 0..<w {
        x[((ni * c + ch) * h + yy) * w + xx] = y[((ni * h + yy) * w + xx) * c + ch]
    } } } }
    return Tensor(shape: [n, c, h, w], data: x)
}

/// TF DEPTH_TO_SPACE in NHWC: out[h·b + i, w·b + j, c] = in[h, w, (i·b + j)·C' + c].
func referenceDepthToSpace(_ x: Tensor, blockSize b: Int) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let co = c / (b * b)
    let input = toNHWC(x)
    var out = [Float](repeating: 0, count: x.count)
    for ni in 0..<n { for yy in 0..<h { for xx in 0..<w { for i in 0..<b { for j in 0..<b { for ch in 0..<co {
        out[((ni * h * b + yy * b + i) * w * b + xx * b + j) * co + ch] = input[((ni * h + yy) * w + xx) * c + (i * b + j) * co + ch]
    } } } } } }
    return fromNHWC(out, n: n, h: h * b, w: w * b, c: co)
}
