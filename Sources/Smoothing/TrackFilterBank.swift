import BodyModel
import Foundation

/// The filters of one track: 24 rotation filters (joint 0 with the global-orientation
/// settings, joints 1…23 with the body-pose settings), 6 camera filters and 10 shape filters.
///
/// `smooth` replaces a frame's rotations, crop camera, box, full-image camera and (per-frame
/// shape mode) β with filtered values; pose, vertices and joints are left for re-posing.
struct TrackFilterBank: Sendable {
    static let jointCount = 24
    static let shapeCount = 10

    private var joints: [RotationOneEuroFilter]  // (24)
    private var camera: [OneEuroFilter]  // (6): s, tx, ty, cx, cy, log(side)
    private var shape: [OneEuroFilter]  // (10)
    private let gapPolicy: GapPolicy
    private(set) var lastTime: Double?

    init(settings: SmoothingSettings) {
        joints = (0..<Self.jointCount).map { j in
            RotationOneEuroFilter(j == 0 ? settings.globalOrientation : settings.bodyPose)
        }
        camera = Array(repeating: OneEuroFilter(settings.camera), count: 6)
        shape = Array(repeating: OneEuroFilter(settings.shape), count: Self.shapeCount)
        gapPolicy = settings.gapPolicy
    }

    /// Restarts every filter: the next frame passes through unchanged.
    mutating func reset() {
        for i in joints.indices { joints[i].reset() }
        for i in camera.indices { camera[i].reset() }
        for i in shape.indices { shape[i].reset() }
        lastTime = nil
    }

    /// Whether the frame at `time` starts a new segment (first frame, a gap past the policy's
    /// limit, or a time that does not increase).
    func startsSegment(at time: Double) -> Bool {
        guard let lastTime else { return true }
        if time <= lastTime { return true }
        if case .reset(let seconds) = gapPolicy, time - lastTime > seconds { return true }
        return false
    }

    /// Filters `frame`'s parameters in place of the raw ones.
    ///
    /// - Parameters:
    ///   - filterShape: filter β (per-frame shape mode); otherwise β is left as given.
    ///   - imageWidth, imageHeight: the upright frame size, to rebuild `origCam`.
    mutating func smooth(_ frame: PersonFrame, filterShape: Bool, imageWidth: Int, imageHeight: Int) -> PersonFrame {
        if startsSegment(at: frame.time) { reset() }
        lastTime = frame.time
        let t = frame.time
        var out = frame

        var rotations = frame.rotations  // (24, 3, 3) row-major
        for j in 0..<min(Self.jointCount, rotations.count / 9) {
            let q = Quaternion(rotationMatrix: frame.rotations[(j * 9)..<(j * 9 + 9)])
            let m = joints[j].filter(q, at: t).rotationMatrix
            rotations.replaceSubrange((j * 9)..<(j * 9 + 9), with: m)
        }
        out.rotations = rotations

        let side = Double(max(frame.box.z, frame.box.w))
        let raw: [Double] = [
            Double(frame.predCam.x), Double(frame.predCam.y), Double(frame.predCam.z),
            Double(frame.box.x), Double(frame.box.y), log(max(side, 1e-6)),
        ]
        var c = [Double](repeating: 0, count: 6)
        for i in 0..<6 { c[i] = camera[i].filter(raw[i], at: t) }
        let smoothedSide = exp(c[5])
        out.predCam = SIMD3(Float(c[0]), Float(c[1]), Float(c[2]))
        out.box = SIMD4(Float(c[3]), Float(c[4]), Float(smoothedSide), Float(smoothedSide))
        out.origCam = Self.origCam(
            predCam: (c[0], c[1], c[2]), center: (c[3], c[4]), side: smoothedSide,
            imageWidth: Double(imageWidth), imageHeight: Double(imageHeight))

        if filterShape {
            out.betas = frame.betas.enumerated().map { i, b in
                i < shape.count ? Float(shape[i].filter(Double(b), at: t)) : b
            }
        }
        return out
    }

    /// PyMAF's crop camera → full-image camera: sx = s·side/W, sy = s·side/H,
    /// tx' = (cx − W/2)/(W/2)/sx + tx, ty' = (cy − H/2)/(H/2)/sy + ty.
    static func origCam(
        predCam: (s: Double, tx: Double, ty: Double), center: (x: Double, y: Double), side: Double,
        imageWidth: Double, imageHeight: Double
    ) -> SIMD4<Float> {
        let sx = predCam.s * side / imageWidth
        let sy = predCam.s * side / imageHeight
        let tx = (center.x - imageWidth / 2) / (imageWidth / 2) / sx + predCam.tx
        let ty = (center.y - imageHeight / 2) / (imageHeight / 2) / sy + predCam.ty
        return SIMD4(Float(sx), Float(sy), Float(tx), Float(ty))
    }
}
