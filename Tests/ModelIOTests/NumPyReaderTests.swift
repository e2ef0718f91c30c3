import Foundation
import Testing
@testable import ModelIO
import ZIPFoundation

struct NPZExpectation: Decodable {
    var sparse: [String: [Double]]
    var sparseShapes: [String: [Int]]
    var numbers: [String: [Double]]
    var numberShapes: [String: [Int]]
}

@Suite struct NumPyReaderTests {
    /// Object arrays of pickled SciPy matrices (csc, csr, coo), as in mesh_downsampling.npz.
    /// Dense values are compared exactly with SciPy's.
    @Test func sparseObjectArrays() throws {
        let expected = try Fixtures.decode(NPZExpectation.self, "npz_expected.json")
        let archive = try NPZArchive(contentsOf: Fixtures.url("downsampling_synthetic.npz"))
        #expect(Set(archive.names) == ["A", "U", "D"])
        let matrices: [String: SparseMatrix] = [
            "A0": try archive.sparseMatrices("A")[0], "U0": try archive.sparseMatrices("U")[0],
            "D0": try archive.sparseMatrices("D")[0], "D1": try archive.sparseMatrices("D")[1],
        ]
        #expect(try archive.sparseMatrices("D").count == 2)
        #expect(matrices["A0"]?.format == .coo && matrices["U0"]?.format == .csr && matrices["D0"]?.format == .csc)
        for (name, matrix) in matrices {
            #expect([matrix.rows, matrix.columns] == expected.sparseShapes[name], "\(name)")
            #expect(try matrix.dense() == expected.sparse[name], "\(name)")
        }
    }

    /// A savez_compressed archive (deflated entries), including a Fortran-ordered array.
    @Test func deflatedNumbers() throws {
        let expected = try Fixtures.decode(NPZExpectation.self, "npz_expected.json")
        let archive = try NPZArchive(contentsOf: Fixtures.url("numbers_deflated.npz"))
        for (name, values) in expected.numbers {
            let array = try archive.array(name)
            #expect(array.shape == expected.numberShapes[name], "\(name)")
            #expect(try array.doubles() == values, "\(name)")
        }
        #expect(try archive.array("grid").fortranOrder)
        #expect(try archive.array("indices").int64s() == (0..<21).map { Int64($0) })
        #expect(try archive.array("shape").dtype == .float32)
        let error = modelIOError { _ = try archive.array("missing") }
        #expect(error?.reason == .missingEntry("array `missing` (has: \(archive.names.joined(separator: ", ")))"))
    }

    @Test func bigEndianNPY() throws {
        let array = try NPYFile.read(contentsOf: Fixtures.url("big_endian.npy"))
        #expect(array.isBigEndian && array.shape == [2, 3])
        #expect(try array.doubles() == [0, 1, 2, 3, 4, 5])
        #expect(try array.floats() == [0, 1, 2, 3, 4, 5])
    }

    @Test func truncatedNPYSaysSo() throws {
        let bytes = try Fixtures.bytes("big_endian.npy")
        let error = modelIOError { _ = try NPYFile.parse(ByteStorage(copying: bytes.dropLast(3)).slice) }
        #expect(error?.reason == .truncated(needed: 3))
    }

    @Test func badCRCInNPZ() throws {
        var bytes = try Fixtures.bytes("downsampling_synthetic.npz")
        let directory = try ZipDirectory(ByteStorage(copying: bytes).slice)
        let entry = try #require(directory.entries.first)
        bytes[entry.dataOffset + entry.compressedSize - 1] ^= 0xFF
        let error = modelIOError { _ = try NPZArchive(bytes: ByteStorage(copying: bytes).slice) }
        guard case .checksumMismatch(let name, _, _) = error?.reason else {
            Issue.record("expected a CRC error, got \(String(describing: error))"); return
        }
        #expect(name == entry.name)
    }
}

@Suite struct ZipChecksumTests {
    /// The slicing-by-8 CRC against ZIPFoundation's byte-at-a-time one, on every length 0...64
    /// (all alignments and tails) and on 1 MiB, plus the standard check value.
    @Test func matchesZIPFoundation() {
        var generator = SplitMix64(state: 7)
        let bytes = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in Array(0...64) + [1 << 20] {
            for start in 0..<3 where start + length <= bytes.count {
                let slice = Array(bytes[start..<(start + length)])
                let ours = slice.withUnsafeBytes { ZipChecksum.crc32($0) }
                #expect(ours == Data(slice).crc32(checksum: 0), "length \(length) start \(start)")
            }
        }
        #expect(Array("123456789".utf8).withUnsafeBytes { ZipChecksum.crc32($0) } == 0xCBF4_3926)
        let split = bytes.withUnsafeBytes { raw in
            ZipChecksum.crc32(UnsafeRawBufferPointer(rebasing: raw[1000...]), seed: ZipChecksum.crc32(UnsafeRawBufferPointer(rebasing: raw[..<1000])))
        }
        #expect(split == Data(bytes).crc32(checksum: 0))
    }
}
