import Tensor

/// What one forward pass costs and where its time went.
extension PyMAFRegressor {
    /// Multiply-adds × 2 per 224² crop: trunk convolutions, transposed convolutions, MLPs and
    /// fc layers (SMPL and sampling, < 0.1 GFLOP, are left out).
    public var estimatedFLOPsPerCrop: Double {
        var flops = 0.0
        func conv(_ c: Conv2D, outputSide: Int) { flops += 2 * Double(c.weight.count * outputSide * outputSide) }
        conv(trunk.stem, outputSide: 112)
        var side = 56
        for (i, layer) in trunk.layers.enumerated() {
            for (b, block) in layer.enumerated() {
                let inputSide = side
                if b == 0 && i > 0 { side /= 2 }
                conv(block.conv1, outputSide: inputSide)
                conv(block.conv2, outputSide: side)
                conv(block.conv3, outputSide: side)
                if let d = block.downsample { conv(d, outputSide: side) }
            }
        }
        for block in deconv.blocks {
            flops += 2 * Double(block.weight.count * side * side)  // every input pixel scatters a 4×4 patch per channel pair
            side *= 2
        }
        for (t, e) in extractors.enumerated() {
            let points = Double(t == 0 ? architecture.gridPointCount : architecture.meshPointCount)
            flops += 2 * points * Double(e.w0.count + e.w1y.count + e.w1f.count + e.w2y.count + e.w2f.count)
        }
        for r in regressors {
            flops += 2 * Double(r.fc1.weight.count + r.fc2.weight.count + r.decpose.weight.count + r.decshape.weight.count + r.deccam.weight.count)
        }
        return flops
    }
}

/// Seconds spent per stage by the last `regress` call (summed over its batches).
public struct RegressionTimings: Sendable, Equatable {
    /// ResNet-50.
    public var trunk: Double = 0
    /// The three transposed convolutions.
    public var deconvolution: Double = 0
    /// Projection, grid sampling and the per-point MLPs.
    public var meshAlignedFeatures: Double = 0
    /// fc1/fc2/dec* of the three regressors.
    public var regressors: Double = 0
    /// 6D → matrices, SMPL (the final body; intermediate ones at Dmap's vertices only), axis-angle.
    public var bodyModel: Double = 0

    public init() {}

    public var total: Double { trunk + deconvolution + meshAlignedFeatures + regressors + bodyModel }

    /// Adds `other`'s seconds stage by stage.
    public mutating func add(_ other: RegressionTimings) {
        trunk += other.trunk
        deconvolution += other.deconvolution
        meshAlignedFeatures += other.meshAlignedFeatures
        regressors += other.regressors
        bodyModel += other.bodyModel
    }

    /// "trunk 20.1 ms (70%), …" per crop.
    public func summary(perCrop n: Int) -> String {
        let parts: [(String, Double)] = [("trunk", trunk), ("deconv", deconvolution), ("mesh-aligned features", meshAlignedFeatures),
                                         ("regressors", regressors), ("SMPL", bodyModel)]
        return parts.map { name, seconds in
            let ms = seconds * 1000 / Double(max(1, n))
            let share = total > 0 ? 100 * seconds / total : 0
            return "\(name) \(String(format: "%.2f", ms)) ms (\(String(format: "%.0f", share))%)"
        }.joined(separator: ", ")
    }
}
