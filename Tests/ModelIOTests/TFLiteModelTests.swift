import Foundation
import Testing
@testable import ModelIO

@Suite struct TFLiteModelTests {
    static let detectorURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/models/pose_detection.tflite")

    @Test func tinyModelReadsEveryField() throws {
        let model = try TFLiteModel(bytes: TinyTFLiteModel.bytes, path: "tiny.tflite")
        #expect(model.version == 3 && model.description == "tiny test model" && model.subgraphCount == 1)
        #expect(model.operatorCodes.map(\.builtinCode) == [.densify, .dequantize, .conv2D, .reshape])
        #expect(model.operatorCodes[1].version == 3 && model.operatorCodes[0].version == 1)
        #expect(model.subgraph.name == "main" && model.subgraph.inputs == [0] && model.subgraph.outputs == [6])
        #expect(model.subgraph.tensors.map(\.name) == ["input", "w_sparse", "w_fp16", "w", "bias", "conv", "out"])
        #expect(model.subgraph.tensors[1].type == .float16 && model.subgraph.tensors[1].type.scalarType == .float16)
        let ops = model.subgraph.operators
        #expect(ops[0].options == .densify && ops[1].options == .none)
        #expect(ops[2].options == .conv2D(padding: .same, strideW: 1, strideH: 1, activation: .relu6, dilationW: 1, dilationH: 1))
        #expect(ops[3].options == .reshape(newShape: [1, 8]) && ops[3].inputs == [5, -1])
        let sparsity = try #require(model.subgraph.tensors[1].sparsity)
        #expect(sparsity.traversalOrder == [0, 1, 2, 3] && sparsity.blockMap.isEmpty)
        #expect(sparsity.dimensions[3] == .init(format: .sparseCSR, denseSize: 3, segments: [0, 2, 3], indices: [0, 2, 1]))
        #expect(try model.constantFloats(1) == TinyTFLiteModel.denseWeights)
        #expect(try model.constantFloats(4) == [1, -0.5])
        #expect(throws: TFLiteError.self) { try model.constantFloats(0) }  // an activation has no data
    }

    @Test func halfToFloatIsExact() {
        #expect(TFLiteModel.floatFromHalf(0x3C00) == 1)
        #expect(TFLiteModel.floatFromHalf(0xC000) == -2)
        #expect(TFLiteModel.floatFromHalf(0x7BFF) == 65504)
        #expect(TFLiteModel.floatFromHalf(0x0001) == 0x1p-24)  // smallest subnormal
        #expect(TFLiteModel.floatFromHalf(0x8000) == 0 && TFLiteModel.floatFromHalf(0x8000).sign == .minus)
        #expect(TFLiteModel.floatFromHalf(0x7C00) == .infinity && TFLiteModel.floatFromHalf(0x7E00).isNaN)
        // Every finite half survives a round trip through Float → Float16 when the platform has it.
        #if arch(x86_64) || arch(arm64)
        for bits in UInt16(0)...UInt16.max where (bits >> 10) & 0x1F != 0x1F {
            #expect(Float16(bitPattern: bits) == Float16(TFLiteModel.floatFromHalf(bits)) || bits == 0x8000)
        }
        #endif
    }

    @Test func malformedFilesAreRefusedWithTheirReason() {
        #expect(throws: TFLiteError.truncated(path: "x", offset: 0, need: 8, what: "file header")) {
            try TFLiteModel(bytes: [1, 2, 3], path: "x")
        }
        var wrongID = TinyTFLiteModel.bytes
        wrongID[4] = UInt8(ascii: "X")
        #expect(throws: TFLiteError.malformed(path: "x", what: "missing the TFL3 file identifier (not a TFLite model?)")) {
            try TFLiteModel(bytes: wrongID, path: "x")
        }
        var rootPastEnd = TinyTFLiteModel.bytes
        rootPastEnd[0] = 0xF0; rootPastEnd[1] = 0xFF; rootPastEnd[2] = 0xFF; rootPastEnd[3] = 0x7F
        #expect(throws: TFLiteError.self) { try TFLiteModel(bytes: rootPastEnd, path: "x") }
        let cut = Array(TinyTFLiteModel.bytes.prefix(TinyTFLiteModel.bytes.count - 9))
        #expect(throws: TFLiteError.self) { try TFLiteModel(bytes: cut, path: "x") }
        #expect(throws: TFLiteError.unreadable(path: "/nonexistent.tflite", reason: "")) {
            do { _ = try TFLiteModel(contentsOf: URL(fileURLWithPath: "/nonexistent.tflite")) } catch let TFLiteError.unreadable(path, _) {
                throw TFLiteError.unreadable(path: path, reason: "")
            }
        }
    }

    /// Facts about the real BlazePose detector (`make models`), from ../shared/docs/person-detector.md.
    @Test func detectorModelMatchesItsDescription() throws {
        let model = try TFLiteModel(contentsOf: Self.detectorURL)
        #expect(model.version == 3 && model.subgraphCount == 1)
        let ops = model.subgraph.operators
        #expect(ops.count == 291)
        var counts: [String: Int] = [:]
        for op in ops { counts[model.builtinCode(of: op).description, default: 0] += 1 }
        #expect(counts == ["DEQUANTIZE": 144, "CONV_2D": 45, "DENSIFY": 38, "DEPTHWISE_CONV_2D": 28, "ADD": 15, "PAD": 8,
                           "RESHAPE": 6, "DEPTH_TO_SPACE": 3, "RESIZE_BILINEAR": 2, "CONCATENATION": 2])
        let tensors = model.subgraph.tensors
        #expect(tensors.filter { $0.type == .float32 }.count == 254)
        #expect(tensors.filter { $0.type == .float16 }.count == 182)
        #expect(tensors.filter { $0.type == .int32 }.count == 6)
        let sparse = tensors.indices.filter { tensors[$0].sparsity != nil }
        #expect(sparse.count == 38)
        var denseTotal = 0, nonzero = 0
        for index in sparse {
            let values = try model.constantFloats(index)
            denseTotal += values.count
            nonzero += tensors[index].sparsity!.dimensions.last!.indices.count
            #expect(values.count == tensors[index].elementCount)
        }
        #expect(denseTotal == 2_723_584 && nonzero == 680_895)
        #expect(tensors[model.subgraph.inputs[0]].shape == [1, 224, 224, 3])
        #expect(model.subgraph.outputs.map { tensors[$0].shape } == [[1, 2254, 12], [1, 2254, 1]])
    }

    /// Seeded mutation fuzzing: random byte flips, overwrites with extreme values, truncations and
    /// splices over both models. Every input must parse or throw `TFLiteError`, never crash or hang;
    /// constants of parsed models are decoded too (densify walks the mutated metadata).
    @Test func mutatedModelsNeverCrash() throws {
        var seeds = [TinyTFLiteModel.bytes]
        if let real = try? [UInt8](Data(contentsOf: Self.detectorURL)) { seeds.append(real) }
        var rng = SplitMix64(state: 0x5EED_7F1E)
        var parsed = 0, refused = 0
        for round in 0..<400 {
            let seed = seeds[round % 4 == 3 && seeds.count > 1 ? 1 : 0]
            var bytes = seed
            for _ in 0..<(1 + Int(rng.next() % 8)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 5 {
                case 0: bytes[at] ^= UInt8(1 << (rng.next() % 8))
                case 1: bytes[at] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
                case 2: for i in at..<min(at + 4, bytes.count) { bytes[i] = 0xFF }
                case 3: bytes = Array(bytes.prefix(max(at, 1)))
                default: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            do {
                let model = try TFLiteModel(bytes: bytes, path: "fuzz")
                for index in model.subgraph.tensors.indices where model.subgraph.tensors[index].type == .float16 && seed.count < 10_000 {
                    _ = try? model.constantFloats(index)
                }
                parsed += 1
            } catch is TFLiteError {
                refused += 1
            }
        }
        #expect(parsed + refused == 400)
        #expect(refused > 50 && parsed > 50, "the mutations should both break and spare the files (\(parsed) parsed, \(refused) refused)")
    }
}
