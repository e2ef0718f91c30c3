import Foundation

/// USD text (`.usda`) with UsdSkel: a `SkelRoot` holding the person's Skeleton, its
/// SkelAnimation and the skinned Mesh; a Camera matching the plate; optionally a second Mesh
/// with the exact vertices baked as `points.timeSamples`.
///
/// Y-up, metres (`upAxis = "Y"`, `metersPerUnit = 1`). Time codes are the source's
/// presentation times × fps (`timeCodesPerSecond = fps`), so fractional codes appear for
/// variable frame rates. Quaternions are written (w, x, y, z); matrices are row-major with the
/// translation in the 4th row. Joints are parent-first paths (`Pelvis/L_Hip/L_Knee`).
/// Time samples are spooled per attribute and assembled at `finish`.
final class USDAWriter: TrackFormatWriter {
    private let url: URL
    private let camera: PlateCamera
    private let fps: Double
    private let rotations: SpoolFile
    private let translations: SpoolFile
    private let points: SpoolFile?
    private var timeCodes: (first: Double, last: Double)?

    init(url: URL, spoolPrefix: URL, camera: PlateCamera, fps: Double, bakePoints: Bool) throws {
        self.url = url
        self.camera = camera
        self.fps = fps
        rotations = try SpoolFile(url: spoolPrefix.appendingPathExtension("rot"))
        translations = try SpoolFile(url: spoolPrefix.appendingPathExtension("trans"))
        points = bakePoints ? try SpoolFile(url: spoolPrefix.appendingPathExtension("points")) : nil
    }

    private func timeCode(_ time: Double) -> Double { (time * fps * 1e6).rounded() / 1e6 }

    func append(_ frame: ExportFrame) throws {
        let code = timeCode(frame.time)
        if let codes = timeCodes, code <= codes.last {
            throw ExportError.invalidFrame(trackID: frame.trackID, frameIndex: frame.frameIndex,
                                           reason: "time code \(code) does not increase")
        }
        timeCodes = (timeCodes?.first ?? code, code)
        var rot = TextBuffer(reservingCapacity: 2048)
        rot.append("            ")
        rot.append(code, decimals: 6)
        rot.append(": [")
        let jointCount = frame.pose.rotations.count / 4
        for j in 0..<jointCount {
            let q = frame.pose.rotation(j)
            if j > 0 { rot.append(", ") }
            rot.append("(")
            for (k, value) in [q.w, q.x, q.y, q.z].enumerated() {
                if k > 0 { rot.append(", ") }
                rot.append(value, decimals: 7)
            }
            rot.append(")")
        }
        rot.append("],\n")
        try rotations.append(rot.bytes)

        let p = frame.pose.rootPosition
        try translations.append([code, p.x, p.y, p.z].withUnsafeBufferPointer { Data(buffer: $0) })

        if let points {
            var text = TextBuffer(reservingCapacity: frame.vertices.count * 12 + 64)
            text.append("            ")
            text.append(code, decimals: 6)
            text.append(": [")
            Self.appendVectors(frame.vertices, to: &text)
            text.append("],\n")
            try points.append(text.bytes)
        }
    }

    static func vector(_ v: SIMD3<Double>) -> String {
        var text = TextBuffer()
        text.append("(")
        text.append(v.x, decimals: 6)
        text.append(", ")
        text.append(v.y, decimals: 6)
        text.append(", ")
        text.append(v.z, decimals: 6)
        text.append(")")
        return String(decoding: text.bytes, as: UTF8.self)
    }

    static func appendVectors(_ values: [Float], to text: inout TextBuffer) {
        var i = 0
        while i + 2 < values.count {
            if i > 0 { text.append(", ") }
            text.append("(")
            text.append(values[i], decimals: 6)
            text.append(", ")
            text.append(values[i + 1], decimals: 6)
            text.append(", ")
            text.append(values[i + 2], decimals: 6)
            text.append(")")
            i += 3
        }
    }

    static func matrix(translation t: SIMD3<Double>) -> String {
        "( (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), \(vector(t).dropLast()), 1) )"
    }

    func finish(rig: ExportRig) throws -> [URL] {
        defer { removeSpools() }
        let codes = timeCodes ?? (0, 0)
        var paths: [String] = []
        for j in 0..<rig.jointCount {
            paths.append(rig.parents[j] < 0 ? rig.jointNames[j] : paths[rig.parents[j]] + "/" + rig.jointNames[j])
        }
        let jointTokens = "[" + paths.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        func line(_ s: String) -> String { s + "\n" }

        var head = TextBuffer()
        head.append("#usda 1.0\n(\n")
        head.append("    defaultPrim = \"Scene\"\n")
        head.append("    doc = \"pymaf-video: SMPL body track with UsdSkel; Y-up, metres\"\n")
        head.append("    endTimeCode = \(Self.number(codes.last))\n")
        head.append("    framesPerSecond = \(Self.number(fps))\n")
        head.append("    metersPerUnit = 1\n")
        head.append("    startTimeCode = \(Self.number(codes.first))\n")
        head.append("    timeCodesPerSecond = \(Self.number(fps))\n")
        head.append("    upAxis = \"Y\"\n)\n\n")
        head.append("def Xform \"Scene\"\n{\n")
        head.append("    def SkelRoot \"Body\"\n    {\n")
        head.append("        def Skeleton \"Skel\" (\n            prepend apiSchemas = [\"SkelBindingAPI\"]\n        )\n        {\n")
        head.append("            uniform token[] joints = \(jointTokens)\n")
        head.append("            uniform matrix4d[] bindTransforms = [" +
                    (0..<rig.jointCount).map { Self.matrix(translation: rig.restJoint($0)) }.joined(separator: ", ") + "]\n")
        head.append("            uniform matrix4d[] restTransforms = [" +
                    (0..<rig.jointCount).map { Self.matrix(translation: rig.localOffset($0)) }.joined(separator: ", ") + "]\n")
        head.append("            rel skel:animationSource = </Scene/Body/Skel/Motion>\n\n")
        head.append("            def SkelAnimation \"Motion\"\n            {\n")
        head.append("                uniform token[] joints = \(jointTokens)\n")
        head.append("                half3[] scales = [" + Array(repeating: "(1, 1, 1)", count: rig.jointCount).joined(separator: ", ") + "]\n")
        head.append("                quatf[] rotations.timeSamples = {\n")

        var middle = TextBuffer()
        middle.append("                }\n")
        // Translations: the root's position is animated; the others keep their rest offsets.
        middle.append("                float3[] translations.timeSamples = {\n")

        let restOffsets = (1..<rig.jointCount).map { Self.vector(rig.localOffset($0)) }.joined(separator: ", ")

        var meshPart = TextBuffer()
        meshPart.append("                }\n            }\n        }\n\n")
        meshPart.append("        def Mesh \"Mesh\" (\n            prepend apiSchemas = [\"SkelBindingAPI\"]\n        )\n        {\n")
        appendMeshTopology(rig, to: &meshPart)
        meshPart.append("            point3f[] points = [")
        Self.appendVectors(rig.restVertices, to: &meshPart)
        meshPart.append("]\n")
        meshPart.append("            int[] primvars:skel:jointIndices = [" +
                        rig.influenceJoints.map { String($0) }.joined(separator: ", ") +
                        "] (\n                elementSize = 4\n                interpolation = \"vertex\"\n            )\n")
        meshPart.append("            float[] primvars:skel:jointWeights = [")
        for (i, w) in rig.influenceWeights.enumerated() {
            if i > 0 { meshPart.append(", ") }
            meshPart.append(Double(w), decimals: 9)
        }
        meshPart.append("] (\n                elementSize = 4\n                interpolation = \"vertex\"\n            )\n")
        meshPart.append("            matrix4d primvars:skel:geomBindTransform = ( (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1) )\n")
        meshPart.append("            rel skel:skeleton = </Scene/Body/Skel>\n")
        meshPart.append("            uniform token subdivisionScheme = \"none\"\n        }\n    }\n\n")
        // The plate camera: at the origin looking down −Z; apertures in the focal length's unit.
        let focal = 50.0
        meshPart.append("    def Camera \"PlateCamera\"\n    {\n")
        meshPart.append("        float focalLength = \(Self.number(focal))\n")
        meshPart.append("        float horizontalAperture = \(Self.number(focal * Double(camera.imageWidth) / camera.focalLength))\n")
        meshPart.append("        float verticalAperture = \(Self.number(focal * Double(camera.imageHeight) / camera.focalLength))\n")
        meshPart.append("        float2 clippingRange = (0.01, 1000)\n")
        meshPart.append("        token projection = \"perspective\"\n    }\n")

        let file = try AtomicFile(url: url)
        do {
            try file.write(head.data)
            try file.append(contentsOf: rotations)
            try file.write(middle.data)
            // Each translation sample: the root's position, then the rest offsets.
            try translations.forEachRecordBatch(recordSize: 32) { batch in
                var text = TextBuffer(reservingCapacity: batch.count * 40)
                batch.withUnsafeBytes { raw in
                    func value(_ i: Int) -> Double { raw.loadUnaligned(fromByteOffset: i * 8, as: Double.self) }
                    for r in 0..<(raw.count / 32) {
                        text.append("            ")
                        text.append(value(r * 4), decimals: 6)
                        text.append(": [" + Self.vector(SIMD3(value(r * 4 + 1), value(r * 4 + 2), value(r * 4 + 3))))
                        text.append(restOffsets.isEmpty ? "],\n" : ", " + restOffsets + "],\n")
                    }
                }
                try file.write(text.data)
            }
            try file.write(meshPart.data)
            if let points {
                var baked = TextBuffer()
                baked.append("\n    def Mesh \"BakedMesh\"\n    {\n")
                appendMeshTopology(rig, to: &baked)
                baked.append("            uniform token subdivisionScheme = \"none\"\n")
                baked.append("            point3f[] points.timeSamples = {\n")
                try file.write(baked.data)
                try file.append(contentsOf: points)
                try file.write(Data("            }\n    }\n".utf8))
            }
            try file.write(Data("}\n".utf8))
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
        return [url]
    }

    private func appendMeshTopology(_ rig: ExportRig, to text: inout TextBuffer) {
        text.append("            int[] faceVertexCounts = [" +
                    Array(repeating: "3", count: rig.faces.count / 3).joined(separator: ", ") + "]\n")
        text.append("            int[] faceVertexIndices = [" + rig.faces.map { String($0) }.joined(separator: ", ") + "]\n")
        text.append("            uniform token orientation = \"rightHanded\"\n")
    }

    static func number(_ value: Double) -> String {
        var text = TextBuffer()
        text.append(value, decimals: 6)
        var s = String(decoding: text.bytes, as: UTF8.self)
        while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
        return s
    }

    private func removeSpools() {
        rotations.remove()
        translations.remove()
        points?.remove()
    }

    func discard() { removeSpools() }
}
