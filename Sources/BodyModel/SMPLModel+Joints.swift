/// SMPL's joint tree and names, and PyMAF's 49-joint set.
extension SMPLModel {
    /// SMPL's kinematic tree (parent of each of the 24 joints; −1 for the root).
    public static let smplParents = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]

    /// SMPL's 24 joint names, in joint order.
    public static let jointNames = [
        "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
        "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head",
        "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
        "left_hand", "right_hand",
    ]

    /// The 21 SMPL vertices used as joints 24…44 (nose, right/left eye, right/left ear, left big
    /// toe, small toe, heel, right big toe, small toe, heel, left then right thumb, index, middle,
    /// ring, pinky tips) — the 6890-vertex SMPL mesh's indices.
    public static let smplExtraVertexIndices = [
        332, 6260, 2800, 4071, 583, 3216, 3226, 3387, 6617, 6624, 6787, 2746, 2319, 2445, 2556, 2673,
        6191, 5782, 5905, 6016, 6133,
    ]

    /// For each of the 49 output joints, its index among the 54 = 24 posed joints ‖ 21 vertices ‖
    /// 9 `J_regressor_extra` joints.
    public static let joints49Map = [
        24, 12, 17, 19, 21, 16, 18, 20, 0, 2, 5, 8, 1, 4, 7, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
        8, 5, 45, 46, 4, 7, 21, 19, 17, 16, 18, 20, 47, 48, 49, 50, 51, 52, 53, 24, 26, 25, 28, 27,
    ]

    /// Names of the 49 joints: 25 OpenPose (BODY_25) joints, then 24 ground-truth-style joints.
    public static let joints49Names = [
        "OP Nose", "OP Neck", "OP RShoulder", "OP RElbow", "OP RWrist", "OP LShoulder", "OP LElbow",
        "OP LWrist", "OP MidHip", "OP RHip", "OP RKnee", "OP RAnkle", "OP LHip", "OP LKnee", "OP LAnkle",
        "OP REye", "OP LEye", "OP REar", "OP LEar", "OP LBigToe", "OP LSmallToe", "OP LHeel", "OP RBigToe",
        "OP RSmallToe", "OP RHeel",
        "Right Ankle", "Right Knee", "Right Hip", "Left Hip", "Left Knee", "Left Ankle", "Right Wrist",
        "Right Elbow", "Right Shoulder", "Left Shoulder", "Left Elbow", "Left Wrist", "Neck (LSP)",
        "Top of Head (LSP)", "Pelvis (MPII)", "Thorax (MPII)", "Spine (H36M)", "Jaw (H36M)", "Head (H36M)",
        "Nose", "Left Eye", "Right Eye", "Left Ear", "Right Ear",
    ]
}
