extension MeshRasterizer {
    /// Rasterizes every non-empty tile into per-sample depth/colour/owner buffers and resolves it
    /// into the targets and mattes.
    func rasterizeTiles(width: Int, height: Int, targets: inout [RGBImage], mattes: inout [[UInt8]], combined: inout [UInt8]) {
        let s = options.samplesPerAxis
        let tile = Self.tilePixels
        let tileSamples = tile * s
        let tilesX = (width + tile - 1) / tile
        let tilesY = (height + tile - 1) / tile
        let samplesPerPixel = Float(s * s)
        var sampleDepth = [Float](repeating: .infinity, count: tileSamples * tileSamples)  // (tileSamples, tileSamples)
        var sampleOwner = [Int32](repeating: -1, count: tileSamples * tileSamples)
        var sampleColour = [SIMD3<Float>](repeating: .zero, count: tileSamples * tileSamples)
        var premultiplied = [SIMD3<Float>](repeating: .zero, count: tile * tile)  // (tile, tile) resolved colour · coverage
        var coverage = [Float](repeating: 0, count: tile * tile)  // (tile, tile) in 0...1
        var ownerCounts = [Int32](repeating: 0, count: max(mattes.count, 1))
        let shift = Self.subSampleBits
        let step = Int64(1) << shift

        for tileY in 0..<tilesY {
            for tileX in 0..<tilesX {
                let tileIndex = tileY * tilesX + tileX
                let first = Int(tileCounts[tileIndex]), end = Int(tileCounts[tileIndex + 1])
                if first == end { continue }
                let pixelX0 = tileX * tile, pixelY0 = tileY * tile
                let pixelsW = min(tile, width - pixelX0), pixelsH = min(tile, height - pixelY0)
                let sampleX0 = pixelX0 * s, sampleY0 = pixelY0 * s
                let rowStride = pixelsW * s
                let sampleCount = rowStride * pixelsH * s

                sampleDepth.withUnsafeMutableBufferPointer { depth in
                    sampleOwner.withUnsafeMutableBufferPointer { owner in
                        sampleColour.withUnsafeMutableBufferPointer { colour in
                            for i in 0..<sampleCount {
                                depth[i] = .infinity
                                owner[i] = -1
                            }
                            setups.withUnsafeBufferPointer { triangles in
                                tileTriangles.withUnsafeBufferPointer { list in
                                    for k in first..<end {
                                        let t = triangles[Int(list[k])]
                                        let xs = max(Int(t.minX), sampleX0), xe = min(Int(t.maxX), sampleX0 + rowStride - 1)
                                        let ys = max(Int(t.minY), sampleY0), ye = min(Int(t.maxY), sampleY0 + pixelsH * s - 1)
                                        if xs > xe || ys > ye { continue }
                                        Self.fill(t, xs: xs, xe: xe, ys: ys, ye: ye, originX: sampleX0, originY: sampleY0,
                                                  rowStride: rowStride, step: step, depth: depth, owner: owner, colour: colour)
                                    }
                                }
                            }
                        }
                    }
                }

                // Resolve: average each pixel's s×s samples.
                let anyMattes = !mattes.isEmpty
                for py in 0..<pixelsH {
                    for px in 0..<pixelsW {
                        var covered: Int32 = 0
                        var sum = SIMD3<Float>.zero
                        for sy in 0..<s {
                            let base = (py * s + sy) * rowStride + px * s
                            for sx in 0..<s {
                                let o = sampleOwner[base + sx]
                                if o >= 0 {
                                    covered += 1
                                    sum += sampleColour[base + sx]
                                    if anyMattes { ownerCounts[Int(o)] += 1 }
                                }
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
                for k in targets.indices {
                    targets[k].rgb.withUnsafeMutableBufferPointer { rgb in
                        for py in 0..<pixelsH {
                            var o = ((pixelY0 + py) * width + pixelX0) * 3
                            for px in 0..<pixelsW {
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

    /// Scan-converts one triangle over a sample rectangle of a tile: exact integer edge functions,
    /// per-sample depth test, smooth colour.
    @inline(__always)
    static func fill(_ t: TriangleSetup, xs: Int, xe: Int, ys: Int, ye: Int, originX: Int, originY: Int, rowStride: Int,
                     step: Int64, depth: UnsafeMutableBufferPointer<Float>, owner: UnsafeMutableBufferPointer<Int32>,
                     colour: UnsafeMutableBufferPointer<SIMD3<Float>>) {
        // Edge P→Q: E(x, y) = (Qx − Px)(y − Py) − (Qy − Py)(x − Px); inside when all three are ≥ 0.
        // λA comes from edge BC, λB from CA, λC from AB (each divided by the doubled area).
        let px = Int64(xs) * step, py = Int64(ys) * step
        let edges = (edge(t.b, t.c), edge(t.c, t.a), edge(t.a, t.b))
        var row0 = edges.0.value(px, py), row1 = edges.1.value(px, py), row2 = edges.2.value(px, py)
        let dx0 = edges.0.dx * step, dx1 = edges.1.dx * step, dx2 = edges.2.dx * step
        let dy0 = edges.0.dy * step, dy1 = edges.1.dy * step, dy2 = edges.2.dy * step
        let za = t.depth.x
        let kb = (t.depth.y - za) * t.inverseArea, kc = (t.depth.z - za) * t.inverseArea
        let cb = (t.colourB - t.colourA) * t.inverseArea, cc = (t.colourC - t.colourA) * t.inverseArea
        for y in ys...ye {
            var w0 = row0, w1 = row1, w2 = row2
            var index = (y - originY) * rowStride + (xs - originX)
            for _ in xs...xe {
                if (w0 | w1 | w2) >= 0 {
                    let fb = Float(w1), fc = Float(w2)
                    let z = za + fb * kb + fc * kc
                    if z < depth[index] {
                        depth[index] = z
                        owner[index] = t.owner
                        colour[index] = t.colourA + fb * cb + fc * cc
                    }
                }
                w0 += dx0
                w1 += dx1
                w2 += dx2
                index += 1
            }
            row0 += dy0
            row1 += dy1
            row2 += dy2
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
