import Foundation

extension ProceduralHumanoid {
    /// Where a vertex sits on its tube: what the weights and blend shapes are computed from.
    struct VertexSite {
        var segment: Int
        /// Position along the tube: 0 at its joint, 1 at its end, beyond in the caps.
        var t: Float
        /// The point of the tube's axis this vertex surrounds.
        var axisPoint: SIMD3<Float>
    }

    /// Builds the body at the given detail. Deterministic: the same detail gives the same arrays.
    public init(detail: Detail = .demo) {
        var vertices: [SIMD3<Float>] = []
        var sites: [VertexSite] = []
        var faces: [Int32] = []
        var mainRings: [[[Int]]] = []  // [segment][ring] → vertex indices (the rings between the caps)
        var endPoles: [Int] = []
        for (j, segment) in Self.segments.enumerated() {
            let built = Self.buildTube(joint: j, segment, detail: detail, firstVertex: vertices.count)
            vertices += built.vertices
            sites += built.sites
            faces += built.faces
            mainRings.append(built.mainRings)
            endPoles.append(built.endPole)
        }
        let count = vertices.count
        vTemplate = vertices.flatMap { [$0.x, $0.y, $0.z] }
        self.faces = faces
        parents = Self.smplParents

        lbsWeights = Self.skinningWeights(sites)
        jointRegressor = [Float](repeating: 0, count: 24 * count)
        for j in 0..<24 {
            let ring = mainRings[j][0]
            for v in ring { jointRegressor[j * count + v] = 1 / Float(ring.count) }
        }
        extraJointRegressor = Self.extraRegressor(mainRings: mainRings, endPoles: endPoles, vertices: vertices, detail: detail)
        extraVertexIndices = Self.landmarkVertices(vertices)
        shapedirs = Self.shapeDirections(vertices, sites)
        posedirs = Self.poseDirections(vertices, sites, weights: lbsWeights)
    }

    static func end(of segment: Segment) -> SIMD3<Float> {
        switch segment.end {
        case let .joint(c): restJoints[c]
        case let .tip(p): p
        }
    }

    /// One closed tube: start pole, start cap ring, `rings` main rings, end cap ring, end pole.
    static func buildTube(joint j: Int, _ segment: Segment, detail: Detail, firstVertex: Int)
        -> (vertices: [SIMD3<Float>], sites: [VertexSite], faces: [Int32], mainRings: [[Int]], endPole: Int) {
        let start = restJoints[j], stop = end(of: segment)
        let length = ((stop - start) * (stop - start)).sum().squareRoot()
        let d = (stop - start) / length
        let reference: SIMD3<Float> = abs(d.z) > 0.8 ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1)
        let front = normalize(reference - (reference * d).sum() * d)
        let across = cross(front, d)
        var vertices: [SIMD3<Float>] = []
        var sites: [VertexSite] = []
        func add(_ p: SIMD3<Float>, t: Float, axis: SIMD3<Float>) -> Int {
            vertices.append(p)
            sites.append(VertexSite(segment: j, t: t, axisPoint: axis))
            return firstVertex + vertices.count - 1
        }
        func ring(t: Float, scale: Float) -> [Int] {
            let clamped = min(max(t, 0), 1)
            let profile: Float = (1 + segment.bulge * sin(Float.pi * clamped)) * scale
            let radii: SIMD2<Float> = (segment.startRadii + (segment.endRadii - segment.startRadii) * clamped) * profile
            let centre = start + d * (t * length)
            return (0..<detail.around).map { k in
                let phi = 2 * Float.pi * Float(k) / Float(detail.around)
                let offset: SIMD3<Float> = radii.x * cos(phi) * across + radii.y * sin(phi) * front
                return add(centre + offset, t: t, axis: centre)
            }
        }
        let startPole = add(start - d * segment.capStart, t: -segment.capStart / length, axis: start - d * segment.capStart)
        var rings = [ring(t: -0.6 * segment.capStart / length, scale: 0.75)]
        let mainRings = (0..<detail.rings).map { i in ring(t: Float(i) / Float(detail.rings - 1), scale: 1) }
        rings += mainRings
        rings.append(ring(t: 1 + 0.6 * segment.capEnd / length, scale: 0.75))
        let endPole = add(stop + d * segment.capEnd, t: 1 + segment.capEnd / length, axis: stop + d * segment.capEnd)

        var faces: [Int32] = []
        let n = detail.around
        for k in 0..<n { faces += [Int32(startPole), Int32(rings[0][(k + 1) % n]), Int32(rings[0][k])] }
        for r in 0..<(rings.count - 1) {
            for k in 0..<n {
                let a = rings[r][k], b = rings[r][(k + 1) % n], c = rings[r + 1][k], e = rings[r + 1][(k + 1) % n]
                faces += [Int32(a), Int32(b), Int32(e), Int32(a), Int32(e), Int32(c)]
            }
        }
        for k in 0..<n { faces += [Int32(endPole), Int32(rings[rings.count - 1][k]), Int32(rings[rings.count - 1][(k + 1) % n])] }
        // Orient outward whatever the handedness of (across, front, d): positive signed volume.
        var volume: Float = 0
        for f in stride(from: 0, to: faces.count, by: 3) {
            let p = (0..<3).map { vertices[Int(faces[f + $0]) - firstVertex] - start }
            volume += (p[0] * cross(p[1], p[2])).sum()
        }
        if volume < 0 {
            for f in stride(from: 0, to: faces.count, by: 3) { faces.swapAt(f + 1, f + 2) }
        }
        return (vertices, sites, faces, mainRings, endPole)
    }

    /// Each vertex follows its joint, blending halfway into the parent at the tube's start and
    /// into the child at its end (quadratic ramps over 35% of the tube). Rows sum to 1.
    static func skinningWeights(_ sites: [VertexSite]) -> [Float] {
        var weights = [Float](repeating: 0, count: sites.count * 24)  // (V, 24)
        for (v, site) in sites.enumerated() {
            let j = site.segment
            let ramp: (Float) -> Float = { x in let y = min(max(1 - x / 0.35, 0), 1); return 0.5 * y * y }
            let toParent = smplParents[j] >= 0 ? ramp(site.t) : 0
            var toChild: Float = 0
            if case let .joint(c) = segments[j].end {
                toChild = ramp(1 - site.t)
                weights[v * 24 + c] += toChild
            }
            if smplParents[j] >= 0 { weights[v * 24 + smplParents[j]] += toParent }
            weights[v * 24 + j] += 1 - toParent - toChild
        }
        return weights
    }

    /// SPIN's 9 extra joints (right hip, left hip, neck, head top, pelvis, thorax, spine, jaw,
    /// head) as averages of rings and poles of the tubes.
    static func extraRegressor(mainRings: [[[Int]]], endPoles: [Int], vertices: [SIMD3<Float>], detail: Detail) -> [Float] {
        let count = vertices.count
        var rows = [Float](repeating: 0, count: 9 * count)
        func average(_ row: Int, _ indices: [Int], weight: Float = 1) {
            for v in indices { rows[row * count + v] += weight / Float(indices.count) }
        }
        let last = detail.rings - 1, middle = detail.rings / 2
        average(0, mainRings[2][1])
        average(1, mainRings[1][1])
        average(2, mainRings[9][last])
        average(3, [endPoles[15]])
        average(4, mainRings[1][0], weight: 0.5)
        average(4, mainRings[2][0], weight: 0.5)
        average(5, mainRings[9][(3 * last) / 4])
        average(6, mainRings[3][middle])
        let frontmost = mainRings[15][0].sorted { vertices[$0].z > vertices[$1].z }.prefix(2)
        average(7, Array(frontmost))
        average(8, mainRings[15][middle])
        return rows
    }

    /// The nearest not-yet-taken vertex to each landmark target.
    static func landmarkVertices(_ vertices: [SIMD3<Float>]) -> [Int] {
        var taken = Set<Int>()
        return landmarkTargets.map { target in
            var best = -1
            var bestDistance = Float.infinity
            for (v, p) in vertices.enumerated() where !taken.contains(v) {
                let distance = ((p - target) * (p - target)).sum()
                if distance < bestDistance { bestDistance = distance; best = v }
            }
            taken.insert(best)
            return best
        }
    }
}

@inline(__always) func cross(_ u: SIMD3<Float>, _ v: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
}

@inline(__always) func normalize(_ v: SIMD3<Float>) -> SIMD3<Float> {
    let length = (v * v).sum().squareRoot()
    return length > 0 ? v / length : v
}
