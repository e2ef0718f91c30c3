import Foundation

/// Compact JSON text with sorted keys and shortest round-trip numbers (`Double.description`),
/// so float32 values written as `Double(value)` parse back to exactly that value — glTF's
/// accessor min/max must equal the data. Non-finite numbers are rejected.
enum JSONText {
    struct NonFiniteNumber: Error {}

    static func encode(_ value: Any) throws -> [UInt8] {
        var out: [UInt8] = []
        try write(value, to: &out)
        return out
    }

    private static func write(_ value: Any, to out: inout [UInt8]) throws {
        switch value {
        case let dict as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (i, key) in dict.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                try write(dict[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (i, element) in array.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let string as String:
            writeString(string, to: &out)
        case let int as Int:
            out.append(contentsOf: String(int).utf8)
        case let double as Double:
            guard double.isFinite else { throw NonFiniteNumber() }
            out.append(contentsOf: double.description.utf8)
        case let bool as Bool:
            out.append(contentsOf: (bool ? "true" : "false").utf8)
        default:
            preconditionFailure("JSONText: unsupported value \(type(of: value))")
        }
    }

    private static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
