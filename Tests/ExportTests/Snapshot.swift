import Foundation
import Testing

/// Golden-file comparison: `RECORD_SNAPSHOTS=1` (re)writes `Golden/<name>` and fails once, so a
/// freshly recorded file never passes silently; otherwise the bytes must match exactly.
func assertSnapshot(_ data: Data, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url)
        Issue.record("recorded snapshot \(name); run again without RECORD_SNAPSHOTS to compare", sourceLocation: sourceLocation)
        return
    }
    guard let golden = try? Data(contentsOf: url) else {
        Issue.record("missing snapshot \(name); record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    if golden != data {
        let firstDifference = zip(golden, data).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(golden.count, data.count)
        Issue.record("\(name) differs from its snapshot at byte \(firstDifference) (sizes \(data.count) vs \(golden.count))", sourceLocation: sourceLocation)
    }
}
