import Foundation
import Testing
@testable import Render

/// Golden pictures under Tests/RenderTests/Golden, recorded with `RECORD_SNAPSHOTS=1`, never edited.
///
/// Tolerance: every channel within 2 levels of the golden picture on all pixels except at most
/// 0.2% of them (edge samples whose inside/outside decision may flip under a different float
/// rounding of the projection), which may differ by any amount. A freshly recorded file fails once.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ image: RGBImage, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name + ".ppm")
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        if record || !FileManager.default.fileExists(atPath: url.path) {
            try PortablePixmap.encode(image).write(to: url, options: .atomic)
            Issue.record("recorded golden picture \(name).ppm; run the test again", sourceLocation: sourceLocation)
            return
        }
        let golden = try #require(PortablePixmap.decode(try Data(contentsOf: url)), "unreadable golden \(name).ppm", sourceLocation: sourceLocation)
        try #require(golden.width == image.width && golden.height == image.height,
                     "\(name): size \(image.width)x\(image.height), golden \(golden.width)x\(golden.height)", sourceLocation: sourceLocation)
        var outliers = 0
        for p in 0..<(image.width * image.height) {
            let d = (0..<3).map { abs(Int(image.rgb[3 * p + $0]) - Int(golden.rgb[3 * p + $0])) }.max()!
            if d > 2 { outliers += 1 }
        }
        #expect(outliers * 1000 <= image.width * image.height * 2,
                "\(name): \(outliers) pixels differ by more than 2 levels", sourceLocation: sourceLocation)
    }
}
