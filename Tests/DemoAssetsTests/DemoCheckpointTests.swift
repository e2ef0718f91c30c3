import Foundation
import ModelIO
import Testing
@testable import DemoAssets

@Suite struct DemoCheckpointTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Written, then read back with ModelIO: every key of PyMAF's state dict in order, with its
    /// shape and dtype; V-dependent shapes (SMPL buffers, Dmap) take the demo body's V and F.
    @Test func readsBackWithEveryManifestKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(DemoAssetNames.checkpoint)
        let body = ProceduralHumanoid(detail: .demo)
        try DemoCheckpoint.write(body: body, seed: 42, to: url)

        let manifestURL = Self.repositoryRoot.appendingPathComponent("../shared/reference/pymaf_state_dict_manifest.txt")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let stateDict = try TorchCheckpoint(contentsOf: url).stateDict()
        #expect(stateDict.count == manifest.count && manifest.count == 441)
        let v = body.vertexCount
        for (line, entry) in zip(manifest, stateDict) {
            let fields = line.split(separator: "\t").map(String.init)
            #expect(entry.key == fields[0])
            let shape = fields[1].dropFirst().dropLast().split(separator: ",")
                .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                .map { $0 == 6890 ? v : ($0 == 20670 ? 3 * v : ($0 == 13776 ? body.faceCount : $0)) }
            #expect(entry.tensor.shape == shape, "\(entry.key)")
            #expect(entry.tensor.dtype == (fields[2] == "int64" ? ScalarType.int64 : .float32), "\(entry.key)")
        }
        let byKey = Dictionary(stateDict.map { ($0.key, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        #expect(try #require(byKey["regressor.2.init_pose"]).floats() == DemoMeanParameters.pose6D)
        #expect(try #require(byKey["regressor.1.init_cam"]).floats() == [0.9, 0, 0])
        let variance = try #require(byKey["feature_extractor.layer3.5.bn2.running_var"]).floats()
        #expect(variance.allSatisfy { (0.8...1.2).contains($0) }, "batch-norm statistics are sane")
        #expect(try #require(byKey["regressor.0.smpl.v_template"]).floats() == body.vTemplate)
        #expect(try #require(byKey["regressor.1.smpl.parents"]).int64s() == body.parents.map { Int64($0) })
        #expect(try #require(byKey["regressor.2.smpl.faces_tensor"]).int64s() == body.faces.map { Int64($0) })
        #expect(try #require(byKey["feature_extractor.bn1.num_batches_tracked"]).int64s() == [1])
    }

    @Test func bodyModelNPZReadsBack() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demo-body-\(UUID().uuidString).npz")
        defer { try? FileManager.default.removeItem(at: url) }
        let body = ProceduralHumanoid(detail: .demo)
        try body.writeNPZ(to: url)
        let archive = try NPZArchive(contentsOf: url)
        #expect(try archive.array("v_template").floats() == body.vTemplate)
        #expect(try archive.array("posedirs").shape == [207, 3 * body.vertexCount])
        #expect(try archive.array("extra_joints_idxs").int64s() == body.extraVertexIndices.map { Int64($0) })
    }
}
