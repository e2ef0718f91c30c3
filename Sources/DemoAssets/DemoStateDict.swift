/// One tensor of the demo checkpoint's state dict.
public struct DemoTensor: Sendable {
    public enum Values: Sendable {
        case float([Float])
        case int64([Int64])
    }

    /// The state-dict key, as in PyMAF (`feature_extractor.layer1.0.conv1.weight`).
    public var key: String
    /// PyTorch shape; `[]` for a scalar.
    public var shape: [Int]
    public var values: Values
}

/// The state dict of an untrained PyMAF with the real architecture: every key, shape and dtype of
/// PyMAF's released checkpoint, in its order, except that the SMPL buffers and the
/// downsampling matrix `Dmap` (431, V) follow the body model's V.
///
/// Weights are seeded uniform draws scaled like PyTorch's initializations (He for convolutions,
/// Glorot for the fully connected layers, and ×0.01 Glorot for the `decpose/decshape/deccam`
/// heads as PyMAF does, so the mean parameters come out nearly unchanged). Batch-norm layers have
/// γ = 1 (0.25 on each bottleneck's last one, which keeps the untrained residual stack's activations
/// from doubling at every block), small β, running means within ±0.05 and variances in [0.8, 1.2].
enum DemoStateDict {
    static func make(body: ProceduralHumanoid, seed: UInt64) -> [DemoTensor] {
        var builder = Builder(generator: SeededGenerator(seed: seed))
        builder.float("points_grid", [1, 2, 441], pointsGrid())
        builder.resNet50(prefix: "feature_extractor")
        for (i, cin) in [(0, 2048), (3, 256), (6, 256)] {
            builder.float("deconv_layers.\(i).weight", [cin, 256, 4, 4], builder.he(count: cin * 256 * 16, fanIn: cin * 4))
            builder.batchNorm("deconv_layers.\(i + 1)", 256, gamma: 1)
        }
        let dmap = downsamplingMatrix(vertexCount: body.vertexCount)
        for t in 0..<3 {
            let p = "maf_extractor.\(t)"
            builder.float("\(p).Dmap", [431, body.vertexCount], dmap)
            builder.conv1d("\(p).conv0", out: 128, in: 256)
            builder.conv1d("\(p).conv1", out: 64, in: 384)
            builder.conv1d("\(p).conv2", out: 5, in: 320)
        }
        for t in 0..<3 { builder.regressor(prefix: "regressor.\(t)", featureCount: t == 0 ? 2205 : 2155, body: body) }
        for (name, out) in [("predict_u", 25), ("predict_v", 25), ("predict_ann_index", 15), ("predict_uv_index", 25)] {
            builder.float("dp_head.\(name).weight", [out, 256, 3, 3], builder.he(count: out * 256 * 9, fanIn: 256 * 9))
            builder.float("dp_head.\(name).bias", [out], builder.generator.symmetric(count: out, bound: 0.01))
        }
        return builder.tensors
    }

    /// PyMAF's 21×21 sampling grid over [−1, 1]², (1, 2, 441): point k = 21·i + j has x = g[i],
    /// y = g[j] (a meshgrid with matrix indexing).
    static func pointsGrid() -> [Float] {
        let g = (0..<21).map { -1 + 2 * Float($0) / 20 }
        var out = [Float](repeating: 0, count: 2 * 441)
        for i in 0..<21 {
            for j in 0..<21 {
                out[21 * i + j] = g[i]
                out[441 + 21 * i + j] = g[j]
            }
        }
        return out
    }

    /// A 431-row averaging matrix over the body's vertices, (431, V): row r centres on vertex
    /// ⌊r·V/431⌋ with weight ½ and its two index neighbours with ¼ each (rows sum to 1), standing in
    /// for SMPL's 6890 → 1723 → 431 mesh downsampling.
    static func downsamplingMatrix(vertexCount v: Int) -> [Float] {
        var d = [Float](repeating: 0, count: 431 * v)
        for r in 0..<431 {
            let c = r * v / 431
            d[r * v + c] += 0.5
            d[r * v + (c + 1) % v] += 0.25
            d[r * v + (c + v - 1) % v] += 0.25
        }
        return d
    }

    struct Builder {
        var generator: SeededGenerator
        var tensors: [DemoTensor] = []

        mutating func float(_ key: String, _ shape: [Int], _ values: [Float]) {
            precondition(values.count == shape.reduce(1, *), "\(key): \(values.count) values for \(shape)")
            tensors.append(DemoTensor(key: key, shape: shape, values: .float(values)))
        }

        mutating func int64(_ key: String, _ shape: [Int], _ values: [Int64]) {
            precondition(values.count == shape.reduce(1, *), "\(key): \(values.count) values for \(shape)")
            tensors.append(DemoTensor(key: key, shape: shape, values: .int64(values)))
        }

        /// He-scaled uniform weights: variance 2 / fanIn.
        mutating func he(count: Int, fanIn: Int) -> [Float] {
            generator.symmetric(count: count, bound: (6 / Float(fanIn)).squareRoot())
        }

        /// Glorot-scaled uniform weights times `gain`.
        mutating func glorot(count: Int, fanIn: Int, fanOut: Int, gain: Float = 1) -> [Float] {
            generator.symmetric(count: count, bound: gain * (6 / Float(fanIn + fanOut)).squareRoot())
        }

        mutating func conv(_ key: String, out: Int, in cin: Int, kernel k: Int) {
            float("\(key).weight", [out, cin, k, k], he(count: out * cin * k * k, fanIn: cin * k * k))
        }

        mutating func batchNorm(_ prefix: String, _ channels: Int, gamma: Float) {
            float("\(prefix).weight", [channels], [Float](repeating: gamma, count: channels))
            float("\(prefix).bias", [channels], generator.symmetric(count: channels, bound: 0.02))
            float("\(prefix).running_mean", [channels], generator.symmetric(count: channels, bound: 0.05))
            float("\(prefix).running_var", [channels], generator.uniform(count: channels, 0.8, 1.2))
            int64("\(prefix).num_batches_tracked", [], [1])
        }

        mutating func conv1d(_ prefix: String, out: Int, in cin: Int) {
            float("\(prefix).weight", [out, cin, 1], he(count: out * cin, fanIn: cin))
            float("\(prefix).bias", [out], generator.symmetric(count: out, bound: 0.01))
        }

        mutating func linear(_ prefix: String, out: Int, in cin: Int, gain: Float = 1, bias: Bool = true) {
            float("\(prefix).weight", [out, cin], glorot(count: out * cin, fanIn: cin, fanOut: out, gain: gain))
            float("\(prefix).bias", [out], bias ? generator.symmetric(count: out, bound: 0.01) : [Float](repeating: 0, count: out))
        }

        /// torchvision's ResNet-50 trunk without its classifier: conv1, bn1, layer1…4.
        mutating func resNet50(prefix: String) {
            conv("\(prefix).conv1", out: 64, in: 3, kernel: 7)
            batchNorm("\(prefix).bn1", 64, gamma: 1)
            var inplanes = 64
            for (layer, (planes, blocks)) in [(64, 3), (128, 4), (256, 6), (512, 3)].enumerated() {
                for block in 0..<blocks {
                    let p = "\(prefix).layer\(layer + 1).\(block)"
                    conv("\(p).conv1", out: planes, in: inplanes, kernel: 1)
                    batchNorm("\(p).bn1", planes, gamma: 1)
                    conv("\(p).conv2", out: planes, in: planes, kernel: 3)
                    batchNorm("\(p).bn2", planes, gamma: 1)
                    conv("\(p).conv3", out: planes * 4, in: planes, kernel: 1)
                    batchNorm("\(p).bn3", planes * 4, gamma: 0.25)
                    if block == 0 {
                        conv("\(p).downsample.0", out: planes * 4, in: inplanes, kernel: 1)
                        batchNorm("\(p).downsample.1", planes * 4, gamma: 1)
                    }
                    inplanes = planes * 4
                }
            }
        }

        /// One iteration's regressor: mean parameters, fc1, fc2, the three heads, and its SMPL layer's buffers.
        mutating func regressor(prefix p: String, featureCount: Int, body: ProceduralHumanoid) {
            float("\(p).init_pose", [1, 144], DemoMeanParameters.pose6D)
            float("\(p).init_shape", [1, 10], DemoMeanParameters.shape)
            float("\(p).init_cam", [1, 3], DemoMeanParameters.camera)
            let inputs = featureCount + 144 + 10 + 3
            linear("\(p).fc1", out: 1024, in: inputs)
            linear("\(p).fc2", out: 1024, in: 1024)
            linear("\(p).decpose", out: 144, in: 1024, gain: 0.01, bias: false)
            linear("\(p).decshape", out: 10, in: 1024, gain: 0.01, bias: false)
            linear("\(p).deccam", out: 3, in: 1024, gain: 0.01, bias: false)
            let v = body.vertexCount
            float("\(p).smpl.betas", [64, 10], [Float](repeating: 0, count: 640))
            float("\(p).smpl.global_orient", [64, 3], [Float](repeating: 0, count: 192))
            float("\(p).smpl.body_pose", [64, 69], [Float](repeating: 0, count: 64 * 69))
            float("\(p).smpl.shapedirs", [v, 3, 10], body.shapedirs)
            int64("\(p).smpl.faces_tensor", [body.faceCount, 3], body.faces.map { Int64($0) })
            float("\(p).smpl.v_template", [v, 3], body.vTemplate)
            float("\(p).smpl.J_regressor", [24, v], body.jointRegressor)
            float("\(p).smpl.posedirs", [207, 3 * v], body.posedirs)
            int64("\(p).smpl.parents", [24], body.parents.map { Int64($0) })
            float("\(p).smpl.lbs_weights", [v, 24], body.lbsWeights)
            float("\(p).smpl.J_regressor_extra", [9, v], body.extraJointRegressor)
            int64("\(p).smpl.vertex_joint_selector.extra_joints_idxs", [21], body.extraVertexIndices.map { Int64($0) })
        }
    }
}
