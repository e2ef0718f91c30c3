import Export
import Foundation
import PersonTracking
import Smoothing

/// The text forms of `--frames`.
///
/// `A:B` is frames A through B inclusive, 0-based and numbered as in the full video, the numbers
/// the outputs carry; `A:` runs to the end and `:B` starts at frame 0. A single `N` is frame N.
///
///     try FrameRangeSyntax.parse("100:199")   // 100...199
///     try FrameRangeSyntax.parse("100:")      // 100...Int.max
public enum FrameRangeSyntax {
    /// Parses the text of `--frames`.
    ///
    /// - Throws: `RunError.badArguments` with the accepted forms.
    public static func parse(_ text: String) throws(RunError) -> ClosedRange<Int> {
        let bad = RunError.badArguments(
            "--frames \(text): expected A:B (frames A through B, 0-based, inclusive), A: or :B, with A ≤ B")
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts.count {
        case 1:
            guard let frame = Int(parts[0]), frame >= 0 else { throw bad }
            return frame...frame
        case 2:
            let lower = parts[0].isEmpty ? 0 : Int(parts[0])
            let upper = parts[1].isEmpty ? Int.max : Int(parts[1])
            guard let lower, let upper, lower >= 0, lower <= upper else { throw bad }
            return lower...upper
        default:
            throw bad
        }
    }
}

extension RunConfiguration.Smoothing {
    /// The Smoothing module's settings for a video at `fps` frames per second.
    public func settings(fps: Double) -> SmoothingSettings {
        var settings: SmoothingSettings
        guard filters else {
            settings = SmoothingSettings(bodyPose: .passThrough, globalOrientation: .passThrough, camera: .passThrough, shape: .passThrough)
            settings.shapeMode = shapeMode
            return settings
        }
        switch preset {
        case .standard: settings = .standard
        case .vibe: settings = .vibe(fps: fps > 0 ? fps : 30)
        case .romp: settings = .romp
        }
        settings = settings.overriding(minCutoff: minCutoff, beta: beta)
        if let derivativeCutoff {
            settings.bodyPose.derivativeCutoff = derivativeCutoff
            settings.globalOrientation.derivativeCutoff = derivativeCutoff
        }
        settings.shapeMode = shapeMode
        return settings
    }
}

extension RunConfiguration {
    /// The names `--export` accepts.
    public static let exportFormatNames = ExportFormat.allCases.map(\.rawValue)
    /// The names `--missing` accepts.
    public static let missingPolicyNames = MissingPolicy.allCases.map(\.rawValue)

    /// Sets `exportFormats` from `--export`'s comma-separated list.
    ///
    /// - Throws: `RunError.badArguments` naming the unknown formats.
    public mutating func setExportFormats(_ text: String) throws(RunError) {
        let (formats, unknown) = ExportFormat.parseList(text)
        if !unknown.isEmpty {
            throw .badArguments(
                "--export: unknown format \(unknown.joined(separator: ", ")); choose from \(Self.exportFormatNames.joined(separator: ", "))")
        }
        exportFormats = formats
    }

    /// Sets the tracker's missing-person policy from `--missing`.
    public mutating func setMissingPolicy(_ text: String) throws(RunError) {
        guard let policy = MissingPolicy(rawValue: text.lowercased()) else {
            throw .badArguments("--missing \(text): choose \(Self.missingPolicyNames.joined(separator: " or "))")
        }
        tracking.missingPolicy = policy
    }
}
