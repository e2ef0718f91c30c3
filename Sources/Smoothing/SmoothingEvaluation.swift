import Foundation

/// Measures a rotation filter setting on a synthetic track with known ground truth.
///
/// The track (24 joints, `duration` seconds at `fps`, presentation times with ±10 % jitter)
/// has slow sinusoidal motion on every joint, a global orientation near Rx(π) (the camera
/// frame, where raw axis-angle has its seam), and one joint that turns at a constant
/// `fastSpeed` rad/s for one second. Observations add an independent random rotation per
/// joint and frame whose angle is normal with `noiseDegrees` standard deviation (PyMAF's
/// frame-to-frame jitter is a few degrees).
public struct SmoothingEvaluation: Sendable {
    public struct Result: Sendable {
        /// Mean geodesic error of the raw observations, degrees.
        public var rawError: Double
        /// Mean geodesic error after filtering, degrees.
        public var smoothedError: Double
        /// Mean lag on the fast turn (its second half, error / speed), milliseconds.
        public var fastLag: Double
    }

    public var fps: Double = 30
    public var duration: Double = 10
    public var noiseDegrees: Double = 3
    public var fastSpeed: Double = 6
    public var seed: UInt64 = 7

    public init() {}

    static let fastJoint = 4  // L_Knee
    var fastStart: Double { duration * 0.4 }
    var fastEnd: Double { fastStart + 1 }

    /// Presentation times: i/fps with a deterministic ±10 % jitter of one frame interval.
    public func times() -> [Double] {
        var rng = SplitMix64(seed: seed &+ 1)
        let count = Int(duration * fps)
        return (0..<count).map { i in (Double(i) + 0.1 * (rng.nextUniform() * 2 - 1)) / fps }
    }

    /// Ground-truth rotations per frame and joint.
    func groundTruth(times: [Double]) -> [[Quaternion]] {
        var rng = SplitMix64(seed: seed)
        let motions: [(axis: SIMD3<Double>, amplitude: Double, frequency: Double, phase: Double)] = (0..<24).map { _ in
            (rng.nextUnitVector(), 0.1 + 0.3 * rng.nextUniform(), 0.1 + 0.4 * rng.nextUniform(), 2 * Double.pi * rng.nextUniform())
        }
        let upsideDown = Quaternion(axis: SIMD3(1, 0, 0), angle: Double.pi)
        let fastAxis = SIMD3<Double>(1, 0, 0)
        return times.map { t in
            (0..<24).map { j in
                if j == Self.fastJoint {
                    let turned = min(max(t - fastStart, 0), fastEnd - fastStart) * fastSpeed
                    return Quaternion(axis: fastAxis, angle: turned)
                }
                let m = motions[j]
                let sway = Quaternion(axis: m.axis, angle: m.amplitude * sin(2 * Double.pi * m.frequency * t + m.phase))
                return j == 0 ? upsideDown * sway : sway
            }
        }
    }

    /// Noisy observations of `truth`.
    func observe(_ truth: [[Quaternion]]) -> [[Quaternion]] {
        var rng = SplitMix64(seed: seed &+ 2)
        let sigma = noiseDegrees * Double.pi / 180
        return truth.map { frame in
            frame.map { q in Quaternion(axis: rng.nextUnitVector(), angle: sigma * rng.nextNormal()) * q }
        }
    }

    /// Runs one filter per joint with `bodyPose` (joints 1…23) and `globalOrientation` (joint 0).
    public func evaluate(_ settings: SmoothingSettings) -> Result {
        let t = times()
        let truth = groundTruth(times: t)
        let observed = observe(truth)
        var filters = (0..<24).map { RotationOneEuroFilter($0 == 0 ? settings.globalOrientation : settings.bodyPose) }
        var raw = 0.0
        var smoothed = 0.0
        var lag = 0.0
        var lagSamples = 0
        let settle = 1.0  // seconds left out at the start of the track
        var counted = 0
        for (i, time) in t.enumerated() {
            for j in 0..<24 {
                let s = filters[j].filter(observed[i][j], at: time)
                guard time >= settle else { continue }
                raw += observed[i][j].angle(to: truth[i][j])
                smoothed += s.angle(to: truth[i][j])
                counted += 1
                if j == Self.fastJoint, time >= (fastStart + fastEnd) / 2, time <= fastEnd {
                    lag += s.angle(to: truth[i][j]) / fastSpeed
                    lagSamples += 1
                }
            }
        }
        let degrees = 180 / Double.pi
        return Result(
            rawError: raw / Double(counted) * degrees,
            smoothedError: smoothed / Double(counted) * degrees,
            fastLag: lag / Double(max(lagSamples, 1)) * 1000)
    }
}

/// A small deterministic generator (SplitMix64) for reproducible synthetic tracks.
struct SplitMix64: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func nextNormal() -> Double {
        let u = max(nextUniform(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * nextUniform())
    }

    mutating func nextUnitVector() -> SIMD3<Double> {
        let v = SIMD3(nextNormal(), nextNormal(), nextNormal())
        let n = (v * v).sum().squareRoot()
        return n > 0 ? v / n : SIMD3(1, 0, 0)
    }
}
