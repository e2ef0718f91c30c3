/// A minimal FlatBuffers writer for test models: lays a tree of tables, vectors and strings out
/// front to back (children after parents, so every offset points forward as the format wants).
indirect enum FBNode {
    case table([Int: FBField])
    case int32s([Int32])
    case uint16s([UInt16])
    case bytes([UInt8])
    case string(String)
    case tables([FBNode])
}

enum FBField {
    case int32(Int32)
    case uint32(UInt32)
    case int8(Int8)
    case uint8(UInt8)
    case node(FBNode)
}

struct FBWriter {
    private(set) var bytes: [UInt8] = []

    /// A complete buffer: root offset, the 4-byte file identifier, then the tree.
    static func file(root: FBNode, identifier: String = "TFL3") -> [UInt8] {
        var w = FBWriter()
        w.bytes = [0, 0, 0, 0] + Array(identifier.utf8)
        let at = w.place(root)
        w.patch(0, UInt32(at))
        return w.bytes
    }

    private mutating func align() { while bytes.count % 4 != 0 { bytes.append(0) } }
    private mutating func append32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
    private mutating func append16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    private mutating func patch(_ at: Int, _ v: UInt32) { for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) } }

    private mutating func place(_ node: FBNode) -> Int {
        align()
        switch node {
        case let .table(fields):
            let maxID = fields.keys.max() ?? -1
            let vtable = bytes.count
            let slots = fields.keys.sorted()
            append16(UInt16(4 + 2 * (maxID + 1)))
            append16(UInt16(4 + 4 * slots.count))
            for id in 0...max(maxID, 0) where maxID >= 0 {
                let slot = slots.firstIndex(of: id).map { UInt16(4 + 4 * $0) } ?? 0
                append16(slot)
            }
            align()
            let table = bytes.count
            append32(UInt32(bitPattern: Int32(table - vtable)))
            var children: [(Int, FBNode)] = []
            for id in slots {
                let at = bytes.count
                switch fields[id]! {
                case let .int32(v): append32(UInt32(bitPattern: v))
                case let .uint32(v): append32(v)
                case let .int8(v): append32(UInt32(UInt8(bitPattern: v)))
                case let .uint8(v): append32(UInt32(v))
                case let .node(child): append32(0); children.append((at, child))
                }
            }
            for (at, child) in children { patch(at, UInt32(place(child) - at)) }
            return table
        case let .int32s(values):
            let at = bytes.count
            append32(UInt32(values.count)); values.forEach { append32(UInt32(bitPattern: $0)) }
            return at
        case let .uint16s(values):
            let at = bytes.count
            append32(UInt32(values.count)); values.forEach { append16($0) }
            return at
        case let .bytes(values):
            let at = bytes.count
            append32(UInt32(values.count)); bytes += values
            return at
        case let .string(s):
            let at = bytes.count
            append32(UInt32(s.utf8.count)); bytes += Array(s.utf8); bytes.append(0)
            return at
        case let .tables(nodes):
            let at = bytes.count
            append32(UInt32(nodes.count))
            let slots = nodes.map { _ in let s = bytes.count; append32(0); return s }
            for (slot, node) in zip(slots, nodes) { patch(slot, UInt32(place(node) - slot)) }
            return at
        }
    }
}

/// A two-operator model: a 1×1 CONV_2D (RELU6, SAME, stride 1) whose (2, 1, 1, 3) fp16 weights
/// are stored sparse (CSR on the input-channel axis), DENSIFY + DEQUANTIZE, and a reshape.
enum TinyTFLiteModel {
    /// Dense weights (2, 1, 1, 3): row 0 = [1.5, 0, -2], row 1 = [0, 0.25, 0].
    static let denseWeights: [Float] = [1.5, 0, -2, 0, 0.25, 0]

    static func halfBytes(_ values: [UInt16]) -> [UInt8] { values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    static var bytes: [UInt8] {
        func tensor(_ name: String, _ shape: [Int32], type: Int8, buffer: UInt32, sparsity: FBNode? = nil) -> FBNode {
            var fields: [Int: FBField] = [0: .node(.int32s(shape)), 1: .int8(type), 2: .uint32(buffer), 3: .node(.string(name))]
            if let sparsity { fields[6] = .node(sparsity) }
            return .table(fields)
        }
        func dim(dense size: Int32) -> FBNode { .table([0: .int8(0), 1: .int32(size)]) }
        // CSR over the last axis, parents = 2 rows (dims 0..2 dense: 2·1·1 positions).
        let csr = FBNode.table([0: .int8(1), 1: .int32(3),
                                2: .uint8(2), 3: .node(.table([0: .node(.uint16s([0, 2, 3]))])),
                                4: .uint8(3), 5: .node(.table([0: .node(.bytes([0, 2, 1]))]))])
        let sparsity = FBNode.table([0: .node(.int32s([0, 1, 2, 3])), 2: .node(.tables([dim(dense: 2), dim(dense: 1), dim(dense: 1), csr]))])
        // fp16: 1.5 = 0x3E00, -2 = 0xC000, 0.25 = 0x3400.
        let buffers: [FBNode] = [
            .table([:]),
            .table([0: .node(.bytes(halfBytes([0x3E00, 0xC000, 0x3400])))]),
            .table([0: .node(.bytes([0, 0, 0x80, 0x3F, 0, 0, 0, 0xBF]))]),  // bias [1, -0.5] as float32
        ]
        let tensors: [FBNode] = [
            tensor("input", [1, 2, 2, 3], type: 0, buffer: 0),
            tensor("w_sparse", [2, 1, 1, 3], type: 1, buffer: 1, sparsity: sparsity),
            tensor("w_fp16", [2, 1, 1, 3], type: 1, buffer: 0),
            tensor("w", [2, 1, 1, 3], type: 0, buffer: 0),
            tensor("bias", [2], type: 0, buffer: 2),
            tensor("conv", [1, 2, 2, 2], type: 0, buffer: 0),
            tensor("out", [1, 8], type: 0, buffer: 0),
        ]
        let codes: [FBNode] = [
            .table([0: .int8(124), 3: .int32(124)]),  // DENSIFY
            .table([0: .int8(6), 2: .int32(3), 3: .int32(6)]),  // DEQUANTIZE v3
            .table([0: .int8(3), 3: .int32(3)]),  // CONV_2D
            .table([0: .int8(22), 3: .int32(22)]),  // RESHAPE
        ]
        let operators: [FBNode] = [
            .table([0: .uint32(0), 1: .node(.int32s([1])), 2: .node(.int32s([2])), 3: .uint8(99), 4: .node(.table([:]))]),
            .table([0: .uint32(1), 1: .node(.int32s([2])), 2: .node(.int32s([3]))]),
            .table([0: .uint32(2), 1: .node(.int32s([0, 3, 4])), 2: .node(.int32s([5])), 3: .uint8(1),
                    4: .node(.table([0: .int8(0), 1: .int32(1), 2: .int32(1), 3: .int8(3)]))]),
            .table([0: .uint32(3), 1: .node(.int32s([5, -1])), 2: .node(.int32s([6])), 3: .uint8(17),
                    4: .node(.table([0: .node(.int32s([1, 8]))]))]),
        ]
        let subgraph = FBNode.table([0: .node(.tables(tensors)), 1: .node(.int32s([0])), 2: .node(.int32s([6])),
                                     3: .node(.tables(operators)), 4: .node(.string("main"))])
        return FBWriter.file(root: .table([0: .uint32(3), 1: .node(.tables(codes)), 2: .node(.tables([subgraph])),
                                           3: .node(.string("tiny test model")), 4: .node(.tables(buffers))]))
    }
}
