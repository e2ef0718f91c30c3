/// A NumPy dtype as far as ModelIO needs it: a scalar element type with its byte order, a
/// fixed-width unicode string (`<U12`: 12 UTF-32 code units per element), or `object`.
struct NumPyDType: Equatable, Sendable {
    /// nil for `object` and unicode.
    var scalar: ScalarType?
    var bigEndian: Bool
    /// Code units per element of a unicode dtype; nil otherwise.
    var unicodeLength: Int? = nil

    static let object = NumPyDType(scalar: nil, bigEndian: false)

    /// Parses an array-protocol type string such as `<f4`, `|b1`, `>i8`, `|O`, `f8` or `?`.
    static func parse(_ descr: String) throws -> NumPyDType {
        var text = Substring(descr)
        var bigEndian = false
        if let first = text.first, "<>|=!".contains(first) {
            bigEndian = first == ">" || first == "!"
            text = text.dropFirst()
        }
        guard let kind = text.first else { throw ModelIOError(.malformed("empty NumPy dtype")) }
        let sizeText = text.dropFirst()
        if kind == "O" { return .object }
        if kind == "?" && sizeText.isEmpty { return NumPyDType(scalar: .bool, bigEndian: false) }
        guard let size = Int(sizeText) else {
            throw ModelIOError(.unsupported("NumPy dtype `\(descr)`"))
        }
        if kind == "U" {
            guard size >= 0 && size <= 1 << 24 else { throw ModelIOError(.limitExceeded("NumPy dtype `\(descr)`: strings of \(size) characters")) }
            return NumPyDType(scalar: nil, bigEndian: bigEndian, unicodeLength: size)
        }
        let scalar: ScalarType? = switch (kind, size) {
        case ("f", 2): .float16
        case ("f", 4): .float32
        case ("f", 8): .float64
        case ("i", 1): .int8
        case ("i", 2): .int16
        case ("i", 4): .int32
        case ("i", 8): .int64
        case ("u", 1): .uint8
        case ("u", 2): .uint16
        case ("u", 4): .uint32
        case ("u", 8): .uint64
        case ("b", 1): .bool
        default: nil
        }
        guard let scalar else { throw ModelIOError(.unsupported("NumPy dtype `\(descr)` (supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool, unicode, object)")) }
        return NumPyDType(scalar: scalar, bigEndian: bigEndian && scalar.byteWidth > 1)
    }

    /// The array-protocol string NumPy writes for a little-endian `scalar`.
    static func descr(_ scalar: ScalarType) -> String {
        switch scalar {
        case .float16: "<f2"
        case .float32: "<f4"
        case .float64: "<f8"
        case .bfloat16: "<V2"
        case .int8: "|i1"
        case .int16: "<i2"
        case .int32: "<i4"
        case .int64: "<i8"
        case .uint8: "|u1"
        case .uint16: "<u2"
        case .uint32: "<u4"
        case .uint64: "<u8"
        case .bool: "|b1"
        }
    }
}
