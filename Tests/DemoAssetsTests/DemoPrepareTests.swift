import Foundation
import ModelIO
import Testing
import VideoIO
@testable import DemoAssets

/// `DemoAssets.prepare` once into a temporary folder, shared by the tests below.
enum PreparedDemo {
    static let result: Result<DemoAssetPaths, DemoAssetsError> = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-assets-\(ProcessInfo.processInfo.processIdentifier)")
        return Result { () throws(DemoAssetsError) in try DemoAssets.prepare(in: folder) }
    }()

    static func paths() throws -> DemoAssetPaths { try result.get() }
}

@Suite(.serialized) struct DemoPrepareTests {
    @Test func sampleClipDecodes() throws {
        let paths = try PreparedDemo.paths()
        let decoder = try VideoDecoder(url: paths.sampleClip)
        #expect(decoder.info.width == DemoClip.width && decoder.info.height == DemoClip.height)
        #expect(abs(decoder.info.fps - DemoClip.frameRate) < 1e-6)
        var frames = 0
        var personPixels = 0
        while let frame = try decoder.nextFrame() {
            if frames == 0 {
                // Corner = plain background (±6 levels of compression); the person fills part of the middle.
                for c in 0..<3 { #expect(abs(Int(frame.rgb[c]) - Int(DemoClip.background[c])) <= 6) }
                for y in stride(from: 0, to: frame.height, by: 4) {
                    for x in stride(from: 0, to: frame.width, by: 4) {
                        let o = 3 * (y * frame.width + x)
                        if abs(Int(frame.rgb[o + 2]) - Int(DemoClip.background.z)) > 30 { personPixels += 1 }
                    }
                }
            }
            frames += 1
        }
        #expect(frames == DemoClip.frameCount)
        let sampled = (DemoClip.width / 4) * (DemoClip.height / 4)
        #expect(personPixels > sampled / 40 && personPixels < sampled / 2, "the humanoid covers part of the frame")
    }

    @Test func prepareKeepsExistingFilesAndFillsGaps() throws {
        let paths = try PreparedDemo.paths()
        let before = try FileManager.default.attributesOfItem(atPath: paths.checkpoint.path)[.modificationDate] as? Date
        try FileManager.default.removeItem(at: paths.bodyModel)
        let again = try DemoAssets.prepare(in: paths.directory)
        #expect(again == paths)
        #expect(FileManager.default.fileExists(atPath: paths.bodyModel.path), "the missing file is recreated")
        let after = try FileManager.default.attributesOfItem(atPath: paths.checkpoint.path)[.modificationDate] as? Date
        #expect(before == after, "the existing checkpoint is kept")
        let archive = try NPZArchive(contentsOf: paths.bodyModel)
        #expect(archive.names.contains("v_template") && archive.names.contains("extra_joints_idxs"))
    }

    @Test func unwritableFolderIsATypedError() {
        #expect(throws: DemoAssetsError.self) {
            try DemoAssets.prepare(in: URL(fileURLWithPath: "/proc/demo-assets-cannot-exist"))
        }
    }
}
