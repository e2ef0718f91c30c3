extension MeshRasterizer {
    /// Shades, projects and sets up the triangles of one mesh, appending them to `setups`.
    func prepare(_ mesh: MeshInstance, owner: Int32, view: MeshView, width: Int, height: Int) {
        guard let projection = ScreenProjection(camera: mesh.camera, width: width, height: height) else { return }
        let count = vertexCount
        let samples = Float(options.samplesPerAxis)
        let unit = Float(1 << Self.subSampleBits)
        if positions.count != count {
            positions = [SIMD3<Float>](repeating: .zero, count: count)
            normals = [SIMD3<Float>](repeating: .zero, count: count)
            colours = [SIMD3<Float>](repeating: .zero, count: count)
            fixedPoints = [SIMD2<Int64>](repeating: .zero, count: count)
            depths = [Float](repeating: 0, count: count)
        }
        var finite = true
        mesh.vertices.withUnsafeBufferPointer { v in  // (V, 3)
            for i in 0..<count {
                let p = view.transform(SIMD3(v[3 * i], v[3 * i + 1], v[3 * i + 2]))
                if !(p.x.isFinite && p.y.isFinite && p.z.isFinite) { finite = false }
                positions[i] = p
            }
        }
        guard finite else { return }
        positions.withUnsafeBufferPointer { p in
            faces.withUnsafeBufferPointer { f in
                normals.withUnsafeMutableBufferPointer { n in MeshShading.vertexNormals(positions: p, faces: f, into: n) }
            }
        }
        switch mesh.albedo {
        case let .uniform(albedo):
            for i in 0..<count { colours[i] = MeshShading.shade(albedo: albedo, normal: normals[i], position: positions[i]) }
        case let .perVertex(albedos):
            for i in 0..<count {
                let albedo = SIMD3(albedos[3 * i], albedos[3 * i + 1], albedos[3 * i + 2])
                colours[i] = MeshShading.shade(albedo: albedo, normal: normals[i], position: positions[i])
            }
        }
        var onScreen = [Bool](repeating: true, count: count)
        for i in 0..<count {
            // Sample space: sample k of a row sits at k, i.e. pixel coordinate (k + 0.5) / samples.
            let u = projection.pixel(positions[i]) * samples - 0.5
            if abs(u.x) > Self.coordinateLimit || abs(u.y) > Self.coordinateLimit || !u.x.isFinite || !u.y.isFinite {
                onScreen[i] = false
                continue
            }
            fixedPoints[i] = SIMD2(Int64((u.x * unit).rounded()), Int64((u.y * unit).rounded()))
            depths[i] = projection.depth(positions[i])
        }
        let maxX = Int64(width * options.samplesPerAxis - 1), maxY = Int64(height * options.samplesPerAxis - 1)
        let frontIsNegative = !projection.isMirrored
        let shift = Self.subSampleBits
        var f = 0
        while f < faces.count {
            let ia = Int(faces[f]), ib0 = Int(faces[f + 1]), ic0 = Int(faces[f + 2])
            f += 3
            guard onScreen[ia], onScreen[ib0], onScreen[ic0] else { continue }
            var ib = ib0, ic = ic0
            let a = fixedPoints[ia]
            var b = fixedPoints[ib], c = fixedPoints[ic]
            var area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
            if area == 0 { continue }
            let isFront = (area < 0) == frontIsNegative
            if options.cullBackFaces && !isFront { continue }
            if area < 0 {
                swap(&ib, &ic)
                swap(&b, &c)
                area = -area
            }
            // Samples sit on multiples of 2^shift: the box is ceil(min) ... floor(max).
            let lowX = (min(a.x, b.x, c.x) + (1 << shift) - 1) >> shift
            let lowY = (min(a.y, b.y, c.y) + (1 << shift) - 1) >> shift
            let highX = max(a.x, b.x, c.x) >> shift
            let highY = max(a.y, b.y, c.y) >> shift
            let x0 = max(lowX, 0), y0 = max(lowY, 0), x1 = min(highX, maxX), y1 = min(highY, maxY)
            if x0 > x1 || y0 > y1 { continue }
            // Planes over sample space from the snapped vertices (doubles: no cancellation).
            let unit = Double(1 << shift)
            let bx = Double(b.x - a.x) / unit, by = Double(b.y - a.y) / unit
            let cx = Double(c.x - a.x) / unit, cy = Double(c.y - a.y) / unit
            let det = bx * cy - by * cx
            func gradient(_ fa: Double, _ fb: Double, _ fc: Double) -> (Double, Double) {
                (((fb - fa) * cy - (fc - fa) * by) / det, ((fc - fa) * bx - (fb - fa) * cx) / det)
            }
            let dz = gradient(Double(depths[ia]), Double(depths[ib]), Double(depths[ic]))
            var colourDX = SIMD3<Float>.zero, colourDY = SIMD3<Float>.zero
            for k in 0..<3 {
                let g = gradient(Double(colours[ia][k]), Double(colours[ib][k]), Double(colours[ic][k]))
                colourDX[k] = Float(g.0)
                colourDY[k] = Float(g.1)
            }
            setups.append(TriangleSetup(
                a: a, b: b, c: c,
                origin: SIMD2(Float(Double(a.x) / unit), Float(Double(a.y) / unit)),
                depth: depths[ia], depthDX: Float(dz.0), depthDY: Float(dz.1),
                colour: colours[ia], colourDX: colourDX, colourDY: colourDY, owner: owner,
                minX: Int32(x0), minY: Int32(y0), maxX: Int32(x1), maxY: Int32(y1)))
        }
    }

    /// Sorts triangle indices into the tiles their boxes touch (a counting sort: `tileCounts`
    /// becomes the start offsets, `tileTriangles` the lists).
    func binTriangles(width: Int, height: Int) {
        let tileSamples = Int32(Self.tilePixels * options.samplesPerAxis)
        let tilesX = (width + Self.tilePixels - 1) / Self.tilePixels
        let tilesY = (height + Self.tilePixels - 1) / Self.tilePixels
        tileCounts = [Int32](repeating: 0, count: tilesX * tilesY + 1)
        for t in setups {
            for ty in Int(t.minY / tileSamples)...Int(t.maxY / tileSamples) {
                for tx in Int(t.minX / tileSamples)...Int(t.maxX / tileSamples) { tileCounts[ty * tilesX + tx + 1] += 1 }
            }
        }
        for i in 1..<tileCounts.count { tileCounts[i] += tileCounts[i - 1] }
        tileTriangles = [Int32](repeating: 0, count: Int(tileCounts[tileCounts.count - 1]))
        var cursor = Array(tileCounts.dropLast())
        for (index, t) in setups.enumerated() {
            for ty in Int(t.minY / tileSamples)...Int(t.maxY / tileSamples) {
                for tx in Int(t.minX / tileSamples)...Int(t.maxX / tileSamples) {
                    let tile = ty * tilesX + tx
                    tileTriangles[Int(cursor[tile])] = Int32(index)
                    cursor[tile] += 1
                }
            }
        }
    }
}
