import Foundation

/// Checks made before FFmpeg sees a path, so that the common mistakes get their own error.
enum InputFileCheck {
    /// The byte size of a readable regular file at `url`.
    ///
    /// - Throws: `VideoIOError.notFound`, `.notReadable` (no permission, a folder, not a regular
    ///   file) or `.emptyFile`.
    static func readableFileSize(_ url: URL) throws(VideoIOError) -> Int64 {
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .notFound(path: path)
        }
        if isFolder.boolValue {
            throw .notReadable(path: path, reason: "it is a folder, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .notReadable(path: path, reason: "permission denied")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? -1
        if size == 0 { throw .emptyFile(path: path) }
        return size
    }
}
