import BodyModel
import Foundation
import ModelIO
import Tensor

/// PyMAF (Zhang et al., ICCV 2021) at inference, as models/pymaf_net.py computes it: ResNet-50
/// trunk → three transposed-conv blocks; from the mean parameters, three feedback iterations,
/// each sampling the current feature map at the grid (t = 0) or at the projected downsampled
/// mesh (t > 0), reducing the samples with an MLP and regressing parameter updates; SMPL after
/// each. The training-only dense-correspondence head (`dp_head`) is not evaluated.
///
///     let model = try PyMAFRegressor(checkpoint: url, dataDirectory: nil)
///     model.batchSize = 8
///     let out = try model.regress(crops)   // crops (N, 3, 224, 224), ImageNet-normalized RGB
///
/// Not thread-safe: it owns scratch memory. Use one per thread.
public final class PyMAFRegressor {
    /// The SMPL model the network's parameters drive.
    public let bodyModel: SMPLModel
    /// The initial estimate.
    public let meanParameters: MeanParameters
    /// Crops per forward pass (`--model_batch_size`); larger batches use the GEMMs better.
    public var batchSize = 8
    /// Threads a batch is split across (default 1). Each worker regresses its share of the crops
    /// with its own scratch. Use it with single-threaded OpenBLAS (`BLAS.threadCount = 1`, set
    /// once by the caller for the whole run, as `pymaf-video` does): on 2 cores two workers do
    /// about 1.2–1.4× the work per second of one batch on OpenBLAS's two threads, whose threads
    /// wait for each other at every call. The answer matches one worker's within float rounding
    /// (the products see other batch sizes).
    public var workers = 1
    /// Also return rotations, vertices and joints of every iteration (parity checks).
    public var keepsIterations = false
    /// How the trunk's and the deconvolutions' products compute (fixed at load). `.float32`
    /// reproduces PyTorch to rounding; `.bfloat16` rounds their inputs to bfloat16 (see
    /// `Precision`), faster on CPUs with Intel AMX.
    public let precision: Precision
    /// Seconds per stage spent by the last `regress` call.
    public private(set) var lastTimings = RegressionTimings()

    let architecture: PyMAFArchitecture
    let trunk: ResNetTrunk
    let deconv: DeconvPyramid
    let extractors: [MeshAlignedFeatureExtractor]
    let regressors: [ParameterRegressor]
    let downsampling: [SparseRows]
    /// Between iterations only the vertices Dmap reads are needed: per Dmap (iterations 1, 2),
    /// the body restricted to its non-zero columns and Dmap over just those columns.
    let meshPointSources: [(body: SMPLVertexSubset, downsampling: SparseRows)]
    /// The initial estimate's rotations (24, 3, 3) and body (one crop; the same for every crop).
    let meanRotations: [Float]
    let meanBody: SMPLOutput
    let gridPoints: [Float]
    /// Scratch for whole batches on OpenBLAS's threads.
    let workspace = Workspace(threadCount: max(1, BLAS.threadCount))
    /// Scratch per worker thread (single-threaded loops), made on first use.
    private var workerWorkspaces: [Workspace] = []

    /// Loads a PyMAF checkpoint (zip or legacy format; `{"model": state_dict}` or a bare state dict).
    ///
    /// - Parameters:
    ///   - checkpoint: the `.pt` file.
    ///   - dataDirectory: PyMAF's `data/` folder, read only for what the checkpoint lacks.
    /// - Throws: `ModelIOError` for an unreadable file; `PyMAFError.weightsMismatch` listing every
    ///   missing key, unexpected key and shape mismatch; `PyMAFError.bodyModelUnavailable`.
    ///   - precision: how the convolutions compute (`.float32`, the default, matches PyTorch).
    public convenience init(checkpoint: URL, dataDirectory: URL? = nil, precision: Precision = .float32) throws {
        let file = try TorchCheckpoint(contentsOf: checkpoint)
        try self.init(stateDict: try file.stateDict(), name: checkpoint.path, dataDirectory: dataDirectory, precision: precision)
    }

    /// Binds an already-read state dict; `name` labels errors.
    public init(stateDict: [(key: String, tensor: StoredTensor)], name: String, dataDirectory: URL? = nil,
                precision: Precision = .float32) throws {
        self.precision = precision
        let w = WeightBinder(stateDict: stateDict, checkpointName: name)
        w.ignore(prefix: "dp_head.")
        w.ignore(suffix: ".num_batches_tracked")
        for t in 0..<PyMAFArchitecture.iterationCount {
            // Each regressor holds the same SMPL layer and mean parameters; the first copy is used.
            if t > 0 {
                w.ignore(prefix: "regressor.\(t).smpl.")
                w.ignore(prefix: "regressor.\(t).init_")
            }
            for parameter in ["betas", "global_orient", "body_pose", "transl"] { w.ignore(prefix: "regressor.\(t).smpl.\(parameter)") }
        }
        let architecture = PyMAFArchitecture(inferringFrom: w)
        self.architecture = architecture
        trunk = ResNetTrunk(w, architecture: architecture, precision: precision)
        deconv = DeconvPyramid(w, architecture: architecture, precision: precision)
        extractors = (0..<PyMAFArchitecture.iterationCount).map { MeshAlignedFeatureExtractor(w, index: $0, architecture: architecture) }
        regressors = (0..<PyMAFArchitecture.iterationCount).map { t in
            ParameterRegressor(w, index: t, featureCount: PyMAFArchitecture.pointFeatureCount
                                   * (t == 0 ? architecture.gridPointCount : architecture.meshPointCount),
                               width: architecture.regressorWidth)
        }
        let assets = try PyMAFBodyAssets(w, dataDirectory: dataDirectory, meshPointCount: architecture.meshPointCount)
        try w.finish()
        bodyModel = assets.body
        meanParameters = assets.mean
        downsampling = assets.downsampling
        meshPointSources = assets.downsampling.map { dmap in
            let (used, compact) = dmap.compacted()
            return (assets.body.subset(vertices: used), compact)
        }
        meanRotations = Rotation.matrix(from6D: assets.mean.pose)
        meanBody = assets.body.forward(betas: assets.mean.shape, rotations: meanRotations)
        gridPoints = assets.gridPoints
        guard gridPoints.count == 2 * architecture.gridPointCount else {
            throw PyMAFError.weightsMismatch(checkpoint: name, missing: [], unexpected: [], shapeMismatches: [
                .init(key: "regressor.0.fc1.weight", expected: [architecture.regressorWidth, 5 * gridPoints.count / 2 + 157],
                      actual: [architecture.regressorWidth, 5 * architecture.gridPointCount + 157]),
            ])
        }
    }

    /// The precision to load with when `requested`: `.bfloat16` only where it is fast (Intel
    /// AMX usable); otherwise `.float32`, with a note saying why.
    public static func availablePrecision(_ requested: Precision) -> (precision: Precision, note: String?) {
        guard requested == .bfloat16 && !BFloat16GEMM.amxUsable else { return (requested, nil) }
        return (.float32, "bfloat16 needs Intel AMX (AMX-BF16), which this CPU or system does not offer: computing in float32")
    }

    /// Uses `threads` cores the fastest way: with more than one, `threads` workers and
    /// single-threaded OpenBLAS (`BLAS.threadCount = 1`, process-wide); with one, one thread.
    public func useWorkers(_ threads: Int) {
        workers = max(1, threads)
        if threads > 1 { BLAS.threadCount = 1 }
    }

    /// Regresses N crops, `batchSize` at a time.
    ///
    /// - Parameter crops: (N, 3, H, W) float, RGB normalized with ImageNet mean/std (224² for PyMAF).
    /// - Returns: theta, rotations, vertices, 49 joints, camera and per-iteration theta for each crop.
    /// - Throws: `PyMAFError.invalidInput` for a wrongly shaped batch.
    public func regress(_ crops: Tensor) throws -> RegressionOutput {
        let s = crops.shape
        guard s.count == 4, s[0] >= 1, s[1] == 3, s[2] >= 32, s[3] >= 32 else { throw PyMAFError.invalidInput(shape: s) }
        let n = s[0], perCrop = 3 * s[2] * s[3], step = max(1, batchSize)
        var parts: [RegressionOutput] = []
        lastTimings = RegressionTimings()
        for start in stride(from: 0, to: n, by: step) {
            let end = min(n, start + step)
            let batch = end - start == n ? crops : Tensor(shape: [end - start, 3, s[2], s[3]], data: Array(crops.data[start * perCrop..<end * perCrop]))
            if workers > 1 && end - start > 1 {
                parts.append(forwardSplit(batch))
            } else {
                var timings = RegressionTimings()
                parts.append(forward(batch, workspace: workspace, timings: &timings))
                lastTimings.add(timings)
            }
        }
        return RegressionOutput.concatenating(parts)
    }

    /// A batch (N ≥ 2, 3, H, W) split into `min(workers, N)` contiguous shares, each regressed on
    /// its own thread; the outputs in crop order. The stage timings kept
    /// are the first share's (each share takes about the whole call's time).
    func forwardSplit(_ x: Tensor) -> RegressionOutput {
        let n = x.shape[0], shares = min(workers, n), perCrop = x.count / n
        while workerWorkspaces.count < shares { workerWorkspaces.append(Workspace(threadCount: 1)) }
        var outputs = [RegressionOutput?](repeating: nil, count: shares)
        var timings = [RegressionTimings](repeating: RegressionTimings(), count: shares)
        outputs.withUnsafeMutableBufferPointer { out in
            timings.withUnsafeMutableBufferPointer { time in
                parallelChunks(shares, threads: shares) { indices in           // one share per thread
                    for i in indices {
                        let crops = (i * n / shares)..<((i + 1) * n / shares)
                        let share = Tensor(shape: [crops.count] + x.shape.dropFirst(),
                                           data: Array(x.data[crops.lowerBound * perCrop..<crops.upperBound * perCrop]))
                        out[i] = forward(share, workspace: workerWorkspaces[i], timings: &time[i])
                    }
                }
            }
        }
        lastTimings.add(timings[0])
        return RegressionOutput.concatenating(outputs.map { $0! })
    }

    /// One forward pass over a batch (N, 3, H, W) with `workspace`; adds its stage times to `timings`.
    func forward(_ x: Tensor, workspace: Workspace, timings: inout RegressionTimings) -> RegressionOutput {
        let n = x.shape[0]
        let clock = ContinuousClock()
        func timed<T>(_ stage: WritableKeyPath<RegressionTimings, Double>, _ body: () -> T) -> T {
            let start = clock.now
            let result = body()
            let d = clock.now - start
            timings[keyPath: stage] += Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            return result
        }
        var record = IterationRecord(count: n, vertexCount: bodyModel.vertexCount, keepsBodies: keepsIterations)
        var features = timed(\.trunk) { trunk(x, workspace: workspace) }                // (2048, N, 7, 7), batch-inner
        var estimate = ParameterEstimate(mean: meanParameters, count: n)
        timed(\.bodyModel) {
            record.append(estimate, rotations: repeated(meanRotations, n), body: keepsIterations ? meanBody.repeated(n) : nil)
        }
        var meshPoints: [Float] = []       // (N, 431, 3): the last estimate's downsampled mesh
        var final: (rotations: [Float], body: SMPLOutput)?
        for t in 0..<PyMAFArchitecture.iterationCount {
            features = timed(\.deconvolution) { deconv(t, features, workspace: workspace) }   // (256, N, 14·2^t, 14·2^t)
            let sampled = timed(\.meshAlignedFeatures) { () -> [Float] in
                let points: Tensor
                if t == 0 {
                    let p = architecture.gridPointCount                                  // (N, 441, 2)
                    points = Tensor(shape: [n, p, 2], data: repeated(gridPoints, n))
                } else {                                                                 // (N, 431, 2)
                    points = project(meshPoints, cameras: estimate.camera)
                }
                return extractors[t](features, points: points)                           // (N, 5·P)
            }
            estimate = timed(\.regressors) { regressors[t].refine(features: sampled, estimate: estimate) }
            timed(\.bodyModel) {
                let rotations = Rotation.matrix(from6D: estimate.pose)                    // (N, 24, 3, 3)
                let isLast = t == PyMAFArchitecture.iterationCount - 1
                if isLast || keepsIterations {
                    let body = bodyModel.forward(betas: estimate.shape, rotations: rotations)
                    if !isLast { meshPoints = downsampling[t].apply(toPoints: body.vertices, count: n) }
                    record.append(estimate, rotations: rotations, body: body)
                    final = (rotations, body)
                } else {
                    // Only the next iteration's projection reads this body: pose Dmap's vertices alone.
                    let source = meshPointSources[t]
                    let vertices = source.body.vertices(betas: estimate.shape, rotations: rotations)  // (N, S, 3)
                    meshPoints = source.downsampling.apply(toPoints: vertices, count: n)
                    record.append(estimate, rotations: rotations, body: nil)
                }
            }
        }
        return record.output(final: final!, camera: estimate.camera)
    }

    /// Downsampled meshes (N, P, 3) through each crop's camera → normalized points (N, P, 2).
    func project(_ points: [Float], cameras: [Float]) -> Tensor {
        let n = cameras.count / 3, p = points.count / (3 * n)
        var out = [Float]()
        out.reserveCapacity(n * p * 2)
        for i in 0..<n {
            out += WeakPerspectiveCamera.project(points: Array(points[i * p * 3..<(i + 1) * p * 3]),
                                                 camera: SIMD3(cameras[3 * i], cameras[3 * i + 1], cameras[3 * i + 2]))
        }
        return Tensor(shape: [n, p, 2], data: out)
    }
}

@available(*, unavailable)
extension PyMAFRegressor: Sendable {}

/// Collects theta (and optionally the bodies) of each iteration.
struct IterationRecord {
    let count: Int
    let vertexCount: Int
    let keepsBodies: Bool
    var theta: [Float] = []
    var rotations: [Float] = []
    var vertices: [Float] = []
    var joints: [Float] = []

    init(count: Int, vertexCount: Int, keepsBodies: Bool) {
        self.count = count
        self.vertexCount = vertexCount
        self.keepsBodies = keepsBodies
    }

    /// theta = [cam | shape | axis-angle of the rotations] per crop, (N, 85).
    static func theta(_ estimate: ParameterEstimate, rotations: [Float]) -> [Float] {
        let axisAngle = Rotation.axisAngle(fromMatrix: rotations)
        var out = [Float]()
        out.reserveCapacity(estimate.count * 85)
        for i in 0..<estimate.count {
            out += estimate.camera[3 * i..<3 * i + 3]
            out += estimate.shape[10 * i..<10 * i + 10]
            out += axisAngle[72 * i..<72 * i + 72]
        }
        return out
    }

    /// Records one iteration: theta always; rotations, vertices and joints when keeping bodies
    /// (then `body` must be given).
    mutating func append(_ estimate: ParameterEstimate, rotations r: [Float], body: SMPLOutput?) {
        theta += Self.theta(estimate, rotations: r)
        if keepsBodies {
            guard let body else { preconditionFailure("IterationRecord: keeping bodies, but an iteration came without one") }
            rotations += r
            vertices += body.vertices
            joints += body.joints49
        }
    }

    func output(final: (rotations: [Float], body: SMPLOutput), camera: [Float]) -> RegressionOutput {
        let last = Array(theta[(RegressionOutput.iterationCount - 1) * count * 85..<RegressionOutput.iterationCount * count * 85])
        return RegressionOutput(
            count: count, vertexCount: vertexCount, theta: last, rotations: final.rotations, vertices: final.body.vertices,
            joints: final.body.joints49, predCam: camera, thetaIterations: theta, rotationIterations: rotations,
            vertexIterations: vertices, jointIterations: joints)
    }
}

/// `values` n times over.
func repeated(_ values: [Float], _ n: Int) -> [Float] {
    Array([[Float]](repeating: values, count: n).joined())
}

extension SMPLOutput {
    /// This output's bodies n times over (for the initial estimate, the same for every crop).
    func repeated(_ n: Int) -> SMPLOutput {
        SMPLOutput(count: count * n, vertexCount: vertexCount, vertices: PyMAF.repeated(vertices, n),
                   joints: PyMAF.repeated(joints, n), joints49: PyMAF.repeated(joints49, n))
    }
}
