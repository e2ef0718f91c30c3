import Foundation

/// Reads NumPy `.npy` data (format versions 1.0, 2.0 and 3.0).
///
/// Numeric arrays view the input bytes without copying; `dtype=object` arrays (saved with
/// `allow_pickle`) are decoded with the allow-listed `Unpickler`.
public enum NPYFile {
    /// Reads the `.npy` file at `url` (memory-mapped).
    public static func read(contentsOf url: URL) throws -> NDArray {
        let path = url.path
        return try reportingFile(path) { try parse(try ByteStorage(mapping: url).slice) }
    }

    /// Parses `.npy` bytes.
    public static func parse(_ bytes: ByteSlice) throws -> NDArray {
        var reader = ByteReader(bytes)
        let magic = try reader.bytes(6)
        guard magic.elementsEqual([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) else {
            throw ModelIOError(.malformed("not a .npy file (bad magic)"), offset: bytes.offset)
        }
        let major = try reader.uint8()
        _ = try reader.uint8()
        let headerLength: Int
        switch major {
        case 1: headerLength = Int(try reader.uint16())
        case 2, 3: headerLength = Int(try reader.uint32())
        default: throw ModelIOError(.unsupported(".npy format version \(major)"), offset: bytes.offset + 6)
        }
        let headerOffset = reader.absoluteOffset
        let headerBytes = try reader.bytes(headerLength)
        guard let text = String(validating: headerBytes, as: UTF8.self) else {
            throw ModelIOError(.malformed(".npy header is not text"), offset: headerOffset)
        }
        let header: NPYHeader
        do {
            header = try NPYHeader(parsing: text)
        } catch var error as ModelIOError {
            error.offset = headerOffset
            throw error
        }
        let dtype = try NumPyDType.parse(header.descr)
        let rest = try reader.slice(reader.remaining)
        if let characters = dtype.unicodeLength {
            return try unicodeArray(rest, characters: characters, bigEndian: dtype.bigEndian, header: header)
        }
        guard let scalar = dtype.scalar else {
            let value = try Unpickler().load(rest).value
            guard case .array(let array) = value else {
                throw ModelIOError(.malformed("object .npy holds a pickled \(value.kindName), not an array"), offset: rest.offset)
            }
            guard array.shape == header.shape else {
                throw ModelIOError(.malformed("object .npy header shape \(header.shape) differs from its pickle's \(array.shape)"))
            }
            return array
        }
        let count = try NDArray.elementCount(header.shape)
        let (length, overflow) = count.multipliedReportingOverflow(by: scalar.byteWidth)
        guard !overflow, length <= rest.count else {
            throw ModelIOError(.truncated(needed: overflow ? Int.max : length - rest.count), offset: rest.offset)
        }
        return try NDArray(dtype: scalar, shape: header.shape, fortranOrder: header.fortranOrder,
                           isBigEndian: dtype.bigEndian, data: try rest.slice(from: 0, count: length))
    }
}

/// The Python dict literal at the head of a `.npy` file:
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    init(parsing text: String) throws {
        var scanner = LiteralScanner(Array(text.utf8))
        var descr: String?
        var fortran: Bool?
        var shape: [Int]?
        try scanner.expect(UInt8(ascii: "{"))
        while try scanner.peekSkippingSpaces() != UInt8(ascii: "}") {
            let key = try scanner.string()
            try scanner.expect(UInt8(ascii: ":"))
            switch key {
            case "descr":
                guard try scanner.peekSkippingSpaces() == UInt8(ascii: "'") || scanner.peek() == UInt8(ascii: "\"") else {
                    throw ModelIOError(.unsupported("structured NumPy dtypes"))
                }
                descr = try scanner.string()
            case "fortran_order": fortran = try scanner.boolean()
            case "shape": shape = try scanner.integerTuple()
            default: throw ModelIOError(.malformed(".npy header has an unknown key `\(key)`"))
            }
            if try scanner.peekSkippingSpaces() == UInt8(ascii: ",") { scanner.advance() }
        }
        guard let descr, let fortran, let shape else {
            throw ModelIOError(.malformed(".npy header lacks descr, fortran_order or shape"))
        }
        self.descr = descr
        self.fortranOrder = fortran
        self.shape = shape
    }
}

/// A tiny scanner for the Python literals in `.npy` headers.
private struct LiteralScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }
    mutating func advance() { position += 1 }

    mutating func peekSkippingSpaces() throws -> UInt8 {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { advance() }
        guard let byte = peek() else { throw ModelIOError(.malformed(".npy header ends early")) }
        return byte
    }

    mutating func expect(_ byte: UInt8) throws {
        guard try peekSkippingSpaces() == byte else {
            throw ModelIOError(.malformed(".npy header: expected `\(Character(Unicode.Scalar(byte)))`"))
        }
        advance()
    }

    mutating func string() throws -> String {
        let quote = try peekSkippingSpaces()
        guard quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
            throw ModelIOError(.malformed(".npy header: expected a string"))
        }
        advance()
        let start = position
        while let byte = peek(), byte != quote { advance() }
        guard peek() == quote else { throw ModelIOError(.malformed(".npy header: unterminated string")) }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        advance()
        return text
    }

    mutating func word() throws -> String {
        _ = try peekSkippingSpaces()
        let start = position
        while let byte = peek(), (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D {
            advance()
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func boolean() throws -> Bool {
        switch try word() {
        case "True": return true
        case "False": return false
        case let other: throw ModelIOError(.malformed(".npy header: `\(other)` is not a boolean"))
        }
    }

    mutating func integerTuple() throws -> [Int] {
        try expect(UInt8(ascii: "("))
        var values: [Int] = []
        while try peekSkippingSpaces() != UInt8(ascii: ")") {
            let text = try word().replacingOccurrences(of: "L", with: "")
            guard let value = Int(text), value >= 0 else {
                throw ModelIOError(.malformed(".npy header: shape entry `\(text)` is not a size"))
            }
            guard values.count < 64 else { throw ModelIOError(.limitExceeded(".npy shape has more than 64 dimensions")) }
            values.append(value)
            if try peekSkippingSpaces() == UInt8(ascii: ",") { advance() }
        }
        advance()
        return values
    }
}

extension NPYFile {
    /// A fixed-width unicode array (`<U n`: n UTF-32 code units per element, NUL-padded) as an
    /// object array of strings.
    static func unicodeArray(_ bytes: ByteSlice, characters: Int, bigEndian: Bool, header: NPYHeader) throws -> NDArray {
        let count = try NDArray.elementCount(header.shape)
        let (length, overflow) = count.multipliedReportingOverflow(by: characters * 4)
        guard !overflow, length <= bytes.count else {
            throw ModelIOError(.truncated(needed: overflow ? Int.max : length - bytes.count), offset: bytes.offset)
        }
        var reader = ByteReader(try bytes.slice(from: 0, count: length))
        var strings: [PickleValue] = []
        strings.reserveCapacity(count)
        for element in 0..<count {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<characters {
                let unit = bigEndian ? try reader.uint32().byteSwapped : try reader.uint32()
                if unit == 0 { continue }
                guard let scalar = Unicode.Scalar(unit) else {
                    throw ModelIOError(.malformed("element \(element) of a unicode array holds U+\(String(unit, radix: 16)), not a character"))
                }
                scalars.append(scalar)
            }
            strings.append(.string(String(scalars)))
        }
        return try NDArray(objects: strings, shape: header.shape, fortranOrder: header.fortranOrder)
    }
}
