extension RGBImage {
    /// This picture resampled to `width`×`height` with a separable tent filter whose support widens
    /// when shrinking (anti-aliased, like the reference's `resize(..., anti_aliasing=True)`).
    ///
    /// - Complexity: O(width·height·support) per axis.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "resized: size \(newWidth)x\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        let horizontal = Self.tentWeights(source: width, target: newWidth)
        let vertical = Self.tentWeights(source: height, target: newHeight)
        var rows = [Float](repeating: 0, count: newWidth * height * 3)  // (height, newWidth, 3)
        rgb.withUnsafeBufferPointer { src in
            for y in 0..<height {
                for x in 0..<newWidth {
                    var acc = SIMD3<Float>.zero
                    for (i, w) in horizontal[x] {
                        let o = (y * width + i) * 3
                        acc += w * SIMD3(Float(src[o]), Float(src[o + 1]), Float(src[o + 2]))
                    }
                    let o = (y * newWidth + x) * 3
                    rows[o] = acc.x
                    rows[o + 1] = acc.y
                    rows[o + 2] = acc.z
                }
            }
        }
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                var acc = SIMD3<Float>.zero
                for (j, w) in vertical[y] {
                    let o = (j * newWidth + x) * 3
                    acc += w * SIMD3(rows[o], rows[o + 1], rows[o + 2])
                }
                let o = (y * newWidth + x) * 3
                out[o] = UInt8(max(0, min(255, acc.x.rounded())))
                out[o + 1] = UInt8(max(0, min(255, acc.y.rounded())))
                out[o + 2] = UInt8(max(0, min(255, acc.z.rounded())))
            }
        }
        return RGBImage(unchecked: newWidth, newHeight, out)
    }

    /// For each target index, the source indices and normalized weights of a tent filter centred
    /// on the target pixel's centre (half-pixel centres), radius max(1, source/target) pixels.
    static func tentWeights(source: Int, target: Int) -> [[(Int, Float)]] {
        let scale = Float(source) / Float(target)
        let radius = max(1, scale)
        return (0..<target).map { t in
            let centre = (Float(t) + 0.5) * scale - 0.5
            let low = Int((centre - radius).rounded(.up)), high = Int((centre + radius).rounded(.down))
            var taps: [(Int, Float)] = []
            var total: Float = 0
            for i in low...high {
                let w = max(0, 1 - abs(Float(i) - centre) / radius)
                if w > 0 {
                    taps.append((min(max(i, 0), source - 1), w))
                    total += w
                }
            }
            if taps.isEmpty { return [(min(max(Int(centre.rounded()), 0), source - 1), 1)] }
            return taps.map { ($0.0, $0.1 / total) }
        }
    }
}
