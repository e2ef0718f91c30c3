import Foundation

/// glTF 2.0 binary (`.glb`): the person's skinned SMPL rig, its animation at the source's
/// presentation times, and a camera that matches the video plate.
///
/// Nodes 0…J−1 are the joints (SMPL names, TRS; rest translation = offset from the parent,
/// root = its rest position), node J the skinned mesh (no transform, at scene root), node
/// J+1 the camera (at the origin looking down −Z, `PlateCamera`'s vertical field of view and
/// aspect). Inverse bind matrices are column-major translate(−J_j). Animation: one LINEAR
/// rotation channel per joint (unit quaternions x, y, z, w, hemisphere-continuous) and one
/// root translation channel, sharing one time accessor (seconds, strictly increasing).
/// Every bufferView starts on a 4-byte boundary; chunks are padded (JSON with spaces, BIN with
/// zeros). Frames are spooled (one 4 + 16·J + 12 byte record each) and assembled at `finish`.
final class GLBWriter: TrackFormatWriter {
    private let url: URL
    private let spool: SpoolFile
    private let camera: PlateCamera
    private let name: String
    private let jointCount: Int
    private var frameCount = 0
    private var timeRange: (min: Float, max: Float)?

    init(url: URL, spoolURL: URL, camera: PlateCamera, name: String, jointCount: Int) throws {
        self.url = url
        self.camera = camera
        self.name = name
        self.jointCount = jointCount
        spool = try SpoolFile(url: spoolURL)
    }

    private var recordSize: Int { 4 + 16 * jointCount + 12 }

    func append(_ frame: ExportFrame) throws {
        let time = Float(frame.time)
        if let range = timeRange, time <= range.max {
            throw ExportError.invalidFrame(trackID: frame.trackID, frameIndex: frame.frameIndex,
                                           reason: "time \(frame.time) s does not increase in float32 seconds")
        }
        var record = BinaryBuffer()
        record.append(float: time)
        record.append(floats: frame.pose.rotations)
        let p = frame.pose.rootPosition
        record.append(floats: [Float(p.x), Float(p.y), Float(p.z)])
        try spool.append(record.data)
        frameCount += 1
        timeRange = (timeRange?.min ?? time, time)
    }

    func finish(rig: ExportRig) throws -> [URL] {
        defer { spool.remove() }
        let j = jointCount
        let v = rig.vertexCount
        let n = frameCount
        let wideIndices = v > 65534

        // Binary layout: one tightly packed bufferView per accessor, each 4-byte aligned.
        var views: [[String: Any]] = []
        var accessors: [[String: Any]] = []
        var offset = 0
        func addView(_ length: Int, target: Int?) -> Int {
            var view: [String: Any] = ["buffer": 0, "byteOffset": offset, "byteLength": length]
            if let target { view["target"] = target }
            views.append(view)
            offset += (length + 3) / 4 * 4
            return views.count - 1
        }
        func addAccessor(view: Int, componentType: Int, count: Int, type: String, min: [Double]? = nil, max: [Double]? = nil) -> Int {
            var accessor: [String: Any] = ["bufferView": view, "componentType": componentType, "count": count, "type": type]
            if let min { accessor["min"] = min }
            if let max { accessor["max"] = max }
            accessors.append(accessor)
            return accessors.count - 1
        }
        let float = 5126
        var lower = [Float](repeating: .infinity, count: 3)
        var upper = [Float](repeating: -.infinity, count: 3)
        for i in 0..<v {
            for k in 0..<3 {
                lower[k] = min(lower[k], rig.restVertices[i * 3 + k])
                upper[k] = max(upper[k], rig.restVertices[i * 3 + k])
            }
        }
        let position = addAccessor(view: addView(v * 12, target: 34962), componentType: float, count: v, type: "VEC3",
                                   min: lower.map(Double.init), max: upper.map(Double.init))
        let joints = addAccessor(view: addView(v * 4, target: 34962), componentType: 5121, count: v, type: "VEC4")
        let weights = addAccessor(view: addView(v * 16, target: 34962), componentType: float, count: v, type: "VEC4")
        let indices = addAccessor(view: addView(rig.faces.count * (wideIndices ? 4 : 2), target: 34963),
                                  componentType: wideIndices ? 5125 : 5123, count: rig.faces.count, type: "SCALAR")
        let inverseBind = addAccessor(view: addView(j * 64, target: nil), componentType: float, count: j, type: "MAT4")
        let times = addAccessor(view: addView(n * 4, target: nil), componentType: float, count: n, type: "SCALAR",
                                min: [Double(timeRange?.min ?? 0)], max: [Double(timeRange?.max ?? 0)])
        let rotations = (0..<j).map { _ in addAccessor(view: addView(n * 16, target: nil), componentType: float, count: n, type: "VEC4") }
        let translations = addAccessor(view: addView(n * 12, target: nil), componentType: float, count: n, type: "VEC3")
        let binaryLength = offset

        var nodes: [[String: Any]] = (0..<j).map { joint in
            let t = rig.localOffset(joint)
            var node: [String: Any] = ["name": rig.jointNames[joint], "translation": [t.x, t.y, t.z]]
            let children = rig.parents.indices.filter { rig.parents[$0] == joint }
            if !children.isEmpty { node["children"] = children }
            return node
        }
        nodes.append(["name": name, "mesh": 0, "skin": 0])
        nodes.append(["name": "PlateCamera", "camera": 0])
        let roots = rig.parents.indices.filter { rig.parents[$0] < 0 }
        var samplers: [[String: Any]] = rotations.map { ["input": times, "output": $0, "interpolation": "LINEAR"] }
        samplers.append(["input": times, "output": translations, "interpolation": "LINEAR"])
        var channels: [[String: Any]] = (0..<j).map { ["sampler": $0, "target": ["node": $0, "path": "rotation"]] }
        channels.append(["sampler": j, "target": ["node": roots[0], "path": "translation"]])
        var document: [String: Any] = [
            "asset": ["version": "2.0", "generator": "pymaf-video"],
            "scene": 0,
            "scenes": [["name": name, "nodes": [j] + roots + [j + 1]]],
            "nodes": nodes,
            "meshes": [["name": name, "primitives": [[
                "attributes": ["POSITION": position, "JOINTS_0": joints, "WEIGHTS_0": weights],
                "indices": indices, "mode": 4,
            ]]]],
            "skins": [["name": name, "joints": Array(0..<j), "inverseBindMatrices": inverseBind, "skeleton": roots[0]]],
            "cameras": [["name": "PlateCamera", "type": "perspective", "perspective": [
                "yfov": camera.verticalFieldOfView, "aspectRatio": camera.aspectRatio, "znear": 0.01, "zfar": 1000.0,
            ]]],
            "buffers": [["byteLength": binaryLength]],
            "bufferViews": views,
            "accessors": accessors,
        ]
        if n > 0 { document["animations"] = [["name": name, "samplers": samplers, "channels": channels]] }
        var json: [UInt8]
        do {
            json = try JSONText.encode(document)
        } catch {
            throw ExportError.cannotWrite(path: url.path, reason: "JSON encoding failed: \(error)")
        }
        while json.count % 4 != 0 { json.append(0x20) }

        let file = try AtomicFile(url: url)
        do {
            var head = BinaryBuffer()
            head.append(uint32: 0x4654_6C67)
            head.append(uint32: 2)
            head.append(uint32: UInt32(12 + 8 + json.count + 8 + binaryLength))
            head.append(uint32: UInt32(json.count))
            head.append(uint32: 0x4E4F_534A)
            head.append(bytes: json)
            head.append(uint32: UInt32(binaryLength))
            head.append(uint32: 0x004E_4942)

            var mesh = BinaryBuffer()
            mesh.append(floats: rig.restVertices)
            mesh.append(bytes: rig.influenceJoints)
            mesh.append(floats: rig.influenceWeights)
            if wideIndices {
                for f in rig.faces { mesh.append(uint32: f) }
            } else {
                for f in rig.faces { withUnsafeBytes(of: UInt16(f).littleEndian) { mesh.append(bytes: Array($0)) } }
            }
            mesh.pad(toMultipleOf: 4)
            for joint in 0..<j {
                let p = rig.restJoint(joint)
                mesh.append(floats: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, Float(-p.x), Float(-p.y), Float(-p.z), 1])
            }
            try file.write(head.data)
            try file.write(mesh.data)
            // Animation: times, then each joint's rotations, then the root translations.
            try writeColumn(to: file, floatOffset: 0, width: 1)
            for joint in 0..<j { try writeColumn(to: file, floatOffset: 1 + joint * 4, width: 4) }
            try writeColumn(to: file, floatOffset: 1 + j * 4, width: 3)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
        return [url]
    }

    /// Copies `width` floats starting at `floatOffset` of every spooled record, in order
    /// (all widths are whole floats, so each view stays 4-byte aligned).
    private func writeColumn(to file: AtomicFile, floatOffset: Int, width: Int) throws {
        let size = recordSize
        try spool.forEachRecordBatch(recordSize: size) { batch in
            let records = batch.count / size
            var out = Data(count: records * width * 4)
            batch.withUnsafeBytes { src in
                out.withUnsafeMutableBytes { dst in
                    for r in 0..<records {
                        let from = src.baseAddress! + r * size + floatOffset * 4
                        (dst.baseAddress! + r * width * 4).copyMemory(from: from, byteCount: width * 4)
                    }
                }
            }
            try file.write(out)
        }
    }

    func discard() { spool.remove() }
}
