import Tensor

/// ResNet-50 trunk of PyMAF (`feature_extractor.*`, models/hmr.py): 7×7/2 stem, 3×3/2 max-pool,
/// four layers of bottlenecks. Batch-norms are folded into the convolutions at load; every
/// convolution computes in the regressor's `Precision`.
/// (N, 3, 224, 224) → (2048, N, 7, 7): activations are kept batch-inner (`.cnhw`) throughout,
/// so every layer's GEMM spans all frames without copying them in and out.
struct ResNetTrunk {
    /// `conv1` + `bn1`, 7×7 stride 2 pad 3, ReLU.
    let stem: Conv2D
    /// `layer1` … `layer4`.
    let layers: [[Bottleneck]]

    init(_ w: WeightBinder, architecture: PyMAFArchitecture, precision: Precision) {
        let width = architecture.stemWidth
        stem = w.convolution("feature_extractor.conv1", batchNorm: "feature_extractor.bn1",
                             shape: [width, 3, 7, 7], stride: 2, padding: 3).converted(to: precision)
        var channels = width
        var layers: [[Bottleneck]] = []
        for (i, count) in PyMAFArchitecture.blockCounts.enumerated() {
            let planes = width << i
            var blocks: [Bottleneck] = []
            for b in 0..<count {
                blocks.append(Bottleneck(w, prefix: "feature_extractor.layer\(i + 1).\(b)", inChannels: channels, planes: planes,
                                         stride: b == 0 && i > 0 ? 2 : 1, hasDownsample: b == 0, precision: precision))
                channels = planes * 4
            }
            layers.append(blocks)
        }
        self.layers = layers
    }

    /// (N, 3, H, W) → (32·stem, N, H/32, W/32), batch-inner.
    func callAsFunction(_ x: Tensor, workspace: Workspace) -> Tensor {
        var y = stem(swappingBatchAndChannels(x), activation: .relu, layout: .cnhw, workspace: workspace)  // (64, N, 112, 112)
        y = maxPool2d(y, kernel: 3, stride: 2, padding: 1)                  // (64, N, 56, 56): planes pool alike in either layout
        for layer in layers {
            for block in layer { y = block(y, workspace: workspace) }       // 56² → 56², 28², 14², 7²
        }
        return y
    }
}

/// One bottleneck (`layerI.B.*`): 1×1 → 3×3 (with the stride) → 1×1 ×4, BN folded, ReLU after
/// the first two and after the residual add; `downsample` (1×1 with the stride + BN) on the first.
struct Bottleneck {
    let conv1: Conv2D        // (planes, in, 1, 1) + bn1
    let conv2: Conv2D        // (planes, planes, 3, 3) + bn2, stride
    let conv3: Conv2D        // (4·planes, planes, 1, 1) + bn3
    let downsample: Conv2D?  // (4·planes, in, 1, 1) + downsample.1, stride

    init(_ w: WeightBinder, prefix p: String, inChannels: Int, planes: Int, stride: Int, hasDownsample: Bool, precision: Precision) {
        conv1 = w.convolution("\(p).conv1", batchNorm: "\(p).bn1", shape: [planes, inChannels, 1, 1], stride: 1, padding: 0)
            .converted(to: precision)
        conv2 = w.convolution("\(p).conv2", batchNorm: "\(p).bn2", shape: [planes, planes, 3, 3], stride: stride, padding: 1)
            .converted(to: precision)
        conv3 = w.convolution("\(p).conv3", batchNorm: "\(p).bn3", shape: [planes * 4, planes, 1, 1], stride: 1, padding: 0)
            .converted(to: precision)
        downsample = hasDownsample
            ? w.convolution("\(p).downsample.0", batchNorm: "\(p).downsample.1", shape: [planes * 4, inChannels, 1, 1], stride: stride, padding: 0)
                .converted(to: precision)
            : nil
    }

    /// x (in, N, H, W) → (4·planes, N, H/stride, W/stride), batch-inner.
    func callAsFunction(_ x: Tensor, workspace: Workspace) -> Tensor {
        let y1 = conv1(x, activation: .relu, layout: .cnhw, workspace: workspace)
        let y2 = conv2(y1, activation: .relu, layout: .cnhw, workspace: workspace)
        let skip = downsample.map { $0(x, layout: .cnhw, workspace: workspace) } ?? x
        return conv3(y2, adding: skip, activation: .relu, layout: .cnhw, workspace: workspace)
    }
}

extension WeightBinder {
    /// A bias-free convolution `name.weight` with the batch-norm `batchNorm.*` folded in.
    func convolution(_ name: String, batchNorm: String, shape: [Int], stride: Int, padding: Int) -> Conv2D {
        let conv = Conv2D(weight: tensor("\(name).weight", shape: shape), bias: nil, stride: stride, padding: Padding2D(padding))
        let n = shape[0]
        return conv.foldingBatchNorm(
            gamma: floats("\(batchNorm).weight", shape: [n]), beta: floats("\(batchNorm).bias", shape: [n]),
            mean: floats("\(batchNorm).running_mean", shape: [n]), variance: floats("\(batchNorm).running_var", shape: [n]),
            epsilon: 1e-5)
    }
}
