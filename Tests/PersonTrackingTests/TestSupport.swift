import Foundation
import VideoIO

/// Paths the tests use: the repository root (from this file's path), the detector model that
/// `make models` fetches, the shared real clips beside the repository, and bundled fixtures.
enum TestPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let detectorModel = root.appendingPathComponent("data/models/pose_detection.tflite")
    static let sharedData = root.appendingPathComponent("../shared/data").standardizedFileURL

    static func fixture(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name)"])
        }
        return url
    }

    /// The COCO image as the golden script decoded it (224×224 RGB).
    static func cocoFrame() throws -> VideoFrame {
        let bytes = [UInt8](try Data(contentsOf: fixture("coco_person.rgb")))
        return VideoFrame(index: 0, time: 0, width: 224, height: 224, rgb: bytes)
    }
}
