import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file under a temporary name beside its destination and renames it into place once
/// complete, so readers never see a partial file.
enum AtomicFile {
    /// Calls `body` with a temporary URL in the destination's folder, then renames it to `url`.
    /// The temporary file is removed if `body` throws.
    static func write(to url: URL, _ body: (URL) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try body(temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? ModelIOError { throw error.inFile(url.path) }
            throw ModelIOError(.fileSystem("cannot write (\(error.localizedDescription))"), file: url.path)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ModelIOError(.fileSystem("cannot move the finished file into place (\(message))"), file: url.path)
        }
    }

    /// Writes `bytes` to `url` atomically.
    static func write(_ bytes: [UInt8], to url: URL) throws {
        try write(to: url) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
                throw ModelIOError(.fileSystem("cannot create the file"), file: temporary.path)
            }
        }
    }
}
