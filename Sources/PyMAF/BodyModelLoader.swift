import BodyModel
import Foundation
import ModelIO

/// Where PyMAF's body model, mean parameters and mesh downsampling come from: the checkpoint's
/// buffers when present (each regressor's SMPL layer, `regressor.0.init_*`,
/// `maf_extractor.t.Dmap`, `points_grid`), otherwise PyMAF's `data/` folder:
/// `smpl/SMPL_NEUTRAL.pkl`, `J_regressor_extra.npy`, `smpl_mean_params.npz`,
/// `mesh_downsampling.npz` (Dmap = D[1]·D[0]). Each buffer falls back on its own.
///
///     let body = try BodyModelLoader.load(checkpoint: ckpt, dataDirectory: URL(fileURLWithPath: "data"))
public enum BodyModelLoader {
    /// The SMPL model of a PyMAF checkpoint (or of the data folder).
    public static func load(checkpoint: URL, dataDirectory: URL?) throws -> SMPLModel {
        let file = try TorchCheckpoint(contentsOf: checkpoint)
        let binder = WeightBinder(stateDict: try file.stateDict(), checkpointName: checkpoint.path)
        let assets = try PyMAFBodyAssets(binder, dataDirectory: dataDirectory, meshPointCount: nil)
        try binder.finish(reportUnexpected: false)
        return assets.body
    }
}

/// Everything about the body the network needs besides its weights.
struct PyMAFBodyAssets {
    var body: SMPLModel
    var mean: MeanParameters
    /// Dmap (431, V) of iterations 1 and 2.
    var downsampling: [SparseRows]
    /// The 21 × 21 sampling grid of iteration 0, (441, 2) as (x, y).
    var gridPoints: [Float]

    static let smplPrefix = "regressor.0.smpl."

    init(_ w: WeightBinder, dataDirectory: URL?, meshPointCount: Int?) throws {
        let data = PyMAFDataFolder(url: dataDirectory)
        var missing: [String] = []
        func orMissing<T>(_ what: String, _ make: () throws -> T?) throws -> T? {
            if let value = try make() { return value }
            missing.append(what)
            return nil
        }

        // The SMPL layer: each regressor holds a copy; the first is used.
        let p = Self.smplPrefix
        var file: SMPLModelFile?
        if !w.contains(p + "v_template") { file = try orMissing("SMPL body model (regressor.0.smpl.*)") { try data.smplFile() } }
        let V = w.shape(of: p + "v_template")?.first ?? file?.vertexCount ?? 0
        let vTemplate = w.contains(p + "v_template") ? w.floats(p + "v_template", shape: [V, 3]) : file?.vTemplate ?? []
        let betas = 10
        let shapedirs = w.contains(p + "shapedirs")
            ? w.floats(p + "shapedirs", shape: [V, 3, betas]) : file.map { Self.firstColumns($0.shapedirs, rows: V * 3, of: $0.shapeCount, keep: betas) } ?? []
        let posedirs = w.contains(p + "posedirs")
            ? w.floats(p + "posedirs", shape: [207, 3 * V]) : file.map { Self.transpose($0.posedirs, rows: 3 * V, columns: 207) } ?? []
        let jointRegressor = w.contains(p + "J_regressor") ? w.floats(p + "J_regressor", shape: [24, V]) : file?.jRegressor ?? []
        let weights = w.contains(p + "lbs_weights") ? w.floats(p + "lbs_weights", shape: [V, 24]) : file?.weights ?? []
        let parents = w.integers(p + "parents", count: 24).map { [-1] + $0.dropFirst() } ?? file?.parents ?? SMPLModel.smplParents
        var faces: [Int32] = []
        if let f = w.shape(of: p + "faces_tensor"), f.count == 2 {
            faces = (w.integers(p + "faces_tensor", count: f[0] * f[1]) ?? []).map { Int32(truncatingIfNeeded: $0) }
        } else if let f = try orMissing("faces (regressor.0.smpl.faces_tensor)", { try file ?? data.smplFile() }) {
            faces = f.faces
        }
        let extraRegressor = w.contains(p + "J_regressor_extra")
            ? w.floats(p + "J_regressor_extra", shape: [9, V])
            : try orMissing("J_regressor_extra") { try data.extraJointRegressor(vertexCount: V) } ?? []
        var extraIndices = w.integers(p + "vertex_joint_selector.extra_joints_idxs", count: 21)
        if extraIndices == nil {
            extraIndices = try orMissing("vertex_joint_selector.extra_joints_idxs (the 21 keypoint vertices; only known for the 6890-vertex SMPL mesh)") {
                V == 6890 ? SMPLModel.smplExtraVertexIndices : nil
            }
        }

        // Mean parameters.
        var mean: MeanParameters?
        if w.contains("regressor.0.init_pose") {
            mean = MeanParameters(pose: w.floats("regressor.0.init_pose", shape: [1, 144]),
                                  shape: w.floats("regressor.0.init_shape", shape: [1, 10]),
                                  camera: w.floats("regressor.0.init_cam", shape: [1, 3]))
        } else {
            mean = try orMissing("mean parameters (regressor.0.init_*)") { try data.meanParameters() }
        }

        // Mesh downsampling of iterations 1 and 2.
        var downsampling: [SparseRows] = []
        var fromData: SparseRows?
        for t in 1..<PyMAFArchitecture.iterationCount {
            let key = "maf_extractor.\(t).Dmap"
            if let s = w.shape(of: key), s.count == 2 {
                let rows = meshPointCount ?? s[0]
                downsampling.append(SparseRows(dense: w.floats(key, shape: [rows, V]), rows: rows, columns: V))
            } else if let d = try fromData ?? orMissing("mesh downsampling (\(key))", { try data.downsampling(vertexCount: V) }) {
                fromData = d
                downsampling.append(d)
            }
        }
        w.markUsed("maf_extractor.0.Dmap")

        // Sampling grid of iteration 0.
        if w.contains("points_grid") {
            let grid = w.floats("points_grid", shape: [1, 2, 441])
            gridPoints = (0..<441).flatMap { [grid[$0], grid[441 + $0]] }
        } else {
            gridPoints = Self.defaultGrid()
        }

        guard missing.isEmpty, let mean, let extraIndices else {
            throw PyMAFError.bodyModelUnavailable(missing: missing, dataDirectory: dataDirectory?.path)
        }
        do {
            body = try SMPLModel(
                vTemplate: vTemplate, shapedirs: shapedirs, posedirs: posedirs, jointRegressor: jointRegressor,
                lbsWeights: weights, parents: parents, faces: faces, extraJointRegressor: extraRegressor,
                extraVertexIndices: extraIndices)
        } catch let error as BodyModelError {
            throw PyMAFError.dataFile(path: w.checkpointName, reason: error.description)
        }
        self.mean = mean
        self.downsampling = downsampling
    }

    /// PyMAF's grid: linspace(−1, 1, 21) in both axes, x varying slowest.
    static func defaultGrid() -> [Float] {
        let line = (0..<21).map { Float(-1 + 2 * Double($0) / 20) }
        return (0..<441).flatMap { [line[$0 / 21], line[$0 % 21]] }
    }

    static func transpose(_ m: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: m.count)
        for r in 0..<rows {
            for c in 0..<columns { out[c * rows + r] = m[r * columns + c] }
        }
        return out
    }

    static func firstColumns(_ m: [Float], rows: Int, of columns: Int, keep: Int) -> [Float] {
        guard columns > keep else { return m }
        return (0..<rows).flatMap { m[$0 * columns..<$0 * columns + keep] }
    }
}

/// PyMAF's `data/` folder, read only for what the checkpoint lacks.
struct PyMAFDataFolder {
    let url: URL?

    private func file(_ relative: String) throws -> URL? {
        guard let url else { return nil }
        let path = url.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: path.path) ? path : nil
    }

    private func reading<T>(_ path: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PyMAFError {
            throw error
        } catch {
            throw PyMAFError.dataFile(path: path.path, reason: "\(error)")
        }
    }

    func smplFile() throws -> SMPLModelFile? {
        guard let path = try file("smpl/SMPL_NEUTRAL.pkl") else { return nil }
        return try reading(path) { try SMPLModelFile.load(contentsOf: path) }
    }

    /// `J_regressor_extra.npy`, (9, V).
    func extraJointRegressor(vertexCount: Int) throws -> [Float]? {
        guard let path = try file("J_regressor_extra.npy") else { return nil }
        return try reading(path) {
            let array = try NPYFile.read(contentsOf: path)
            guard array.shape == [9, vertexCount] else {
                throw PyMAFError.dataFile(path: path.path, reason: "shape \(array.shape), expected [9, \(vertexCount)] for this body model")
            }
            return try array.floats()
        }
    }

    /// `smpl_mean_params.npz`: pose (144), shape (10), cam (3).
    func meanParameters() throws -> MeanParameters? {
        guard let path = try file("smpl_mean_params.npz") else { return nil }
        return try reading(path) {
            let archive = try NPZArchive(contentsOf: path)
            let pose = try archive.array("pose").floats(), shape = try archive.array("shape").floats(), cam = try archive.array("cam").floats()
            guard pose.count == 144, shape.count == 10, cam.count == 3 else {
                throw PyMAFError.dataFile(path: path.path, reason: "pose/shape/cam have \(pose.count)/\(shape.count)/\(cam.count) values, expected 144/10/3")
            }
            return MeanParameters(pose: pose, shape: shape, camera: cam)
        }
    }

    /// `mesh_downsampling.npz`: Dmap = D[1]·D[0], (431, V).
    func downsampling(vertexCount: Int) throws -> SparseRows? {
        guard let path = try file("mesh_downsampling.npz") else { return nil }
        return try reading(path) {
            let d = try NPZArchive(contentsOf: path).sparseMatrices("D")
            guard d.count >= 2, d[0].columns == vertexCount, d[1].columns == d[0].rows else {
                throw PyMAFError.dataFile(path: path.path, reason: "D must hold V→M and M→431 matrices for V = \(vertexCount); got \(d.map { [$0.rows, $0.columns] })")
            }
            return SparseRows(product: d[1], d[0])
        }
    }
}

extension SparseRows {
    /// The product a·b of two sparse matrices (entries summed in Double).
    init(product a: SparseMatrix, _ b: SparseMatrix) {
        var bRows = [[(Int, Double)]](repeating: [], count: b.rows)
        for e in 0..<b.nonZeroCount { bRows[b.rowIndices[e]].append((b.columnIndices[e], b.values[e])) }
        var aRows = [[(Int, Double)]](repeating: [], count: a.rows)
        for e in 0..<a.nonZeroCount { aRows[a.rowIndices[e]].append((a.columnIndices[e], a.values[e])) }
        var start = [0], index = [Int](), values = [Float]()
        for r in 0..<a.rows {
            var row: [Int: Double] = [:]
            for (k, x) in aRows[r] {
                for (c, y) in bRows[k] { row[c, default: 0] += x * y }
            }
            for c in row.keys.sorted() where row[c] != 0 {
                index.append(c)
                values.append(Float(row[c]!))
            }
            start.append(index.count)
        }
        self.init(rows: a.rows, columns: b.columns, rowStart: start, columnIndex: index, values: values)
    }
}
