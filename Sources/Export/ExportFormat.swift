import Foundation

/// The animation and geometry formats `--export` can choose.
public enum ExportFormat: String, Sendable, CaseIterable {
    case glb, pc2, bvh, usda, obj

    /// Parses a comma-separated list such as `glb,pc2`; unknown names are returned as `nil`.
    public static func parseList(_ text: String) -> (formats: [ExportFormat], unknown: [String]) {
        var formats: [ExportFormat] = []
        var unknown: [String] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            if let format = ExportFormat(rawValue: name) {
                if !formats.contains(format) { formats.append(format) }
            } else {
                unknown.append(name)
            }
        }
        return (formats, unknown)
    }
}
