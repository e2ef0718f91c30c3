import Foundation
import Testing
@testable import ModelIO

/// The sample every writer test writes. `Fixtures/written/` holds the bytes the writers produced
/// and `tools/make_modelio_fixtures.py --check-writers` loaded with torch.load / numpy.load /
/// pickle.load (its report: `written/python_check.json`). These tests pin the writers to those
/// bytes, so what Python accepted is what the writers still write. `RECORD_MODELIO_WRITTEN=1`
/// re-records them (and fails once, so a recording never passes silently).
enum WriterSample {
    static let tensors: [TorchCheckpointWriter.Entry] = [
        .init(key: "conv.weight", shape: [2, 3, 2, 2], values: .float32((0..<24).map { Float($0) * 0.25 - 1.5 })),
        .init(key: "bn.num_batches_tracked", shape: [], values: .int64([12])),
        .init(key: "fc.bias", shape: [3], values: .float32([0.5, -1e-8, 3e38])),
        .init(key: "index", shape: [2, 2], values: .int64([-(1 << 40), 0, 7, Int64.max])),
        .init(key: "empty", shape: [0], values: .float32([])),
    ]

    /// Subnormals: `Float(bitPattern: 0x0020_AAC8)` is 3e-39 in float32; `.leastNonzeroMagnitude` is 5e-324.
    static func arrays() throws -> [(name: String, array: NumPyArrayData)] {
        [
            ("f32", try NumPyArrayData(floats: [1.5, -2, 0, Float(bitPattern: 0x0020_AAC8), 65504, -0.125], shape: [2, 3])),
            ("f64", try NumPyArrayData(doubles: [0.1, -1e300, 2.5, .leastNonzeroMagnitude], shape: [4])),
            ("i64", try NumPyArrayData(int64s: [-(1 << 50), 1, -1, 9], shape: [2, 2])),
            ("i32", try NumPyArrayData(int32s: [Int32.min, 0, Int32.max], shape: [3])),
            ("u8", try NumPyArrayData(uint8s: [0, 1, 127, 128, 255], shape: [5, 1])),
        ]
    }

    static func pickle() throws -> PickleNode {
        .dict([
            (.string("name"), .string("runner")),
            (.string("count"), .int(3)),
            (.string("none"), .none),
            (.string("flag"), .bool(true)),
            (.string("ratio"), .float(0.25)),
            (.string("tuple"), .tuple([.int(1), .string("two"), .float(3)])),
            (.string("bytes"), .bytes(Array(stride(from: 0, to: 256, by: 15).map { UInt8($0) }))),
            (.string("big"), .int(-(1 << 40))),
            (.string("ordered"), .orderedDict([(.string("z"), .int(1)), (.string("a"), .int(2))])),
            (.string("arrays"), .dict(try arrays().map { (.string($0.name), .ndarray($0.array)) })),
        ])
    }

    /// `written/expected.json`: the values the Python check compares with.
    static func expectationJSON() throws -> Data {
        func values(_ data: NumPyArrayData) throws -> [Double] {
            let array = try NDArray(dtype: data.dtype, shape: data.shape, data: ByteStorage(copying: data.bytes).slice)
            return try array.doubles()
        }
        let tensorRecords: [[String: Any]] = tensors.map { entry in
            let numbers: [Double] = switch entry.values {
            case .float32(let floats): floats.map { Double($0) }
            case .int64(let ints): ints.map { Double($0) }
            }
            return ["key": entry.key, "shape": entry.shape, "dtype": entry.values.dtype.rawValue, "values": numbers]
        }
        let arrayRecords: [[String: Any]] = try arrays().map { name, array in
            ["name": name, "shape": array.shape, "dtype": array.dtype.rawValue, "values": try values(array)]
        }
        return try JSONSerialization.data(withJSONObject: ["tensors": tensorRecords, "arrays": arrayRecords],
                                          options: [.prettyPrinted, .sortedKeys])
    }
}

@Suite struct WriterTests {
    static let recording = ProcessInfo.processInfo.environment["RECORD_MODELIO_WRITTEN"] == "1"

    /// Writes every sample into `folder`.
    func writeSamples(into folder: URL) throws {
        for (name, format, wrapped) in [("state_zip.pt", TorchCheckpoint.Format.zip, true), ("state_legacy.pt", .legacy, false)] {
            var writer = TorchCheckpointWriter(format: format, wrapsInModelKey: wrapped)
            for entry in WriterSample.tensors { try writer.append(entry) }
            try writer.write(to: folder.appendingPathComponent(name))
        }
        try NPZWriter(compressed: false).write(try WriterSample.arrays(), to: folder.appendingPathComponent("arrays_stored.npz"))
        try NPZWriter(compressed: true).write(try WriterSample.arrays(), to: folder.appendingPathComponent("arrays_deflated.npz"))
        try NPYWriter.write(try WriterSample.arrays()[0].array, to: folder.appendingPathComponent("single.npy"))
        try PickleWriter(protocol: 2).write(try WriterSample.pickle(), to: folder.appendingPathComponent("output_p2.pkl"))
        try PickleWriter(protocol: 4).write(try WriterSample.pickle(), to: folder.appendingPathComponent("output_p4.pkl"))
    }

    @Test func writtenBytesMatchWhatPythonLoaded() throws {
        let scratch = try ScratchFolder()
        try writeSamples(into: scratch.url)
        if Self.recording {
            let target = Fixtures.sourceFolder.appendingPathComponent("written")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try writeSamples(into: target)
            try WriterSample.expectationJSON().write(to: target.appendingPathComponent("expected.json"))
            Issue.record("recorded Fixtures/written; run tools/make_modelio_fixtures.py --check-writers, then the tests again")
            return
        }
        for name in ["state_zip.pt", "state_legacy.pt", "single.npy", "output_p2.pkl", "output_p4.pkl"] {
            let written = try Data(contentsOf: scratch.file(name))
            let pinned = try Data(contentsOf: Fixtures.url("written/\(name)"))
            #expect(written == pinned, "\(name) differs from the bytes Python loaded")
        }
        // Zip metadata comes from ZIPFoundation; the entries must match exactly.
        for name in ["arrays_stored.npz", "arrays_deflated.npz"] {
            let written = try ZipDirectory(try ByteStorage(mapping: scratch.file(name)).slice)
            let pinned = try ZipDirectory(try ByteStorage(mapping: Fixtures.url("written/\(name)")).slice)
            #expect(written.entries.map(\.name) == pinned.entries.map(\.name))
            for (a, b) in zip(written.entries, pinned.entries) {
                #expect(a.method == b.method && a.crc32 == b.crc32)
                #expect(try written.contents(of: a) == (try pinned.contents(of: b)))
            }
        }
        let report = try String(contentsOf: Fixtures.url("written/python_check.json"), encoding: .utf8)
        #expect(report.contains("every value equal"))
    }

    @Test(arguments: [TorchCheckpoint.Format.zip, .legacy])
    func checkpointRoundTrip(format: TorchCheckpoint.Format) throws {
        let scratch = try ScratchFolder()
        var writer = TorchCheckpointWriter(format: format)
        for entry in WriterSample.tensors { try writer.append(entry) }
        try writer.write(to: scratch.file("state.pt"))
        let checkpoint = try TorchCheckpoint(contentsOf: scratch.file("state.pt"))
        #expect(checkpoint.format == format)
        let state = try checkpoint.stateDict()
        #expect(state.map(\.key) == WriterSample.tensors.map(\.key))
        for (entry, read) in zip(WriterSample.tensors, state) {
            #expect(read.tensor.shape == entry.shape)
            switch entry.values {
            case .float32(let floats): #expect(try read.tensor.floats() == floats)
            case .int64(let ints): #expect(try read.tensor.int64s() == ints)
            }
        }
        // Stored records start on 64-byte boundaries, as PyTorch writes them.
        if format == .zip {
            let directory = try ZipDirectory(checkpoint.bytes.slice)
            #expect(directory.entries.allSatisfy { $0.dataOffset % 64 == 0 })
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.file(".state.pt.partial").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["state.pt"])
    }

    @Test(arguments: [false, true])
    func npzRoundTrip(compressed: Bool) throws {
        let scratch = try ScratchFolder()
        let arrays = try WriterSample.arrays()
        try NPZWriter(compressed: compressed).write(arrays, to: scratch.file("a.npz"))
        let archive = try NPZArchive(contentsOf: scratch.file("a.npz"))
        #expect(archive.names == arrays.map(\.name))
        for (name, data) in arrays {
            let read = try archive.array(name)
            #expect(read.dtype == data.dtype && read.shape == data.shape)
            #expect(read.data.array == data.bytes)
        }
    }

    @Test(arguments: [2, 3, 4, 5])
    func pickleRoundTrip(protocolVersion: Int) throws {
        let bytes = try PickleWriter(protocol: protocolVersion).encode(try WriterSample.pickle())
        let value = try Unpickler().load(bytes)
        #expect(value["name"]?.text == "runner" && value["count"]?.intValue == 3)
        #expect(value["none"]?.isNone == true && value["flag"]?.boolValue == true && value["ratio"]?.doubleValue == 0.25)
        guard case .bytes(let raw) = value["bytes"] else { Issue.record("bytes"); return }
        #expect(raw.array == Array(stride(from: 0, to: 256, by: 15).map { UInt8($0) }))
        #expect(value["big"]?.intValue == -(1 << 40))
        #expect(value["ordered"]?.entries?.map { $0.key.text ?? "" } == ["z", "a"])
        for (name, data) in try WriterSample.arrays() {
            let array = try #require(value["arrays"]?[name]?.array)
            #expect(array.dtype == data.dtype && array.shape == data.shape && array.data.array == data.bytes)
        }
    }

    @Test func writerRejectsMismatchedShapes() {
        var writer = TorchCheckpointWriter()
        let error = modelIOError { try writer.append("w", shape: [2, 2], floats: [1, 2, 3]) }
        #expect(error?.reason == .malformed("tensor `w` of shape [2, 2] given 3 values"))
    }
}
