/// Why a PyMAF model could not be loaded or run. Messages say what, where and what to do.
public enum PyMAFError: Error, Equatable, CustomStringConvertible {
    /// A tensor whose shape differs from what the architecture needs.
    public struct ShapeMismatch: Equatable, Sendable {
        public var key: String
        public var expected: [Int]
        public var actual: [Int]
    }

    /// The checkpoint's weights do not fit the network: every problem, reported together.
    case weightsMismatch(checkpoint: String, missing: [String], unexpected: [String], shapeMismatches: [ShapeMismatch])
    /// A tensor could not be read (dtype or storage problem).
    case unreadableTensor(checkpoint: String, key: String, reason: String)
    /// The body model, mean parameters or downsampling matrix are neither in the checkpoint nor
    /// in the data folder.
    case bodyModelUnavailable(missing: [String], dataDirectory: String?)
    /// A file of PyMAF's data folder could not be read or has the wrong content.
    case dataFile(path: String, reason: String)
    /// The crops given to `regress` are not (N, 3, H, W) with N ≥ 1.
    case invalidInput(shape: [Int])

    public var description: String {
        switch self {
        case let .weightsMismatch(checkpoint, missing, unexpected, mismatches):
            var lines = ["\(checkpoint): the weights do not fit PyMAF's network (is this a PyMAF checkpoint?)"]
            func list(_ title: String, _ items: [String]) {
                guard !items.isEmpty else { return }
                let shown = items.prefix(12).joined(separator: ", ")
                lines.append("  \(title) (\(items.count)): \(shown)\(items.count > 12 ? ", …" : "")")
            }
            list("missing keys", missing)
            list("unexpected keys", unexpected)
            list("shape mismatches", mismatches.map { "\($0.key) is \($0.actual), expected \($0.expected)" })
            return lines.joined(separator: "\n")
        case let .unreadableTensor(checkpoint, key, reason):
            return "\(checkpoint): tensor '\(key)' cannot be read: \(reason)"
        case let .bodyModelUnavailable(missing, dataDirectory):
            let place = dataDirectory.map { "in the data folder \($0)" } ?? "because no data folder was given (--data_dir)"
            return "the checkpoint holds no \(missing.joined(separator: ", ")) and they cannot be found \(place); "
                + "point --data_dir at PyMAF's data/ folder (smpl/SMPL_NEUTRAL.pkl, J_regressor_extra.npy, smpl_mean_params.npz, mesh_downsampling.npz)"
        case let .dataFile(path, reason):
            return "\(path): \(reason)"
        case let .invalidInput(shape):
            return "crops must be float32 (N, 3, H, W) with N ≥ 1, normalized with ImageNet mean/std; got shape \(shape)"
        }
    }
}
