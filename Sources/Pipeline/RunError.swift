import Foundation

/// How a run ended, as the process exit status the command line returns.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything was written.
    case success = 0
    /// An unexpected failure inside a stage.
    case failure = 1
    /// The command line could not be understood.
    case badArguments = 2
    /// The input video, image or folder could not be read.
    case inputUnreadable = 3
    /// The checkpoint or the body-model files are missing or invalid.
    case modelUnavailable = 4
    /// The output folder or a file in it could not be written.
    case outputNotWritable = 5
    /// Ctrl-C: the run stopped early; what was written is complete and consistent.
    case interrupted = 130
}

/// Why a run could not complete: one clear line for the user, and the exit status it maps to.
public enum RunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The options contradict each other or a value is out of range.
    case badArguments(String)
    /// The input exists but cannot be read or decoded, or does not exist.
    case inputUnreadable(path: String, reason: String)
    /// The checkpoint file is not where it was looked for.
    case checkpointMissing(path: String)
    /// A model file (checkpoint, body model, detector) exists but cannot be used.
    case modelInvalid(path: String, reason: String)
    /// Something under the output folder cannot be created or written.
    case outputNotWritable(path: String, reason: String)
    /// A stage failed in a way none of the above describes.
    case stageFailed(stage: String, reason: String)
    /// The run was stopped by Ctrl-C (after draining and finishing every writer).
    case interrupted

    /// The exit status the command line returns for this error.
    public var exitStatus: ExitStatus {
        switch self {
        case .badArguments: .badArguments
        case .inputUnreadable: .inputUnreadable
        case .checkpointMissing, .modelInvalid: .modelUnavailable
        case .outputNotWritable: .outputNotWritable
        case .stageFailed: .failure
        case .interrupted: .interrupted
        }
    }

    public var description: String {
        switch self {
        case .badArguments(let message):
            return message
        case .inputUnreadable(let path, let reason):
            return "cannot read input " + Self.naming(path, reason)
        case .checkpointMissing(let path):
            return """
                no PyMAF checkpoint at \(path). PyMAF users: put PyMAF's data/ folder here (the trained \
                model goes to data/pretrained_model/PyMAF_model_checkpoint.pt, as PyMAF's README describes; \
                SMPL_NEUTRAL.pkl comes from smpl.is.tue.mpg.de) or pass --checkpoint and --data_dir. \
                To try the tool without them, run `make demo` (untrained demo weights).
                """
        case .modelInvalid(let path, let reason):
            return "cannot use model file " + Self.naming(path, reason)
        case .outputNotWritable(let path, let reason):
            return "cannot write " + Self.naming(path, reason)
        case .stageFailed(let stage, let reason):
            return "\(stage) failed: \(reason)"
        case .interrupted:
            return "interrupted: stopped early; the files written so far are complete"
        }
    }

    /// "path: reason", or just the reason when it already names the path.
    private static func naming(_ path: String, _ reason: String) -> String {
        reason.contains(path) ? reason : "\(path): \(reason)"
    }
}
