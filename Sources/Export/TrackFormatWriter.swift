import Foundation

/// One format's writer for one track: frames stream in, the file is assembled at `finish`.
protocol TrackFormatWriter: AnyObject {
    /// Consumes the next frame of the track (frame indices and times strictly increase).
    func append(_ frame: ExportFrame) throws
    /// Completes the files (the rig is the person's rest shape) and returns their URLs.
    func finish(rig: ExportRig) throws -> [URL]
    /// Deletes temporary files without completing.
    func discard()
}
