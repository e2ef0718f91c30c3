/// A file that ModelIO could not read or write, with what was wrong and where.
///
/// Every reader throws only this type. `description` is meant for users: it names the file,
/// the problem and the byte offset when one is known.
public struct ModelIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Equatable, Sendable {
        /// The input ended before `needed` more bytes could be read.
        case truncated(needed: Int)
        /// A pickle named a global that is not on the allow-list (for example `os.system`).
        case unknownGlobal(String)
        /// A pickle opcode that no protocol defines.
        case invalidOpcode(UInt8)
        /// The bytes do not follow the format; the text says which rule was broken.
        case malformed(String)
        /// A size or count is larger than the reader allows.
        case limitExceeded(String)
        /// A zip entry's bytes do not match its CRC-32.
        case checksumMismatch(entry: String, expected: UInt32, actual: UInt32)
        /// A record the format requires is absent.
        case missingEntry(String)
        /// Valid input that uses a feature this reader does not implement.
        case unsupported(String)
        /// The file could not be opened, mapped or written.
        case fileSystem(String)
    }

    public var reason: Reason
    /// Path of the file being read or written, when known.
    public var file: String?
    /// Byte offset in the file (or in the stream being decoded) where the problem was found.
    public var offset: Int?

    public init(_ reason: Reason, file: String? = nil, offset: Int? = nil) {
        self.reason = reason
        self.file = file
        self.offset = offset
    }

    /// The same error, naming `path` if no file was named yet.
    func inFile(_ path: String) -> ModelIOError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }

    public var description: String {
        var text = file.map { "\($0): " } ?? ""
        switch reason {
        case .truncated(let needed):
            text += "truncated: \(needed) more byte(s) needed"
        case .unknownGlobal(let name):
            text += "refused to load the global `\(name)`: it is not on the allow-list of types this reader builds (nothing was executed)"
        case .invalidOpcode(let code):
            text += "invalid pickle opcode 0x\(String(code, radix: 16))"
        case .malformed(let what):
            text += "malformed: \(what)"
        case .limitExceeded(let what):
            text += "limit exceeded: \(what)"
        case .checksumMismatch(let entry, let expected, let actual):
            text += "bad zip CRC-32 for entry `\(entry)` (stored \(hex(expected)), computed \(hex(actual))): the file is corrupt"
        case .missingEntry(let name):
            text += "missing `\(name)`"
        case .unsupported(let what):
            text += "unsupported: \(what)"
        case .fileSystem(let what):
            text += what
        }
        if let offset { text += " (at byte \(offset))" }
        return text
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// Rethrows any error from `body` as a `ModelIOError` naming `path`.
func reportingFile<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ModelIOError {
        throw error.inFile(path)
    } catch {
        throw ModelIOError(.fileSystem(String(describing: error)), file: path)
    }
}
