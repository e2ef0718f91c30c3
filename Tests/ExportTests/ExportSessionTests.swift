import BodyModel
import Foundation
import Testing
import ZIPFoundation
@testable import Export

@Suite struct ExportSessionTests {
    static let video = ExportVideo(name: "clip", fps: 30, width: 640, height: 480)

    /// Exports `frames` with every format into a fresh folder.
    static func export(_ frames: [PersonFrame], formats: [ExportFormat] = ExportFormat.allCases, bake: Bool = true) throws -> (URL, [URL]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-test-\(UUID().uuidString)")
        let session = try ExportSession(outputFolder: folder, video: video,
                                        options: ExportOptions(formats: formats, bakeUSDPoints: bake, smoothingDescription: "{\"preset\":\"test\"}"),
                                        body: SyntheticBody.body)
        for frame in frames { try session.add(frame) }
        return (folder, try session.finish())
    }

    @Test func writesEveryFileAndNoTemporaries() throws {
        let frames = (0..<4).map { SyntheticBody.frame($0) } + (0..<2).map { SyntheticBody.frame($0, trackID: 7) }
        let (folder, written) = try Self.export(frames)
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = Set(written.map { $0.path.replacingOccurrences(of: folder.path + "/", with: "") })
        for id in ["0001", "0007"] {
            for suffix in [".glb", ".pc2", "_rest.obj", ".bvh", ".usda"] { #expect(names.contains("clip_\(id)\(suffix)")) }
            #expect(names.contains("tracks/\(id).npz"))
            #expect(names.contains("meshes/\(id)"))
        }
        #expect(names.contains("output.pkl"))
        let everything = FileManager.default.enumerator(atPath: folder.path)!.allObjects as! [String]
        #expect(everything.filter { $0.contains("partial") || $0.contains("spool") }.isEmpty)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("meshes/0001/000003.obj").path))
    }

    /// Root motion is one formula for every format: the exact Y-up vertices (OBJ/PC2/USD points)
    /// equal the skinning (GLB/UsdSkel/BVH skeleton) of the exported pose. The synthetic body has
    /// no pose correctives, so they agree to float rounding (tolerance 1e-5 m).
    @Test func exactVerticesMatchSkinnedPose() throws {
        let rig = SyntheticBody.rig
        let camera = PlateCamera(imageWidth: 640, imageHeight: 480)
        for i in [0, 5, 17] {
            let frame = try ExportFrame(SyntheticBody.frame(i), camera: camera, vertexCount: 48, jointCount: 24)
            let skinned = rig.skinnedVertices(frame.pose)
            let error = zip(skinned, frame.vertices).map { abs($0 - $1) }.max()!
            #expect(error < 1e-5)
            // Upright: the head is above the pelvis in Y-up.
            #expect(frame.vertices[15 * 6 + 1] > frame.vertices[1])
        }
    }

    @Test func rootTranslationFollowsDocumentedFormula() throws {
        let camera = PlateCamera(imageWidth: 640, imageHeight: 480)
        let frame = SyntheticBody.frame(3)
        let t = try #require(camera.translation(origCam: frame.origCam))
        #expect(abs(camera.focalLength - 800) < 1e-9)  // diagonal of 640 × 480
        #expect(abs(t.z - 2 * 800 / (Double(frame.origCam.x) * 640)) < 1e-9)
        // A point at the root depth projects where the weak-perspective camera puts it.
        let p = SIMD3<Double>(0.1, -0.2, 0)
        let u = camera.focalLength * (p.x + t.x) / t.z / 320
        #expect(abs(u - Double(frame.origCam.x) * (p.x + Double(frame.origCam.z))) < 1e-6)
    }

    @Test func framesMustIncreaseAlongATrack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try ExportSession(outputFolder: folder, video: Self.video, options: ExportOptions(formats: [.glb]), body: SyntheticBody.body)
        try session.add(SyntheticBody.frame(2))
        #expect(throws: ExportError.self) { try session.add(SyntheticBody.frame(1)) }
        var broken = SyntheticBody.frame(3)
        broken.vertices.removeLast(3)
        #expect(throws: ExportError.self) { try session.add(broken) }
        session.cancel()
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("clip_0001.glb").path))
    }

    @Test func pc2AndBVHHoldAcrossGaps() throws {
        let frames = [0, 1, 4].map { SyntheticBody.frame($0) }
        let (folder, _) = try Self.export(frames, formats: [.pc2, .bvh])
        defer { try? FileManager.default.removeItem(at: folder) }
        let pc2 = try Data(contentsOf: folder.appendingPathComponent("clip_0001.pc2"))
        func i32(_ o: Int) -> Int32 { pc2.subdata(in: o..<(o + 4)).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) } }
        #expect(pc2.prefix(12) == Data("POINTCACHE2".utf8 + [0]))
        #expect(i32(12) == 1 && i32(16) == 48 && i32(28) == 5)
        #expect(pc2.count == 32 + 12 * 48 * 5)
        // Frames 2 and 3 hold frame 1.
        let sample = 12 * 48
        #expect(pc2.subdata(in: (32 + sample)..<(32 + 2 * sample)) == pc2.subdata(in: (32 + 3 * sample)..<(32 + 4 * sample)))
        let bvh = try String(contentsOf: folder.appendingPathComponent("clip_0001.bvh"), encoding: .utf8)
        #expect(bvh.contains("Frames: 5\nFrame Time: 0.03333333\n"))
        let motion = bvh.components(separatedBy: "Frame Time: 0.03333333\n")[1].split(separator: "\n")
        #expect(motion.count == 5)
        #expect(motion.allSatisfy { $0.split(separator: " ").count == 75 })
        // Depth-first declaration: Pelvis, L_Hip, L_Knee, L_Ankle, L_Foot, R_Hip, …
        let declared = bvh.split(separator: "\n").compactMap { line -> String? in
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            return parts.count == 2 && (parts[0] == "ROOT" || parts[0] == "JOINT") ? String(parts[1]) : nil
        }
        #expect(Array(declared.prefix(6)) == ["Pelvis", "L_Hip", "L_Knee", "L_Ankle", "L_Foot", "R_Hip"])
    }

    @Test func npzMembersHaveAlignedHeadersAndShapes() throws {
        let (folder, _) = try Self.export((0..<3).map { SyntheticBody.frame($0) }, formats: [])
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try Archive(url: folder.appendingPathComponent("tracks/0001.npz"), accessMode: .read)
        var headers: [String: String] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            #expect(data.prefix(6) == Data([0x93] + Array("NUMPY".utf8)))
            let headerLength = Int(data[8]) | Int(data[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
            headers[entry.path] = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        }
        #expect(headers["verts.npy"]?.contains("'shape': (3, 48, 3)") == true)
        #expect(headers["frame_ids.npy"]?.contains("'descr': '<i8'") == true)
        #expect(headers["fps.npy"]?.contains("'shape': ()") == true)
        #expect(headers.count == 15)
    }
}
