import Tensor

/// The three upsampling blocks (`deconv_layers.{0,3,6}` with BN at `.{1,4,7}`, models/pymaf_net.py):
/// ConvTranspose2d(4×4, stride 2, pad 1, no bias) + BN + ReLU each, 7² → 14² → 28² → 56².
/// Block t's output is the feature map of feedback iteration t.
struct DeconvPyramid {
    let blocks: [ConvTranspose2D]

    init(_ w: WeightBinder, architecture: PyMAFArchitecture, precision: Precision) {
        var channels = architecture.trunkChannels
        var blocks: [ConvTranspose2D] = []
        for t in 0..<PyMAFArchitecture.iterationCount {
            let d = architecture.deconvChannels
            let conv = ConvTranspose2D(weight: w.tensor("deconv_layers.\(3 * t).weight", shape: [channels, d, 4, 4]),
                                       bias: nil, stride: 2, padding: 1)
            let bn = "deconv_layers.\(3 * t + 1)"
            blocks.append(conv.foldingBatchNorm(
                gamma: w.floats("\(bn).weight", shape: [d]), beta: w.floats("\(bn).bias", shape: [d]),
                mean: w.floats("\(bn).running_mean", shape: [d]), variance: w.floats("\(bn).running_var", shape: [d]),
                epsilon: 1e-5).converted(to: precision))
            channels = d
        }
        self.blocks = blocks
    }

    /// Block `t`, batch-inner like the trunk: (Cin, N, H, W) → (256, N, 2H, 2W).
    func callAsFunction(_ t: Int, _ x: Tensor, workspace: Workspace) -> Tensor {
        blocks[t](x, activation: .relu, layout: .cnhw, workspace: workspace)
    }
}
