import Foundation

/// Writes NumPy `.npy` files (format 1.0, or 2.0 when the header needs it), which
/// `numpy.load` reads.
public enum NPYWriter {
    /// The `.npy` bytes of `array`.
    public static func encode(_ array: NumPyArrayData) -> [UInt8] {
        let shapeText: String = switch array.shape.count {
        case 1: "(\(array.shape[0]),)"
        default: "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(NumPyDType.descr(array.dtype))', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + length (2 or 4) + header + newline, padded to 64 bytes.
        let useVersion2 = header.utf8.count + 11 > 65535 - 64
        let prefix = useVersion2 ? 12 : 10
        let padding = (64 - (prefix + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, useVersion2 ? 2 : 1, 0]
        let length = header.utf8.count
        if useVersion2 {
            bytes += NumPyArrayData.littleEndianBytes([UInt32(length)])
        } else {
            bytes += NumPyArrayData.littleEndianBytes([UInt16(length)])
        }
        bytes += Array(header.utf8)
        bytes += array.bytes
        return bytes
    }

    /// Writes `array` to `url` (temporary name, renamed when complete).
    public static func write(_ array: NumPyArrayData, to url: URL) throws {
        try AtomicFile.write(encode(array), to: url)
    }
}
