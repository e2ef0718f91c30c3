import Foundation

/// ASCII text built as bytes, with a locale-free fixed-point number writer (`%.6f`-style,
/// decimal point always '.'), fast enough for 6890-vertex OBJ frames.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    mutating func appendRaw(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    mutating func append(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(value.magnitude), minimumDigits: 1)
    }

    /// Writes `value` rounded to `decimals` places (0…9), like C's `%.*f`; non-finite → 0.
    mutating func append(_ value: Double, decimals: Int) {
        guard value.isFinite else {
            append(0.0, decimals: decimals)
            return
        }
        let scale = Self.powersOfTen[decimals]
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9.0e18 else {
            bytes.append(contentsOf: String(format: "%.\(decimals)f", value).utf8)
            return
        }
        let fixed = UInt64(scaled)
        if value < 0 && fixed != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(fixed / scale, minimumDigits: 1)
        if decimals > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(fixed % scale, minimumDigits: decimals)
        }
    }

    mutating func append(_ value: Float, decimals: Int) { append(Double(value), decimals: decimals) }

    private mutating func appendDigits(_ value: UInt64, minimumDigits: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            while count < minimumDigits {
                raw[count] = UInt8(ascii: "0")
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(raw[i]) }
        }
    }

    private static let powersOfTen: [UInt64] = (0...9).map { p in (0..<p).reduce(1) { r, _ in r * 10 } }

    var data: Data { Data(bytes) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}

/// Little-endian binary building.
struct BinaryBuffer {
    private(set) var data = Data()

    mutating func append(uint32 value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func append(int32 value: Int32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func append(float value: Float) { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    mutating func append(floats: [Float]) { for f in floats { append(float: f) } }
    mutating func append(bytes: [UInt8]) { data.append(contentsOf: bytes) }
    mutating func append(_ other: Data) { data.append(other) }
    mutating func pad(toMultipleOf alignment: Int, with byte: UInt8 = 0) {
        while data.count % alignment != 0 { data.append(byte) }
    }
}
