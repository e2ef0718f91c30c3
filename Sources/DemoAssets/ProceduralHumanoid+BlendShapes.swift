extension ProceduralHumanoid {
    static let leftArm: Set<Int> = [13, 16, 18, 20, 22]
    static let rightArm: Set<Int> = [14, 17, 19, 21, 23]
    static let legs: Set<Int> = [1, 2, 4, 5, 7, 8, 10, 11]

    /// Ten shape directions (metres per unit β), one body trait each: 0 size, 1 girth, 2 leg
    /// length, 3 shoulder width, 4 hip width, 5 belly, 6 arm length, 7 head size, 8 neck length,
    /// 9 chest. Layout (V·3, 10).
    static func shapeDirections(_ vertices: [SIMD3<Float>], _ sites: [VertexSite]) -> [Float] {
        var dirs = [Float](repeating: 0, count: vertices.count * 3 * 10)
        let pelvis = restJoints[0], hipY = restJoints[1].y
        for (v, p) in vertices.enumerated() {
            let site = sites[v], j = site.segment
            let radial = p - site.axisPoint
            var k = [SIMD3<Float>](repeating: .zero, count: 10)
            k[0] = 0.06 * (p - pelvis)
            k[1] = 0.2 * radial
            k[2] = legs.contains(j) ? SIMD3(0, -0.06 * min(max((hipY - p.y) / 0.85, 0), 1.2), 0)
                : SIMD3(0, 0.02 * max(0, p.y - pelvis.y) / 0.8, 0)
            if leftArm.contains(j) { k[3] = SIMD3(0.03, 0, 0) } else if rightArm.contains(j) { k[3] = SIMD3(-0.03, 0, 0) }
            if j == 9 { k[3] = SIMD3(0.1 * radial.x, 0, 0) }
            if legs.contains(j) { k[4] = SIMD3(p.x > 0 ? 0.025 : -0.025, 0, 0) }
            if j == 0 { k[4] = SIMD3(0.15 * radial.x, 0, 0) }
            if [0, 3, 6].contains(j) { k[5] = SIMD3(0, 0, 0.3 * max(0, radial.z)) }
            if [16, 18, 20, 22].contains(j) { k[6] = SIMD3(0.1 * (p.x - restJoints[16].x), 0, 0) }
            if [17, 19, 21, 23].contains(j) { k[6] = SIMD3(0.1 * (p.x - restJoints[17].x), 0, 0) }
            if j == 15 { k[7] = 0.12 * (p - restJoints[15]) }
            if j == 12 { k[8] = SIMD3(0, 0.03 * min(max(site.t, 0), 1), 0) }
            if j == 15 { k[8] = SIMD3(0, 0.03, 0) }
            if j == 6 || j == 9 { k[9] = 0.15 * radial }
            for c in 0..<3 {
                for b in 0..<10 { dirs[(3 * v + c) * 10 + b] = k[b][c] }
            }
        }
        return dirs
    }

    /// Pose correctives: around each joint (where its weight is mixed) the surface bulges along
    /// its radial direction as the joint bends (diagonal of R − I) and shears slightly with the
    /// off-diagonal terms. Layout (207, V·3).
    static func poseDirections(_ vertices: [SIMD3<Float>], _ sites: [VertexSite], weights: [Float]) -> [Float] {
        let count = vertices.count
        var dirs = [Float](repeating: 0, count: 207 * count * 3)
        let pattern: [Float] = [-0.015, 0.004, -0.004, -0.004, -0.015, 0.004, 0.004, -0.004, -0.015]
        for v in 0..<count {
            let n = normalize(vertices[v] - sites[v].axisPoint)
            for joint in 1..<24 {
                let w = weights[v * 24 + joint]
                let mix = 4 * w * (1 - w)
                if mix <= 0 { continue }
                for e in 0..<9 {
                    let row = (joint - 1) * 9 + e
                    for c in 0..<3 { dirs[row * count * 3 + 3 * v + c] = pattern[e] * mix * n[c] }
                }
            }
        }
        return dirs
    }
}
