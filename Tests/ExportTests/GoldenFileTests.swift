import Foundation
import Testing
@testable import Export

/// Every format for a small synthetic track (3 frames of one person, one gap), byte for byte.
/// Re-record with `RECORD_SNAPSHOTS=1 swift test --filter GoldenFileTests` after an intended
/// format change, and review the diff.
@Suite struct GoldenFileTests {
    @Test func everyFormatMatchesItsSnapshot() throws {
        let frames = [0, 1, 3].map { SyntheticBody.frame($0) }
        let (folder, _) = try ExportSessionTests.export(frames)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["clip_0001.glb", "clip_0001.pc2", "clip_0001_rest.obj", "clip_0001.bvh", "clip_0001.usda",
                     "meshes/0001/000003.obj", "tracks/0001.npz", "output.pkl"] {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            assertSnapshot(data, named: name.replacingOccurrences(of: "/", with: "_"))
        }
    }
}
