import Foundation

/// The One-Euro filter for a rotation, on the unit-quaternion sphere, driven by real time.
///
/// The derivative is the angular-velocity vector (rad/s, axis · angle of the step from the
/// previous output, in its local frame), low-passed at `derivativeCutoff` as a vector so that
/// noise averages out as it does for a signed scalar; its length is the speed, the cutoff is
/// `minCutoff + beta · speed` (Hz) as in the scalar `OneEuroFilter`, and the blend toward the
/// new sample is a slerp by the low-pass factor α. Samples are aligned to the previous output's
/// hemisphere first, so `q` and `−q` are the same input and nothing jumps at ±π.
///
///     var f = RotationOneEuroFilter(minCutoff: 1.0, beta: 0.7)
///     let smoothed = f.filter(q, at: frame.time)
struct RotationOneEuroFilter: Sendable {
    var minCutoff: Double
    var beta: Double
    var derivativeCutoff: Double
    private var previous: (time: Double, value: Quaternion, velocity: SIMD3<Double>)?

    init(minCutoff: Double, beta: Double, derivativeCutoff: Double = 1.0) {
        self.minCutoff = minCutoff
        self.beta = beta
        self.derivativeCutoff = derivativeCutoff
    }

    init(_ settings: OneEuroSettings) {
        self.init(minCutoff: settings.minCutoff, beta: settings.beta, derivativeCutoff: settings.derivativeCutoff)
    }

    /// Filters the unit quaternion `value` observed at `time` seconds; times must increase.
    mutating func filter(_ value: Quaternion, at time: Double) -> Quaternion {
        guard let last = previous, time > last.time else {
            let start = value.normalized
            previous = (time, start, .zero)
            return start
        }
        let sample = value.normalized.aligned(to: last.value)
        let interval = time - last.time
        let rawVelocity = (last.value.conjugate * sample).rotationVector / interval
        let aD = OneEuroFilter.alpha(cutoff: derivativeCutoff, interval: interval)
        let velocity = last.velocity + aD * (rawVelocity - last.velocity)
        let speed = (velocity * velocity).sum().squareRoot()
        let a = OneEuroFilter.alpha(cutoff: minCutoff + beta * speed, interval: interval)
        let smoothed = last.value.slerp(to: sample, a)
        previous = (time, smoothed, velocity)
        return smoothed
    }

    /// Forgets the history: the next sample passes through unchanged.
    mutating func reset() { previous = nil }
}
