/// Every key of a PyMAF checkpoint's state dict with its shape, in the order PyTorch writes them
/// (`checkpoint["model"]`). At the released widths this is exactly
/// `shared/reference/pymaf_state_dict_manifest.txt`; narrower widths give networks of the same
/// structure (test fixtures, the demo model).
///
///     for entry in PyMAFCheckpointLayout().entries { print(entry.key, entry.shape) }
public struct PyMAFCheckpointLayout: Sendable {
    /// One state-dict entry: its key, shape and whether it holds int64 (else float32).
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var shape: [Int]
        public var isInteger: Bool
    }

    public var stemWidth = 64
    public var deconvChannels = 256
    public var mlpHidden = [128, 64]
    public var regressorWidth = 1024
    public var vertexCount = 6890
    public var faceCount = 13776
    public var meshPointCount = 431
    public var gridPointCount = 441

    /// The released model's widths and SMPL's mesh.
    public init() {}

    public init(stemWidth: Int, deconvChannels: Int, mlpHidden: [Int], regressorWidth: Int, vertexCount: Int, faceCount: Int,
                meshPointCount: Int = 431) {
        precondition(mlpHidden.count == 2, "PyMAFCheckpointLayout: two MLP hidden widths")
        self.stemWidth = stemWidth
        self.deconvChannels = deconvChannels
        self.mlpHidden = mlpHidden
        self.regressorWidth = regressorWidth
        self.vertexCount = vertexCount
        self.faceCount = faceCount
        self.meshPointCount = meshPointCount
    }

    public var entries: [Entry] {
        var out: [Entry] = []
        func add(_ key: String, _ shape: [Int], integer: Bool = false) { out.append(Entry(key: key, shape: shape, isInteger: integer)) }
        func batchNorm(_ p: String, _ n: Int) {
            for name in ["weight", "bias", "running_mean", "running_var"] { add("\(p).\(name)", [n]) }
            add("\(p).num_batches_tracked", [], integer: true)
        }
        let w = stemWidth, d = deconvChannels, v = vertexCount
        add("points_grid", [1, 2, gridPointCount])
        add("feature_extractor.conv1.weight", [w, 3, 7, 7])
        batchNorm("feature_extractor.bn1", w)
        var channels = w
        for (i, count) in PyMAFArchitecture.blockCounts.enumerated() {
            let planes = w << i
            for b in 0..<count {
                let p = "feature_extractor.layer\(i + 1).\(b)"
                add("\(p).conv1.weight", [planes, channels, 1, 1]); batchNorm("\(p).bn1", planes)
                add("\(p).conv2.weight", [planes, planes, 3, 3]); batchNorm("\(p).bn2", planes)
                add("\(p).conv3.weight", [planes * 4, planes, 1, 1]); batchNorm("\(p).bn3", planes * 4)
                if b == 0 { add("\(p).downsample.0.weight", [planes * 4, channels, 1, 1]); batchNorm("\(p).downsample.1", planes * 4) }
                channels = planes * 4
            }
        }
        for t in 0..<PyMAFArchitecture.iterationCount {
            add("deconv_layers.\(3 * t).weight", [channels, d, 4, 4])
            batchNorm("deconv_layers.\(3 * t + 1)", d)
            channels = d
        }
        for t in 0..<PyMAFArchitecture.iterationCount {
            let p = "maf_extractor.\(t)"
            add("\(p).Dmap", [meshPointCount, v])
            add("\(p).conv0.weight", [mlpHidden[0], d, 1]); add("\(p).conv0.bias", [mlpHidden[0]])
            add("\(p).conv1.weight", [mlpHidden[1], mlpHidden[0] + d, 1]); add("\(p).conv1.bias", [mlpHidden[1]])
            add("\(p).conv2.weight", [5, mlpHidden[1] + d, 1]); add("\(p).conv2.bias", [5])
        }
        for t in 0..<PyMAFArchitecture.iterationCount {
            let p = "regressor.\(t)"
            let features = 5 * (t == 0 ? gridPointCount : meshPointCount) + PyMAFArchitecture.parameterCount
            add("\(p).init_pose", [1, 144]); add("\(p).init_shape", [1, 10]); add("\(p).init_cam", [1, 3])
            for (name, out, input) in [("fc1", regressorWidth, features), ("fc2", regressorWidth, regressorWidth),
                                       ("decpose", 144, regressorWidth), ("decshape", 10, regressorWidth), ("deccam", 3, regressorWidth)] {
                add("\(p).\(name).weight", [out, input]); add("\(p).\(name).bias", [out])
            }
            add("\(p).smpl.betas", [64, 10]); add("\(p).smpl.global_orient", [64, 3]); add("\(p).smpl.body_pose", [64, 69])
            add("\(p).smpl.shapedirs", [v, 3, 10]); add("\(p).smpl.faces_tensor", [faceCount, 3], integer: true)
            add("\(p).smpl.v_template", [v, 3]); add("\(p).smpl.J_regressor", [24, v]); add("\(p).smpl.posedirs", [207, 3 * v])
            add("\(p).smpl.parents", [24], integer: true); add("\(p).smpl.lbs_weights", [v, 24])
            add("\(p).smpl.J_regressor_extra", [9, v]); add("\(p).smpl.vertex_joint_selector.extra_joints_idxs", [21], integer: true)
        }
        for (name, n) in [("predict_u", 25), ("predict_v", 25), ("predict_ann_index", 15), ("predict_uv_index", 25)] {
            add("dp_head.\(name).weight", [n, d, 3, 3]); add("dp_head.\(name).bias", [n])
        }
        return out
    }
}
