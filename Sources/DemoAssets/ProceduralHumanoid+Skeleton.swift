/// The designed rest skeleton and the tube (segment) of each joint.
extension ProceduralHumanoid {
    /// SMPL's kinematic tree.
    static let smplParents = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]

    /// Rest joint positions (x left, y up, z forward; metres), close to SMPL's neutral body.
    static let restJoints: [SIMD3<Float>] = [
        SIMD3(0, -0.22, 0.02),  // 0 pelvis
        SIMD3(0.06, -0.31, 0.01), SIMD3(-0.06, -0.31, 0.01),  // 1 left hip, 2 right hip
        SIMD3(0, -0.11, -0.01),  // 3 spine1
        SIMD3(0.10, -0.69, 0.01), SIMD3(-0.10, -0.69, 0.01),  // 4 left knee, 5 right knee
        SIMD3(0, 0.03, 0.0),  // 6 spine2
        SIMD3(0.09, -1.09, -0.03), SIMD3(-0.09, -1.09, -0.03),  // 7 left ankle, 8 right ankle
        SIMD3(0, 0.09, 0.01),  // 9 spine3
        SIMD3(0.11, -1.15, 0.09), SIMD3(-0.11, -1.15, 0.09),  // 10 left foot, 11 right foot
        SIMD3(0, 0.30, -0.02),  // 12 neck
        SIMD3(0.07, 0.21, -0.01), SIMD3(-0.07, 0.21, -0.01),  // 13 left collar, 14 right collar
        SIMD3(0, 0.37, 0.02),  // 15 head
        SIMD3(0.17, 0.23, -0.02), SIMD3(-0.17, 0.23, -0.02),  // 16 left shoulder, 17 right shoulder
        SIMD3(0.42, 0.22, -0.04), SIMD3(-0.42, 0.22, -0.04),  // 18 left elbow, 19 right elbow
        SIMD3(0.67, 0.22, -0.04), SIMD3(-0.67, 0.22, -0.04),  // 20 left wrist, 21 right wrist
        SIMD3(0.75, 0.21, -0.05), SIMD3(-0.75, 0.21, -0.05),  // 22 left hand, 23 right hand
    ]

    /// One closed tube from its joint to `end` (a child joint, which it blends into, or a tip).
    struct Segment {
        enum End { case joint(Int), tip(SIMD3<Float>) }
        var end: End
        /// Cross-section half-widths (across, front) at the start and the end.
        var startRadii: SIMD2<Float>
        var endRadii: SIMD2<Float>
        /// Extra girth in the middle, relative.
        var bulge: Float = 0
        /// How far the rounded caps reach beyond the start and the end.
        var capStart: Float
        var capEnd: Float
    }

    /// The segment of each joint, indexed by joint. "Across" is the horizontal (x) direction for
    /// vertical tubes and the vertical (y) one for the arms; "front" is z (y for the feet).
    static let segments: [Segment] = {
        func mirrored(_ s: Segment) -> Segment {
            var m = s
            if case let .tip(p) = s.end { m.end = .tip(SIMD3(-p.x, p.y, p.z)) }
            if case let .joint(j) = s.end { m.end = .joint(j + 1) }
            return m
        }
        let leftThigh = Segment(end: .joint(4), startRadii: SIMD2(0.085, 0.085), endRadii: SIMD2(0.055, 0.055), bulge: 0.05, capStart: 0.06, capEnd: 0.02)
        let leftShin = Segment(end: .joint(7), startRadii: SIMD2(0.055, 0.055), endRadii: SIMD2(0.04, 0.04), bulge: 0.1, capStart: 0.02, capEnd: 0.02)
        let leftAnkle = Segment(end: .joint(10), startRadii: SIMD2(0.04, 0.035), endRadii: SIMD2(0.045, 0.03), capStart: 0.035, capEnd: 0.01)
        let leftToes = Segment(end: .tip(SIMD3(0.11, -1.16, 0.2)), startRadii: SIMD2(0.045, 0.025), endRadii: SIMD2(0.04, 0.02), capStart: 0.01, capEnd: 0.02)
        let leftCollar = Segment(end: .joint(16), startRadii: SIMD2(0.05, 0.05), endRadii: SIMD2(0.055, 0.055), capStart: 0.03, capEnd: 0.04)
        let leftUpperArm = Segment(end: .joint(18), startRadii: SIMD2(0.055, 0.055), endRadii: SIMD2(0.045, 0.045), bulge: 0.1, capStart: 0.04, capEnd: 0.02)
        let leftForearm = Segment(end: .joint(20), startRadii: SIMD2(0.045, 0.045), endRadii: SIMD2(0.033, 0.035), capStart: 0.02, capEnd: 0.01)
        let leftPalm = Segment(end: .joint(22), startRadii: SIMD2(0.02, 0.035), endRadii: SIMD2(0.018, 0.045), capStart: 0.01, capEnd: 0.01)
        let leftFingers = Segment(end: .tip(SIMD3(0.86, 0.2, -0.05)), startRadii: SIMD2(0.018, 0.045), endRadii: SIMD2(0.014, 0.035), capStart: 0.005, capEnd: 0.02)
        return [
            Segment(end: .joint(3), startRadii: SIMD2(0.15, 0.1), endRadii: SIMD2(0.14, 0.1), capStart: 0.1, capEnd: 0.03),  // 0 pelvis
            leftThigh, mirrored(leftThigh),  // 1, 2
            Segment(end: .joint(6), startRadii: SIMD2(0.14, 0.1), endRadii: SIMD2(0.15, 0.1), capStart: 0.03, capEnd: 0.03),  // 3 spine1
            leftShin, mirrored(leftShin),  // 4, 5
            Segment(end: .joint(9), startRadii: SIMD2(0.15, 0.1), endRadii: SIMD2(0.16, 0.1), capStart: 0.03, capEnd: 0.03),  // 6 spine2
            leftAnkle, mirrored(leftAnkle),  // 7, 8
            Segment(end: .joint(12), startRadii: SIMD2(0.17, 0.1), endRadii: SIMD2(0.11, 0.07), capStart: 0.03, capEnd: 0.04),  // 9 spine3
            leftToes, mirrored(leftToes),  // 10, 11
            Segment(end: .joint(15), startRadii: SIMD2(0.05, 0.05), endRadii: SIMD2(0.05, 0.05), capStart: 0.02, capEnd: 0.02),  // 12 neck
            leftCollar, mirrored(leftCollar),  // 13, 14
            Segment(end: .tip(SIMD3(0, 0.55, 0.02)), startRadii: SIMD2(0.075, 0.085), endRadii: SIMD2(0.07, 0.08), bulge: 0.2, capStart: 0.03, capEnd: 0.04),  // 15 head
            leftUpperArm, mirrored(leftUpperArm),  // 16, 17
            leftForearm, mirrored(leftForearm),  // 18, 19
            leftPalm, mirrored(leftPalm),  // 20, 21
            leftFingers, mirrored(leftFingers),  // 22, 23
        ]
    }()

    /// Landmark targets for the 21 extra vertices, in SMPL's order (nearest distinct vertex wins).
    static let landmarkTargets: [SIMD3<Float>] = [
        SIMD3(0, 0.45, 0.16),  // nose
        SIMD3(-0.035, 0.48, 0.13), SIMD3(0.035, 0.48, 0.13),  // right eye, left eye
        SIMD3(-0.1, 0.46, 0.02), SIMD3(0.1, 0.46, 0.02),  // right ear, left ear
        SIMD3(0.09, -1.16, 0.23), SIMD3(0.15, -1.16, 0.2), SIMD3(0.09, -1.13, -0.1),  // left big toe, small toe, heel
        SIMD3(-0.09, -1.16, 0.23), SIMD3(-0.15, -1.16, 0.2), SIMD3(-0.09, -1.13, -0.1),  // right big toe, small toe, heel
        SIMD3(0.78, 0.2, 0.02), SIMD3(0.87, 0.2, -0.02), SIMD3(0.88, 0.2, -0.04), SIMD3(0.87, 0.2, -0.06), SIMD3(0.85, 0.2, -0.09),  // left thumb … pinky
        SIMD3(-0.78, 0.2, 0.02), SIMD3(-0.87, 0.2, -0.02), SIMD3(-0.88, 0.2, -0.04), SIMD3(-0.87, 0.2, -0.06), SIMD3(-0.85, 0.2, -0.09),  // right
    ]
}
