/// Why a TFLite file could not be read: always names the file and what was wrong.
public enum TFLiteError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// A read of `need` bytes at byte `offset` runs past the end of the file.
    case truncated(path: String, offset: Int, need: Int, what: String)
    /// A value read from the file contradicts the format (bad index, negative extent, …).
    case malformed(path: String, what: String)
    /// Valid TFLite, but a feature this reader does not implement.
    case unsupported(path: String, what: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "cannot read TFLite model \(path): \(reason)"
        case let .truncated(path, offset, need, what):
            "TFLite model \(path) is truncated or corrupt: \(what) needs \(need == Int.max ? "too many" : String(need)) bytes at byte \(offset); re-download the file"
        case let .malformed(path, what):
            "TFLite model \(path) is corrupt: \(what); re-download the file"
        case let .unsupported(path, what):
            "TFLite model \(path) uses \(what), which this reader does not support"
        }
    }
}
