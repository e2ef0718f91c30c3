/// The layer widths of a PyMAF network, read off the checkpoint's shapes.
///
/// The released model is ResNet-50 (stem 64) → 3 × 256-channel transposed convolutions → MLPs
/// 256 → 128 → 64 → 5 → regressors of width 1024 over 441 grid points then 431 mesh points.
/// Narrower networks of the same structure (the test fixtures, the demo model) load the same way.
struct PyMAFArchitecture: Equatable {
    /// Bottleneck counts of layer1…layer4.
    static let blockCounts = [3, 4, 6, 3]
    /// Feedback iterations.
    static let iterationCount = 3
    /// Per-point features after the MLP.
    static let pointFeatureCount = 5
    /// pose (24 × 6D) + shape (10) + camera (3).
    static let parameterCount = 144 + 10 + 3

    /// Output channels of the stem (`feature_extractor.conv1`); layer i has 4·stem·2^i outputs.
    var stemWidth = 64
    /// Channels of each transposed-convolution output.
    var deconvChannels = 256
    /// Outputs of `maf_extractor.t.conv0` and `conv1`.
    var mlpHidden = (128, 64)
    /// Width of `regressor.t.fc1` / `fc2`.
    var regressorWidth = 1024
    /// Points sampled at iteration 0 (the 21 × 21 grid).
    var gridPointCount = 441
    /// Points sampled at iterations 1 and 2 (the downsampled mesh).
    var meshPointCount = 431

    /// Channels out of layer4.
    var trunkChannels: Int { stemWidth * 8 * 4 }

    static func == (a: Self, b: Self) -> Bool {
        a.stemWidth == b.stemWidth && a.deconvChannels == b.deconvChannels && a.mlpHidden == b.mlpHidden
            && a.regressorWidth == b.regressorWidth && a.gridPointCount == b.gridPointCount && a.meshPointCount == b.meshPointCount
    }

    /// Widths from the shapes of a few anchor keys; the released model's where a key is absent
    /// (binding then reports it missing).
    init(inferringFrom binder: WeightBinder) {
        if let s = binder.shape(of: "feature_extractor.conv1.weight"), s.count == 4 { stemWidth = s[0] }
        if let s = binder.shape(of: "deconv_layers.0.weight"), s.count == 4 { deconvChannels = s[1] }
        if let a = binder.shape(of: "maf_extractor.0.conv0.weight"), let b = binder.shape(of: "maf_extractor.0.conv1.weight"),
            a.count == 3, b.count == 3
        {
            mlpHidden = (a[0], b[0])
        }
        if let s = binder.shape(of: "regressor.0.fc1.weight"), s.count == 2 {
            regressorWidth = s[0]
            gridPointCount = max(0, s[1] - Self.parameterCount) / Self.pointFeatureCount
        }
        if let s = binder.shape(of: "regressor.1.fc1.weight"), s.count == 2 {
            meshPointCount = max(0, s[1] - Self.parameterCount) / Self.pointFeatureCount
        }
    }

    init() {}
}
