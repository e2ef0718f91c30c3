/// A small JSON reader that remembers the line each value starts on, so box-file errors can
/// name the line (Foundation's JSON decoding does not say where a well-formed but wrong value is).
/// Nesting is limited to 64 levels.
struct LineJSON {
    indirect enum Value {
        case object([(key: String, value: LineJSON)])
        case array([LineJSON])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    let value: Value
    /// 1-based line where the value starts.
    let line: Int

    subscript(key: String) -> LineJSON? {
        guard case let .object(pairs) = value else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    var number: Double? {
        if case let .number(n) = value { return n }
        return nil
    }

    var integer: Int? {
        guard let n = number, n.rounded() == n, abs(n) < 1e15 else { return nil }
        return Int(n)
    }

    static func parse(_ text: String, path: String) throws -> LineJSON {
        var parser = Parser(bytes: Array(text.utf8), path: path)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.fail("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let path: String
        var index = 0
        var line = 1

        func fail(_ reason: String) -> PersonTrackingError {
            .malformedBoxFile(path: path, line: line, reason: "invalid JSON: \(reason)")
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\n"): line += 1; index += 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
                default: return
                }
            }
        }

        mutating func expect(_ literal: String) throws {
            let utf8 = Array(literal.utf8)
            guard bytes.count - index >= utf8.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else {
                throw fail("expected \(literal)")
            }
            index += utf8.count
        }

        mutating func value(depth: Int) throws -> LineJSON {
            guard depth < 64 else { throw fail("nested deeper than 64 levels") }
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of file") }
            let start = line
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var pairs: [(key: String, value: LineJSON)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return LineJSON(value: .object(pairs), line: start) }
                while true {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    pairs.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end of file in an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect("}")
                    return LineJSON(value: .object(pairs), line: start)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [LineJSON] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return LineJSON(value: .array(items), line: start) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end of file in a list") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect("]")
                    return LineJSON(value: .array(items), line: start)
                }
            case UInt8(ascii: "\""):
                return LineJSON(value: .string(try string()), line: start)
            case UInt8(ascii: "t"): try expect("true"); return LineJSON(value: .bool(true), line: start)
            case UInt8(ascii: "f"): try expect("false"); return LineJSON(value: .bool(false), line: start)
            case UInt8(ascii: "n"): try expect("null"); return LineJSON(value: .null, line: start)
            default:
                let begin = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                guard index > begin, let n = Double(String(decoding: bytes[begin..<index], as: UTF8.self)) else {
                    throw fail("unexpected character \"\(String(decoding: [bytes[begin]], as: UTF8.self))\"")
                }
                return LineJSON(value: .number(n), line: start)
            }
        }

        /// A string starting at the opening quote; escapes decoded (\uXXXX as one UTF-16 unit).
        mutating func string() throws -> String {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\n"):
                    throw fail("line break inside a string")
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw fail("unterminated escape") }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"):
                        guard bytes.count - index >= 4, let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
                            throw fail("bad \\u escape")
                        }
                        index += 4
                        out += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                    default: out.append(e)
                    }
                default:
                    out.append(b)
                }
            }
            throw fail("unterminated string")
        }
    }
}
