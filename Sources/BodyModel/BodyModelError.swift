/// Why a body model could not be built: a field with the wrong size or an index out of range.
///
/// Raised by `SMPLModel.init`, so a malformed model file or checkpoint is reported with the
/// field that is wrong instead of failing later inside a forward pass.
public enum BodyModelError: Error, Equatable, CustomStringConvertible {
    /// `field` holds `actual` values where `expected` (with its shape) were needed.
    case sizeMismatch(field: String, expected: String, actual: Int)
    /// `field` refers to `index`, outside 0..<`limit`.
    case indexOutOfRange(field: String, index: Int, limit: Int)
    /// The kinematic tree is not SMPL's: a root other than −1 or a parent after its child.
    case invalidParents([Int])

    public var description: String {
        switch self {
        case let .sizeMismatch(field, expected, actual):
            return "body model: '\(field)' has \(actual) values, expected \(expected); the SMPL model file or checkpoint is malformed"
        case let .indexOutOfRange(field, index, limit):
            return "body model: '\(field)' refers to \(index), outside 0..<\(limit); the SMPL model file or checkpoint is malformed"
        case let .invalidParents(parents):
            return "body model: kinematic tree \(parents) is not SMPL's (root −1, each parent before its child)"
        }
    }
}
