extension MeshRasterizer {
    /// Rasterizes every non-empty tile into per-sample depth and triangle buffers and resolves it
    /// into the targets and mattes.
    ///
    /// Shading is per pixel and triangle (as multisampling does it): a pixel's samples covered by
    /// one triangle take that triangle's colour at the first of them, so the fill loop only tests
    /// and writes depth and a triangle index.
    func rasterizeTiles(width: Int, height: Int, targets: inout [RGBImage], mattes: inout [[UInt8]], combined: inout [UInt8]) {
        let s = options.samplesPerAxis
        let tile = Self.tilePixels
        let tileSamples = tile * s
        let tilesX = (width + tile - 1) / tile
        let tilesY = (height + tile - 1) / tile
        let samplesPerPixel = Float(s * s)
        var sampleDepth = [Float](repeating: .infinity, count: tileSamples * tileSamples)  // (tileSamples, tileSamples)
        var sampleTriangle = [Int32](repeating: -1, count: tileSamples * tileSamples)  // index into setups, −1 empty
        var premultiplied = [SIMD3<Float>](repeating: .zero, count: tile * tile)  // (tile, tile) colour · coverage
        var coverage = [Float](repeating: 0, count: tile * tile)  // (tile, tile) in 0...1
        var ownerCounts = [Int32](repeating: 0, count: max(mattes.count, 1))
        let step = Int64(1) << Self.subSampleBits
        let anyMattes = !mattes.isEmpty

        for tileY in 0..<tilesY {
            for tileX in 0..<tilesX {
                let tileIndex = tileY * tilesX + tileX
                let first = Int(tileCounts[tileIndex]), end = Int(tileCounts[tileIndex + 1])
                if first == end { continue }
                let pixelX0 = tileX * tile, pixelY0 = tileY * tile
                let pixelsW = min(tile, width - pixelX0), pixelsH = min(tile, height - pixelY0)
                let sampleX0 = pixelX0 * s, sampleY0 = pixelY0 * s
                let rowStride = pixelsW * s

                // The part of the tile the triangles' boxes reach, in whole pixels (tile-local).
                var low = SIMD2(rowStride, pixelsH * s), high = SIMD2(-1, -1)
                setups.withUnsafeBufferPointer { triangles in
                    tileTriangles.withUnsafeBufferPointer { list in
                        for k in first..<end {
                            let t = triangles[Int(list[k])]
                            low = pointwiseMin(low, SIMD2(max(Int(t.minX) - sampleX0, 0), max(Int(t.minY) - sampleY0, 0)))
                            high = pointwiseMax(high, SIMD2(min(Int(t.maxX) - sampleX0, rowStride - 1), min(Int(t.maxY) - sampleY0, pixelsH * s - 1)))
                        }
                    }
                }
                if low.x > high.x || low.y > high.y { continue }
                let pixelLow = low / s, pixelHigh = high / s

                sampleDepth.withUnsafeMutableBufferPointer { depth in
                    sampleTriangle.withUnsafeMutableBufferPointer { triangle in
                        for y in (pixelLow.y * s)..<((pixelHigh.y + 1) * s) {
                            let row = y * rowStride
                            for x in (pixelLow.x * s)..<((pixelHigh.x + 1) * s) {
                                depth[row + x] = .infinity
                                triangle[row + x] = -1
                            }
                        }
                        setups.withUnsafeBufferPointer { triangles in
                            tileTriangles.withUnsafeBufferPointer { list in
                                for k in first..<end {
                                    let index = list[k]
                                    let t = triangles[Int(index)]
                                    let xs = max(Int(t.minX), sampleX0), xe = min(Int(t.maxX), sampleX0 + rowStride - 1)
                                    let ys = max(Int(t.minY), sampleY0), ye = min(Int(t.maxY), sampleY0 + pixelsH * s - 1)
                                    if xs > xe || ys > ye { continue }
                                    Self.fill(t, index: index, xs: xs, xe: xe, ys: ys, ye: ye, originX: sampleX0, originY: sampleY0,
                                              rowStride: rowStride, step: step, depth: depth, triangle: triangle)
                                }
                            }
                        }
                    }
                }

                // Resolve: each pixel's covered fraction and mean colour, and the matte counts.
                setups.withUnsafeBufferPointer { triangles in
                    for py in pixelLow.y...pixelHigh.y {
                        for px in pixelLow.x...pixelHigh.x {
                            var covered: Int32 = 0
                            var sum = SIMD3<Float>.zero
                            var lastTriangle: Int32 = -1
                            var lastColour = SIMD3<Float>.zero
                            for sy in 0..<s {
                                let base = (py * s + sy) * rowStride + px * s
                                for sx in 0..<s {
                                    let id = sampleTriangle[base + sx]
                                    if id < 0 { continue }
                                    covered += 1
                                    if id != lastTriangle {
                                        lastTriangle = id
                                        // Shade at this sample, which the triangle covers (no extrapolation).
                                        lastColour = triangles[Int(id)].colour(at: Float(sampleX0 + px * s + sx), Float(sampleY0 + py * s + sy))
                                    }
                                    sum += lastColour
                                    if anyMattes { ownerCounts[Int(triangles[Int(id)].owner)] += 1 }
                                }
                            }
                            premultiplied[py * tile + px] = sum / samplesPerPixel
                            coverage[py * tile + px] = Float(covered) / samplesPerPixel
                            if anyMattes && covered > 0 {
                                let pixel = (pixelY0 + py) * width + pixelX0 + px
                                combined[pixel] = Self.alphaByte(covered, samplesPerPixel)
                                for o in 0..<mattes.count where ownerCounts[o] > 0 {
                                    mattes[o][pixel] = Self.alphaByte(ownerCounts[o], samplesPerPixel)
                                    ownerCounts[o] = 0
                                }
                            }
                        }
                    }
                }
                for k in targets.indices {
                    targets[k].rgb.withUnsafeMutableBufferPointer { rgb in
                        for py in pixelLow.y...pixelHigh.y {
                            var o = ((pixelY0 + py) * width + pixelX0 + pixelLow.x) * 3
                            for px in pixelLow.x...pixelHigh.x {
                                let alpha = coverage[py * tile + px]
                                if alpha > 0 {
                                    let c = premultiplied[py * tile + px] * 255
                                    let keep = 1 - alpha
                                    rgb[o] = UInt8(min(255, Float(rgb[o]) * keep + c.x + 0.5))
                                    rgb[o + 1] = UInt8(min(255, Float(rgb[o + 1]) * keep + c.y + 0.5))
                                    rgb[o + 2] = UInt8(min(255, Float(rgb[o + 2]) * keep + c.z + 0.5))
                                }
                                o += 3
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func alphaByte(_ count: Int32, _ samplesPerPixel: Float) -> UInt8 {
        UInt8(min(255, (Float(count) * 255 / samplesPerPixel).rounded()))
    }

    /// Scan-converts one triangle over a sample rectangle of a tile: for each row, the exact span
    /// where all three integer edge functions are ≥ 0 (integer floor/ceil divisions, so the tie
    /// rule holds exactly), then a per-sample depth test along the span.
    @inline(__always)
    static func fill(_ t: TriangleSetup, index: Int32, xs: Int, xe: Int, ys: Int, ye: Int, originX: Int, originY: Int,
                     rowStride: Int, step: Int64, depth: UnsafeMutableBufferPointer<Float>, triangle: UnsafeMutableBufferPointer<Int32>) {
        // Edge P→Q: E(x, y) = (Qx − Px)(y − Py) − (Qy − Py)(x − Px); inside when all three are ≥ 0.
        let px = Int64(xs) * step, py = Int64(ys) * step
        let e0 = edge(t.b, t.c), e1 = edge(t.c, t.a), e2 = edge(t.a, t.b)
        var row0 = e0.value(px, py), row1 = e1.value(px, py), row2 = e2.value(px, py)
        let dx0 = e0.dx * step, dx1 = e1.dx * step, dx2 = e2.dx * step
        let dy0 = e0.dy * step, dy1 = e1.dy * step, dy2 = e2.dy * step
        let width = Int64(xe - xs)
        for y in ys...ye {
            var low: Int64 = 0, high = width
            span(row0, dx0, &low, &high)
            span(row1, dx1, &low, &high)
            span(row2, dx2, &low, &high)
            if low <= high {
                let x0 = xs + Int(low)
                var z = t.depth + t.depthDX * (Float(x0) - t.origin.x) + t.depthDY * (Float(y) - t.origin.y)
                var i = (y - originY) * rowStride + (x0 - originX)
                for _ in low...high {
                    if z < depth[i] {
                        depth[i] = z
                        triangle[i] = index
                    }
                    z += t.depthDX
                    i += 1
                }
            }
            row0 += dy0
            row1 += dy1
            row2 += dy2
        }
    }

    /// Narrows [low, high] (sample offsets along a row) to where e + slope·x ≥ 0.
    @inline(__always)
    static func span(_ e: Int64, _ slope: Int64, _ low: inout Int64, _ high: inout Int64) {
        if slope > 0 {
            if e < 0 { low = max(low, (-e + slope - 1) / slope) }
        } else if slope < 0 {
            if e < 0 { high = -1 } else { high = min(high, e / -slope) }
        } else if e < 0 {
            high = -1
        }
    }

    /// Edge function coefficients with the tie rule folded into the constant: a sample exactly on
    /// the edge belongs to this triangle when (dx > 0) or (dx == 0 and dy > 0), which is true for
    /// exactly one of the two triangles sharing the edge (their coefficients are negated).
    @inline(__always)
    static func edge(_ p: SIMD2<Int64>, _ q: SIMD2<Int64>) -> EdgeFunction {
        let dx = -(q.y - p.y), dy = q.x - p.x
        let owned = dx > 0 || (dx == 0 && dy > 0)
        return EdgeFunction(dx: dx, dy: dy, origin: p, bias: owned ? 0 : -1)
    }
}

/// E(x, y) = dx·(x − origin.x) + dy·(y − origin.y) + bias, in fixed-point sample units.
struct EdgeFunction {
    var dx: Int64
    var dy: Int64
    var origin: SIMD2<Int64>
    var bias: Int64

    @inline(__always)
    func value(_ x: Int64, _ y: Int64) -> Int64 { dx * (x - origin.x) + dy * (y - origin.y) + bias }
}
