import Foundation
import Testing
@testable import ModelIO

@Suite struct TorchCheckpointTests {
    /// Compares every tensor of the tiny checkpoint with what PyTorch reported when it wrote it.
    /// Values are compared exactly: each dtype converts to Double without rounding.
    @Test(arguments: ["tiny_zip.pt", "tiny_legacy.pt"])
    func everyTensorMatchesPyTorch(file: String) throws {
        let checkpoint = try TorchCheckpoint(contentsOf: Fixtures.url(file))
        #expect(checkpoint.format == (file == "tiny_zip.pt" ? .zip : .legacy))
        #expect(checkpoint.bytes.isMemoryMapped)
        let expected = try Fixtures.decode(CheckpointExpectation.self, "tiny_checkpoint_expected.json")
        let state = try checkpoint.stateDict()
        #expect(state.map(\.key) == expected.keys)
        for (key, tensor) in state {
            let record = try #require(expected.tensors[key])
            #expect(tensor.dtype.rawValue == record.dtype, "\(key)")
            #expect(tensor.shape == record.shape, "\(key)")
            #expect(tensor.strides == record.strides, "\(key)")
            #expect(tensor.storageOffset == record.storageOffset, "\(key)")
            #expect(try tensor.doubles() == record.values, "\(key)")
        }
        #expect(checkpoint.root["epoch"]?.intValue == 7)
        #expect(checkpoint.root["name"]?.text == "tiny")
        #expect(checkpoint.root["lr"]?.doubleValue == 0.5)
        let misc = try #require(checkpoint.root["misc"]?.items)
        #expect(misc.count == 6)
        #expect(misc[0].intValue == 1 && misc[1].doubleValue == 2.5 && misc[2].text == "x")
        #expect(misc[3].isNone && misc[4].boolValue == true && misc[5].items?.compactMap(\.intValue) == [3, 4])
        // 2**70, little-endian two's complement.
        guard case .bigInt(let big) = checkpoint.root["big"] else { Issue.record("big is not a bigInt"); return }
        #expect(big == [0, 0, 0, 0, 0, 0, 0, 0, 0x40])
    }

    /// floats() and int64s() agree with doubles() for every dtype, on contiguous and strided views.
    @Test func conversionsAgree() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: Fixtures.url("tiny_legacy.pt"))
        for (key, tensor) in try checkpoint.stateDict() {
            let doubles = try tensor.doubles()
            #expect(try tensor.floats() == doubles.map { Float($0) }, "\(key)")
            if [.int64, .int32, .uint8, .bool].contains(tensor.dtype) {
                #expect(try tensor.int64s().map { Double($0) } == doubles, "\(key)")
            }
        }
    }

    @Test func viewsShareTheirStorage() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: Fixtures.url("tiny_zip.pt"))
        let state = Dictionary(uniqueKeysWithValues: try checkpoint.stateDict().map { ($0.key, $0.tensor) })
        let base = try #require(state["view.base"])
        let transposed = try #require(state["view.transposed"])
        let sliced = try #require(state["view.sliced"])
        #expect(!transposed.isContiguous && base.isContiguous)
        #expect(transposed.storage.offset == base.storage.offset)
        #expect(sliced.storageOffset == 6 && sliced.strides == [6, 2])
        let values = try base.floats()  // (4, 6)
        let expectedTranspose = (0..<6).flatMap { column in (0..<4).map { row in values[row * 6 + column] } }
        #expect(try transposed.floats() == expectedTranspose)
    }

    @Test func badCRCIsATypedError() throws {
        var bytes = try Fixtures.bytes("tiny_zip.pt")
        let directory = try ZipDirectory(ByteStorage(copying: bytes).slice)
        let storage = try #require(directory.entries.first { $0.name.hasSuffix("/data/0") })
        bytes[storage.dataOffset] ^= 0x55
        let error = modelIOError { _ = try TorchCheckpoint(bytes: ByteStorage(copying: bytes), path: "flipped.pt") }
        guard case .checksumMismatch(let entry, _, _) = error?.reason else {
            Issue.record("expected a checksum mismatch, got \(String(describing: error))"); return
        }
        #expect(entry == storage.name)
        #expect(error?.description.contains("flipped.pt") == true)
        #expect(error?.description.contains("bad zip CRC") == true)
    }

    @Test func truncatedLegacyCheckpointSaysWhere() throws {
        let bytes = try Fixtures.bytes("tiny_legacy.pt")
        let error = modelIOError { _ = try TorchCheckpoint(bytes: ByteStorage(copying: bytes.dropLast(10)), path: "cut.pt") }
        guard case .truncated = error?.reason else { Issue.record("expected truncation, got \(String(describing: error))"); return }
        #expect(error?.offset != nil)
    }
}
