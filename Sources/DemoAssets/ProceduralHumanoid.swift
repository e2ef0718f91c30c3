/// A procedural humanoid body model in the SMPL structure, for the embedded demo and for tests.
///
/// It has SMPL's 24-joint tree (same parents, same joint order and meaning, T-pose rest, y up,
/// facing +z, metres), linear-blend-skinning weights, 10 shape and 207 pose blend shapes, a
/// joint regressor, a 9-row extra regressor (SPIN's extra joints) and 21 landmark vertices
/// (nose, eyes, ears, toes, heels, fingertips), in the array layouts `SMPLModel` uses. The surface
/// is one closed tube per joint (24 "segments", each from its joint towards its child or a tip),
/// so it has far fewer vertices than SMPL's 6890: about 1700 at `.demo` detail.
///
/// Every joint's regressor row averages the ring of its segment that is centred on the joint, so
/// the regressed rest joints are exactly the designed ones and follow the shape blend shapes.
public struct ProceduralHumanoid: Sendable {
    /// How finely the tubes are divided.
    public struct Detail: Sendable, Equatable {
        /// Vertices around each tube.
        public var around: Int
        /// Rings along each tube (between its two end caps).
        public var rings: Int

        public init(around: Int, rings: Int) {
            precondition(around >= 3 && rings >= 2, "ProceduralHumanoid.Detail: around \(around), rings \(rings)")
            self.around = around
            self.rings = rings
        }

        /// 1728 vertices, 3360 faces: the demo body.
        public static let demo = Detail(around: 10, rings: 5)
        /// 6960 vertices, 13824 faces: close to SMPL's 6890 / 13776, for benchmarks.
        public static let smplSized = Detail(around: 24, rings: 10)
    }

    /// Rest vertices, (V, 3).
    public var vTemplate: [Float]
    /// Shape blend shapes, (V·3, 10): vertex v, axis c, coefficient k at [(3v + c)·10 + k].
    public var shapedirs: [Float]
    /// Pose blend shapes, (207, V·3): feature (joint − 1)·9 + element, against (R − I) of joints 1…23.
    public var posedirs: [Float]
    /// Joint regressor, (24, V), rows sum to 1.
    public var jointRegressor: [Float]
    /// Skinning weights, (V, 24), rows sum to 1.
    public var lbsWeights: [Float]
    /// Kinematic tree, (24): SMPL's parents, −1 for the pelvis.
    public var parents: [Int]
    /// Triangles, (F, 3), counter-clockwise seen from outside.
    public var faces: [Int32]
    /// SPIN's 9 extra joints as vertex averages, (9, V), rows sum to 1.
    public var extraJointRegressor: [Float]
    /// The 21 landmark vertices in SMPL's order (nose, right eye, left eye, right ear, left ear,
    /// left big toe, left small toe, left heel, right big toe, right small toe, right heel,
    /// left thumb/index/middle/ring/pinky tips, right thumb/index/middle/ring/pinky tips).
    public var extraVertexIndices: [Int]

    /// Number of vertices V.
    public var vertexCount: Int { vTemplate.count / 3 }
    /// Number of triangles F.
    public var faceCount: Int { faces.count / 3 }

    public static let jointCount = 24
    public static let shapeCount = 10
    public static let poseFeatureCount = 207
}
