import Foundation

/// Why an export failed: what, where, and what to do.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// A file or folder could not be created or written.
    case cannotWrite(path: String, reason: String)
    /// A spooled intermediate file could not be read back.
    case cannotRead(path: String, reason: String)
    /// A frame does not match the body model or the track (sizes, non-finite numbers, order).
    case invalidFrame(trackID: Int, frameIndex: Int, reason: String)
    /// `add` or `finish` was called after `finish`.
    case sessionFinished

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason). Check that the output folder exists, is writable and has free space."
        case .cannotRead(let path, let reason):
            return "cannot read back the temporary file \(path): \(reason). Check the temporary folder's free space."
        case .invalidFrame(let trackID, let frameIndex, let reason):
            return "track \(trackID), frame \(frameIndex): \(reason). The frame was not exported; this is a bug in the stage that produced it."
        case .sessionFinished:
            return "the export session is already finished; start a new session for more frames."
        }
    }
}
