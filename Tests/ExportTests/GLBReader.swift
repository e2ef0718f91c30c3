import Foundation
@testable import Export

/// A minimal GLB parser for the spec checks (the Khronos validator is not installable here).
struct GLBFile {
    var length: UInt32
    var jsonChunkLength: Int
    var binChunkLength: Int
    var json: [String: Any]
    var bin: Data
    var fileSize: Int

    init(_ data: Data) throws {
        func u32(_ o: Int) -> UInt32 { data.subdata(in: o..<(o + 4)).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } }
        fileSize = data.count
        length = u32(8)
        jsonChunkLength = Int(u32(12))
        json = try JSONSerialization.jsonObject(with: data.subdata(in: 20..<(20 + jsonChunkLength))) as! [String: Any]
        let binStart = 20 + jsonChunkLength
        binChunkLength = Int(u32(binStart))
        bin = data.subdata(in: (binStart + 8)..<(binStart + 8 + binChunkLength))
    }

    var accessors: [[String: Any]] { json["accessors"] as! [[String: Any]] }
    var views: [[String: Any]] { json["bufferViews"] as! [[String: Any]] }

    func floats(accessor index: Int) -> [Float] {
        let a = accessors[index]
        let view = views[a["bufferView"] as! Int]
        let start = (view["byteOffset"] as! Int) + (a["byteOffset"] as? Int ?? 0)
        let count = (a["count"] as! Int) * Self.width(a["type"] as! String)
        return (0..<count).map { i in bin.subdata(in: (start + i * 4)..<(start + i * 4 + 4)).withUnsafeBytes { $0.loadUnaligned(as: Float.self) } }
    }

    func integers(accessor index: Int) -> [Int] {
        let a = accessors[index]
        let view = views[a["bufferView"] as! Int]
        let start = (view["byteOffset"] as! Int) + (a["byteOffset"] as? Int ?? 0)
        let size = Self.componentSize(a["componentType"] as! Int)
        let count = (a["count"] as! Int) * Self.width(a["type"] as! String)
        return (0..<count).map { i in
            let o = start + i * size
            switch size {
            case 1: return Int(bin[o])
            case 2: return Int(bin.subdata(in: o..<(o + 2)).withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) })
            default: return Int(bin.subdata(in: o..<(o + 4)).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
            }
        }
    }

    static func width(_ type: String) -> Int { ["SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16][type]! }
    static func componentSize(_ type: Int) -> Int { [5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4][type]! }
}
