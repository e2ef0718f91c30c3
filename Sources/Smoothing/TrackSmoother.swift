import BodyModel
import Foundation

/// The smoothing stage: per-track One-Euro filters over each person's SMPL parameters, then
/// vertices, joints and axis-angle pose recomputed through SMPL.
///
/// Frames of any number of tracks may interleave; each track has its own filters, driven by
/// the frames' presentation times. Rotations are filtered on the unit-quaternion sphere
/// (`RotationOneEuroFilter`); the crop camera and box with the camera settings (box side in
/// log space), and `origCam` is rebuilt from them with PyMAF's formula. With
/// `ShapeMode.perTrack`, a track's frames are held until `shapeWindow` seconds of it have been
/// seen (or the stream ends), then all of them leave with the track's one median β — memory
/// for at most one window per live track.
///
///     var smoother = TrackSmoother(settings: .standard, bodyModel: smpl, imageWidth: 1920, imageHeight: 1080)
///     for frame in regressed { for out in smoother.process(frame) { export(out) } }
///     for out in smoother.finish() { export(out) }
public struct TrackSmoother {
    public let settings: SmoothingSettings
    public let bodyModel: SMPLModel
    public let imageWidth: Int
    public let imageHeight: Int
    private var tracks: [Int: TrackState] = [:]

    struct TrackState {
        var filters: TrackFilterBank
        var shape: [Float]?
        var pending: [PersonFrame] = []
    }

    public init(settings: SmoothingSettings, bodyModel: SMPLModel, imageWidth: Int, imageHeight: Int) {
        self.settings = settings
        self.bodyModel = bodyModel
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
    }

    /// Smooths one frame; returns the frames that are complete now (possibly none, or several
    /// when a per-track shape window closes).
    public mutating func process(_ frame: PersonFrame) -> [PersonFrame] {
        var state = tracks[frame.trackID] ?? TrackState(filters: TrackFilterBank(settings: settings))
        defer { tracks[frame.trackID] = state }
        switch settings.shapeMode {
        case .perFrame:
            return [repose(state.filters.smooth(frame, filterShape: true, imageWidth: imageWidth, imageHeight: imageHeight))]
        case .perTrack:
            if let shape = state.shape { return [smooth(frame, shape: shape, state: &state)] }
            state.pending.append(frame)
            guard let first = state.pending.first, frame.time - first.time >= settings.shapeWindow else { return [] }
            return release(&state)
        }
    }

    /// Filters one frame's parameters without re-posing or shape holding (benchmarks, tests).
    public mutating func filterOnly(_ frame: PersonFrame) -> PersonFrame {
        var state = tracks[frame.trackID] ?? TrackState(filters: TrackFilterBank(settings: settings))
        defer { tracks[frame.trackID] = state }
        return state.filters.smooth(frame, filterShape: true, imageWidth: imageWidth, imageHeight: imageHeight)
    }

    /// Flushes the frames still held for per-track shapes, track by track in id order.
    public mutating func finish() -> [PersonFrame] {
        var out: [PersonFrame] = []
        for id in tracks.keys.sorted() {
            guard var state = tracks[id], !state.pending.isEmpty else { continue }
            out += release(&state)
            tracks[id] = state
        }
        return out
    }

    /// The one shape of a track: the per-coefficient median of its frames' β.
    static func robustShape(_ frames: [PersonFrame]) -> [Float] {
        let count = frames.map(\.betas.count).min() ?? 0
        return (0..<count).map { i in
            let values = frames.map { $0.betas[i] }.sorted()
            let mid = values.count / 2
            return values.count.isMultiple(of: 2) ? (values[mid - 1] + values[mid]) / 2 : values[mid]
        }
    }

    private func release(_ state: inout TrackState) -> [PersonFrame] {
        let shape = Self.robustShape(state.pending)
        state.shape = shape
        let held = state.pending
        state.pending = []
        return held.map { smooth($0, shape: shape, state: &state) }
    }

    private func smooth(_ frame: PersonFrame, shape: [Float], state: inout TrackState) -> PersonFrame {
        var out = state.filters.smooth(frame, filterShape: false, imageWidth: imageWidth, imageHeight: imageHeight)
        out.betas = shape
        return repose(out)
    }

    /// Vertices, joints (49) and axis-angle pose from the smoothed rotations and β.
    func repose(_ frame: PersonFrame) -> PersonFrame {
        guard frame.betas.count == bodyModel.betaCount, frame.rotations.count == SMPLModel.jointCount * 9 else { return frame }
        var out = frame
        let body = bodyModel.forward(betas: frame.betas, rotations: frame.rotations)
        out.vertices = body.vertices
        out.joints = body.joints49
        out.pose = Rotation.axisAngle(fromMatrix: frame.rotations)
        return out
    }
}
