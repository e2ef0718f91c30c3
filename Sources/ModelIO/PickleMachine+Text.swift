/// Decoding of the text forms pickles use: integers of any width, protocol-0 quoted strings,
/// raw-unicode-escape, and Python 2 strings.
extension PickleMachine {
    /// A little-endian two's complement integer (LONG1/LONG4): `.int` when it fits, else `.bigInt`.
    func integer(fromLittleEndian bytes: UnsafeRawBufferPointer) -> PickleValue {
        if bytes.isEmpty { return .int(0) }
        if bytes.count <= 8 {
            var value: UInt64 = 0
            for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
            let negative = bytes[bytes.count - 1] & 0x80 != 0
            if negative && bytes.count < 8 { value |= ~0 << (8 * UInt64(bytes.count)) }
            return .int(Int64(bitPattern: value))
        }
        // Wider: still fits when the extra bytes only repeat the sign.
        let negative = bytes[bytes.count - 1] & 0x80 != 0
        let fill: UInt8 = negative ? 0xFF : 0
        if bytes[8...].allSatisfy({ $0 == fill }), (bytes[7] & 0x80 != 0) == negative {
            return integer(fromLittleEndian: UnsafeRawBufferPointer(rebasing: bytes[0..<8]))
        }
        return .bigInt(Array(bytes))
    }

    /// INT / LONG: decimal text, with `00`/`01` as False/True for INT and an optional `L` suffix.
    func textInteger(_ line: UnsafeRawBufferPointer, allowBoolean: Bool) throws -> PickleValue {
        var text = String(decoding: line, as: UTF8.self).trimmingSpaces
        if allowBoolean && text == "00" { return .bool(false) }
        if allowBoolean && text == "01" { return .bool(true) }
        if text.hasSuffix("L") { text.removeLast() }
        if let value = Int64(text) { return .int(value) }
        return try bigInteger(decimal: text)
    }

    /// Decimal text wider than 64 bits, as little-endian two's complement.
    private func bigInteger(decimal text: String) throws -> PickleValue {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw fail(.malformed("integer text `\(text.prefix(40))` is not a number"))
        }
        guard digits.count <= limits.maximumDecimalDigits else {
            throw fail(.limitExceeded("integer of \(digits.count) digits (at most \(limits.maximumDecimalDigits))"))
        }
        // Magnitude in base 2^32, little-endian limbs.
        var limbs: [UInt32] = [0]
        for digit in digits.utf8 {
            var carry = UInt64(digit - 0x30)
            for index in limbs.indices {
                let product = UInt64(limbs[index]) * 10 + carry
                limbs[index] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry != 0 { limbs.append(UInt32(carry)) }
        }
        var bytes: [UInt8] = limbs.flatMap { limb in (0..<4).map { UInt8(truncatingIfNeeded: limb >> (8 * $0)) } }
        bytes.append(0)  // room for the sign bit
        if negative {
            var carry = true
            for index in bytes.indices {
                let (sum, overflow) = (~bytes[index]).addingReportingOverflow(carry ? 1 : 0)
                bytes[index] = sum
                carry = carry && overflow
            }
        }
        return bytes.withUnsafeBytes { integer(fromLittleEndian: $0) }
    }

    /// A memo index written in decimal (PUT / GET).
    func textIndex(_ line: UnsafeRawBufferPointer) throws -> Int {
        guard let index = Int(String(decoding: line, as: UTF8.self).trimmingSpaces), index >= 0 else {
            throw fail(.malformed("memo index is not a number"))
        }
        return index
    }

    func utf8(_ bytes: UnsafeRawBufferPointer) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw fail(.malformed("string is not valid UTF-8"))
        }
        return text
    }

    /// A module or class name line (GLOBAL / INST).
    func asciiLine(_ line: UnsafeRawBufferPointer) throws -> String {
        guard line.count <= 1024, line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw fail(.malformed("global name is not printable ASCII"))
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// A Python 2 `str`, read as latin1: ASCII text becomes `.string`, anything else keeps its
    /// bytes (the code points latin1 would give).
    func python2String(_ bytes: ByteSlice) -> PickleValue {
        let isASCII = bytes.withUnsafeBytes { raw in raw.allSatisfy { $0 < 0x80 } }
        if isASCII { return .string(bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }) }
        return .bytes(bytes)
    }

    func python2String(_ bytes: [UInt8]) -> PickleValue {
        python2String(ByteStorage(copying: bytes).slice)
    }

    /// STRING: a quoted Python literal with backslash escapes.
    func unescapeQuoted(_ line: UnsafeRawBufferPointer) throws -> [UInt8] {
        var bytes = Array(line)
        while let last = bytes.last, last == 0x0D || last == 0x20 { bytes.removeLast() }
        guard bytes.count >= 2, let quote = bytes.first, quote == 0x27 || quote == 0x22, bytes.last == quote else {
            throw fail(.malformed("STRING argument is not quoted"))
        }
        let body = bytes[1..<(bytes.count - 1)]
        var result: [UInt8] = []
        result.reserveCapacity(body.count)
        var index = body.startIndex
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x61...0x66: byte - 0x61 + 10
            case 0x41...0x46: byte - 0x41 + 10
            default: nil
            }
        }
        while index < body.endIndex {
            let byte = body[index]
            index += 1
            guard byte == 0x5C else { result.append(byte); continue }
            guard index < body.endIndex else { throw fail(.malformed("STRING ends in a backslash")) }
            let escape = body[index]
            index += 1
            switch escape {
            case 0x6E: result.append(0x0A)  // \n
            case 0x72: result.append(0x0D)  // \r
            case 0x74: result.append(0x09)  // \t
            case 0x61: result.append(0x07)  // \a
            case 0x62: result.append(0x08)  // \b
            case 0x66: result.append(0x0C)  // \f
            case 0x76: result.append(0x0B)  // \v
            case 0x0A: break                // line continuation
            case 0x78:  // \xhh
                guard index + 1 < body.endIndex, let high = hexValue(body[index]), let low = hexValue(body[index + 1]) else {
                    throw fail(.malformed("bad \\x escape in STRING"))
                }
                result.append(high << 4 | low)
                index += 2
            case 0x30...0x37:  // octal, up to three digits
                var value = Int(escape - 0x30)
                var digits = 1
                while digits < 3, index < body.endIndex, (0x30...0x37).contains(body[index]) {
                    value = value * 8 + Int(body[index] - 0x30)
                    index += 1
                    digits += 1
                }
                result.append(UInt8(truncatingIfNeeded: value))
            default:
                if escape == 0x5C || escape == 0x27 || escape == 0x22 {
                    result.append(escape)
                } else {
                    result.append(0x5C)
                    result.append(escape)
                }
            }
        }
        return result
    }

    /// UNICODE: latin1 text where `\uXXXX` and `\UXXXXXXXX` name code points.
    func rawUnicodeEscape(_ line: UnsafeRawBufferPointer) throws -> String {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte == 0x5C, index + 1 < line.count, line[index + 1] == 0x75 || line[index + 1] == 0x55 {
                let width = line[index + 1] == 0x75 ? 4 : 8
                guard index + 2 + width <= line.count,
                      let value = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: line[(index + 2)..<(index + 2 + width)]), as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(value) else {
                    throw fail(.malformed("bad \\u escape in UNICODE"))
                }
                scalars.append(scalar)
                index += 2 + width
            } else {
                scalars.append(Unicode.Scalar(byte))
                index += 1
            }
        }
        return String(scalars)
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\r" || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\r" || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
