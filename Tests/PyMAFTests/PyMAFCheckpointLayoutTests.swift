import Foundation
import Testing
@testable import PyMAF

/// The layout at the released widths is the reference manifest, key for key and shape for shape.
@Suite struct PyMAFCheckpointLayoutTests {
    static let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/reference/pymaf_state_dict_manifest.txt").standardized

    @Test func releasedLayoutIsTheManifest() throws {
        let text = try String(contentsOf: Self.manifest, encoding: .utf8)
        let rows = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line -> PyMAFCheckpointLayout.Entry in
            let fields = line.split(separator: "\t").map(String.init)
            let shape = fields[1].dropFirst().dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return .init(key: fields[0], shape: shape, isInteger: fields[2] == "int64")
        }
        let layout = PyMAFCheckpointLayout().entries
        #expect(rows.count == 442 - 1)
        #expect(layout == rows)
        let elements = layout.reduce(0) { $0 + $1.shape.reduce(1, *) }
        #expect(text.contains("# total elements \(elements)"))
    }
}
