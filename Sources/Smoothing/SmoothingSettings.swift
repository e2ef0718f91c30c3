import Foundation

/// One One-Euro filter's parameters, in real-time units.
public struct OneEuroSettings: Sendable, Equatable, Codable {
    /// Cutoff at rest, in Hz. Lower is smoother and laggier.
    public var minCutoff: Double
    /// Speed coefficient: cutoff grows by `beta` Hz per unit/s of speed (unit-free between
    /// frame- and second-based time, so VIBE's and ROMP's values carry over unchanged).
    public var beta: Double
    /// Cutoff of the speed estimate, in Hz.
    public var derivativeCutoff: Double

    public init(minCutoff: Double, beta: Double, derivativeCutoff: Double = 1.0) {
        self.minCutoff = minCutoff
        self.beta = beta
        self.derivativeCutoff = derivativeCutoff
    }
}

extension OneEuroSettings {
    /// An infinite cutoff: α = 1, every value passes unchanged.
    public static let passThrough = OneEuroSettings(minCutoff: .infinity, beta: 0)
}

/// A command-line smoothing option that cannot be used.
public enum SmoothingError: Error, Equatable, CustomStringConvertible {
    case unknownShapeMode(String)
    case invalidValue(option: String, value: Double)

    public var description: String {
        switch self {
        case .unknownShapeMode(let text):
            return "--shape \(text): unknown; use per-frame or per-track"
        case .invalidValue(let option, let value):
            return "\(option) \(value): must be a finite number > 0 (--min_cutoff, Hz) or ≥ 0 (--beta)"
        }
    }
}

/// How a person's body shape (β) is treated over a track.
public enum ShapeMode: String, Sendable, Equatable, Codable, CaseIterable {
    /// β is filtered per frame with `SmoothingSettings.shape`.
    case perFrame = "per-frame"
    /// One robust β per person: the per-coefficient median over the first
    /// `SmoothingSettings.shapeWindow` seconds of the track, used for every frame of it.
    case perTrack = "per-track"
}

/// What happens when a track has no frame for a while.
public enum GapPolicy: Sendable, Equatable, Codable {
    /// Restart the filters when consecutive frames are more than `seconds` apart: the first
    /// frame after the gap passes through unchanged.
    case reset(after: Double)
    /// Keep filtering across any gap (the low-pass factor tends to 1 for long gaps).
    case bridge
}

/// Everything the smoother needs: one One-Euro setting per parameter group.
///
/// Defaults (`.standard`) were chosen with `pymaf-bench smoothing` on synthetic tracks with
/// PyMAF-like noise (see Sources/Smoothing/README.md for the table).
public struct SmoothingSettings: Sendable, Equatable, Codable {
    /// Joints 1…23 (body pose), filtered as rotations.
    public var bodyPose: OneEuroSettings
    /// Joint 0 (global orientation), filtered as a rotation.
    public var globalOrientation: OneEuroSettings
    /// Crop camera (s, tx, ty) and the person box (cx, cy, side); `origCam` is recomputed.
    public var camera: OneEuroSettings
    /// β per frame (only with `shapeMode == .perFrame`).
    public var shape: OneEuroSettings
    public var shapeMode: ShapeMode
    /// Seconds of track start over which the per-track shape is estimated.
    public var shapeWindow: Double
    public var gapPolicy: GapPolicy

    public init(
        bodyPose: OneEuroSettings, globalOrientation: OneEuroSettings, camera: OneEuroSettings,
        shape: OneEuroSettings, shapeMode: ShapeMode = .perFrame, shapeWindow: Double = 2.0,
        gapPolicy: GapPolicy = .reset(after: 0.5)
    ) {
        self.bodyPose = bodyPose
        self.globalOrientation = globalOrientation
        self.camera = camera
        self.shape = shape
        self.shapeMode = shapeMode
        self.shapeWindow = shapeWindow
        self.gapPolicy = gapPolicy
    }

    /// The project's defaults. Rotations: the best mean error of a sweep of minCutoff
    /// {0.3 … 3} Hz × beta {0.1 … 3} on `SmoothingEvaluation` (README table); camera and shape
    /// keep ROMP's cutoffs.
    public static let standard = SmoothingSettings(
        bodyPose: OneEuroSettings(minCutoff: 1.0, beta: 3.0, derivativeCutoff: 1.0),
        globalOrientation: OneEuroSettings(minCutoff: 1.0, beta: 3.0, derivativeCutoff: 1.0),
        camera: OneEuroSettings(minCutoff: 1.6, beta: 0.7, derivativeCutoff: 1.0),
        shape: OneEuroSettings(minCutoff: 0.6, beta: 0.7, derivativeCutoff: 1.0))

    /// VIBE's `--smooth` (0.004 cycles/frame, β 0.7, d_cutoff 1 cycle/frame) at `fps`, applied to
    /// every rotation; VIBE does not filter camera or shape, so those pass through nearly unchanged.
    public static func vibe(fps: Double) -> SmoothingSettings {
        let pose = OneEuroSettings(minCutoff: 0.004 * fps, beta: 0.7, derivativeCutoff: 1.0 * fps)
        return SmoothingSettings(bodyPose: pose, globalOrientation: pose, camera: .passThrough, shape: .passThrough)
    }

    /// ROMP's `-t` filters (fixed 30 Hz clock there; here the same cutoffs in real Hz):
    /// pose and global rotation 3.0 Hz, camera 1.6 Hz, β 0.6 Hz, all β 0.7, d_cutoff 1 Hz.
    public static let romp = SmoothingSettings(
        bodyPose: OneEuroSettings(minCutoff: 3.0, beta: 0.7),
        globalOrientation: OneEuroSettings(minCutoff: 3.0, beta: 0.7),
        camera: OneEuroSettings(minCutoff: 1.6, beta: 0.7),
        shape: OneEuroSettings(minCutoff: 0.6, beta: 0.7))

    /// A preset by name: `standard`, `vibe` (at `fps`) or `romp`; nil for other names.
    public static func preset(named name: String, fps: Double) -> SmoothingSettings? {
        switch name {
        case "standard": return .standard
        case "vibe": return .vibe(fps: fps)
        case "romp": return .romp
        default: return nil
        }
    }

    /// The settings for the command line's `--smooth`, `--min_cutoff` (Hz), `--beta` and
    /// `--shape per-frame|per-track`; nil when nothing is to be smoothed (no `--smooth`,
    /// per-frame shape). `--shape per-track` without `--smooth` only fixes the shape.
    public static func commandLine(smooth: Bool, minCutoff: Double?, beta: Double?, shape: String) throws -> SmoothingSettings? {
        guard let mode = ShapeMode(rawValue: shape) else { throw SmoothingError.unknownShapeMode(shape) }
        if let minCutoff, !(minCutoff > 0 && minCutoff.isFinite) { throw SmoothingError.invalidValue(option: "--min_cutoff", value: minCutoff) }
        if let beta, !(beta >= 0 && beta.isFinite) { throw SmoothingError.invalidValue(option: "--beta", value: beta) }
        var settings: SmoothingSettings
        if smooth {
            settings = SmoothingSettings.standard.overriding(minCutoff: minCutoff, beta: beta)
        } else if mode == .perTrack {
            settings = SmoothingSettings(bodyPose: .passThrough, globalOrientation: .passThrough, camera: .passThrough, shape: .passThrough)
        } else {
            return nil
        }
        settings.shapeMode = mode
        return settings
    }

    /// JSON of the settings (stored in every `tracks/<id>.npz`); infinite cutoffs as "inf".
    public var jsonDescription: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// The command line's `--min_cutoff` / `--beta`: one override applied to the rotations
    /// (body pose and global orientation), the groups users tune for jitter.
    public func overriding(minCutoff: Double?, beta: Double?) -> SmoothingSettings {
        var copy = self
        if let minCutoff {
            copy.bodyPose.minCutoff = minCutoff
            copy.globalOrientation.minCutoff = minCutoff
        }
        if let beta {
            copy.bodyPose.beta = beta
            copy.globalOrientation.beta = beta
        }
        return copy
    }
}
