import Tensor

/// One iterative regressor (`regressor.t.*`, models/pymaf_net.py `Regressor`): x = [feature;
/// pose 144; shape 10; cam 3] → fc1 → fc2 (no activation between, dropout off at inference) →
/// pose += decpose(x), shape += decshape(x), cam += deccam(x).
struct ParameterRegressor {
    let fc1: Linear       // (width, features + 157)
    let fc2: Linear       // (width, width)
    let decpose: Linear   // (144, width)
    let decshape: Linear  // (10, width)
    let deccam: Linear    // (3, width)
    let featureCount: Int

    init(_ w: WeightBinder, index t: Int, featureCount: Int, width: Int) {
        let p = "regressor.\(t)"
        func linear(_ name: String, _ out: Int, _ input: Int) -> Linear {
            Linear(weight: w.tensor("\(p).\(name).weight", shape: [out, input]), bias: w.floats("\(p).\(name).bias", shape: [out]))
        }
        self.featureCount = featureCount
        fc1 = linear("fc1", width, featureCount + PyMAFArchitecture.parameterCount)
        fc2 = linear("fc2", width, width)
        decpose = linear("decpose", 144, width)
        decshape = linear("decshape", 10, width)
        deccam = linear("deccam", 3, width)
    }

    /// One refinement step for N crops: features (N, F) and the current estimate → the new one.
    func refine(features: [Float], estimate: ParameterEstimate) -> ParameterEstimate {
        let n = estimate.count, f = featureCount
        var x = [Float]()                                                  // (N, F + 157)
        x.reserveCapacity(n * (f + PyMAFArchitecture.parameterCount))
        for i in 0..<n {
            x += features[i * f..<(i + 1) * f]
            x += estimate.pose[i * 144..<(i + 1) * 144]
            x += estimate.shape[i * 10..<(i + 1) * 10]
            x += estimate.camera[i * 3..<(i + 1) * 3]
        }
        let hidden = fc2(fc1(Tensor(shape: [n, f + PyMAFArchitecture.parameterCount], data: x)))   // (N, width)
        let dPose = decpose(hidden).data, dShape = decshape(hidden).data, dCam = deccam(hidden).data
        return ParameterEstimate(
            count: n,
            pose: zip(estimate.pose, dPose).map { $0 + $1 },
            shape: zip(estimate.shape, dShape).map { $0 + $1 },
            camera: zip(estimate.camera, dCam).map { $0 + $1 })
    }
}

/// PyMAF's parameters for N crops: 6D pose (N, 144), shape (N, 10), camera (N, 3).
struct ParameterEstimate {
    var count: Int
    var pose: [Float]
    var shape: [Float]
    var camera: [Float]

    /// The mean parameters repeated for N crops.
    init(mean: MeanParameters, count n: Int) {
        count = n
        pose = Array([[Float]](repeating: mean.pose, count: n).joined())
        shape = Array([[Float]](repeating: mean.shape, count: n).joined())
        camera = Array([[Float]](repeating: mean.camera, count: n).joined())
    }

    init(count: Int, pose: [Float], shape: [Float], camera: [Float]) {
        self.count = count
        self.pose = pose
        self.shape = shape
        self.camera = camera
    }
}

/// PyMAF's initial estimate (`regressor.0.init_*` or `smpl_mean_params.npz`).
public struct MeanParameters: Sendable, Equatable {
    /// Mean pose in 6D, (144).
    public var pose: [Float]
    /// Mean shape, (10).
    public var shape: [Float]
    /// Mean crop camera, (3).
    public var camera: [Float]

    public init(pose: [Float], shape: [Float], camera: [Float]) {
        self.pose = pose
        self.shape = shape
        self.camera = camera
    }
}
