import ArgumentParser
import Foundation
import PyMAF
import Tensor

/// `pymaf-video regress`: PyMAF on ready-made crops, for scripts and parity checks.
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Run PyMAF on normalized 224×224 crops (.npy) and write its outputs (.npz).",
        usage: "pymaf-video regress --checkpoint <checkpoint> [--data_dir <data_dir>] --input <crops.npy> --output <out.npz> [--model_batch_size <n>] [--precision float32|bfloat16]",
        discussion: """
            crops.npy: float32 (N, 3, 224, 224), RGB /255 then normalized with mean (0.485, 0.456, 0.406) \
            and std (0.229, 0.224, 0.225). out.npz: theta (N,85), rotmat (N,24,3,3), verts (N,V,3), \
            joints3d (N,49,3), pred_cam (N,3), theta_iters (4,N,85).
            """)

    @Option(help: "PyMAF checkpoint (.pt, zip or legacy format).")
    var checkpoint: String

    @Option(name: .customLong("data_dir"), help: "PyMAF's data/ folder, for what the checkpoint lacks (SMPL, mean parameters, downsampling).")
    var dataDir: String?

    @Option(help: "Crops, float32 .npy of shape (N, 3, 224, 224).")
    var input: String

    @Option(help: "Output .npz file.")
    var output: String

    @Option(name: .customLong("model_batch_size"), help: "Crops per forward pass.")
    var modelBatchSize = 8

    @Option(help: "Compute threads (OpenBLAS); default: all cores.")
    var threads: Int?

    @Option(help: "float32 (default; matches PyTorch) or bfloat16 (faster with Intel AMX; float32 without it).")
    var precision: Precision = .float32

    @Flag(name: .customLong("save_iterations"), help: "Also write rotmat_iters, verts_iters and joints_iters (4, N, …).")
    var saveIterations = false

    func validate() throws {
        guard modelBatchSize >= 1 else { throw ValidationError("--model_batch_size must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        BLAS.threadCount = threads ?? BLAS.processorCount
        let (available, note) = PyMAFRegressor.availablePrecision(precision)
        if let note { FileHandle.standardError.write(Data("pymaf-video regress: warning: \(note)\n".utf8)) }
        let model = try PyMAFRegressor(checkpoint: URL(fileURLWithPath: checkpoint), dataDirectory: dataDir.map { URL(fileURLWithPath: $0) },
                                       precision: available)
        model.batchSize = modelBatchSize
        model.useWorkers(BLAS.threadCount)
        model.keepsIterations = saveIterations
        let crops = try RegressionFiles.readCrops(from: URL(fileURLWithPath: input))
        try RegressionFiles.write(try model.regress(crops), to: URL(fileURLWithPath: output))
    }
}
