import Foundation

/// The One-Euro filter (Casiez et al., CHI 2012) for one scalar signal, driven by real time.
///
/// The cutoff frequency adapts to speed: `fc = minCutoff + beta * |dx/dt|` (Hz), so slow
/// motion is smoothed hard and fast motion passes with little lag.
///
///     var f = OneEuroFilter(minCutoff: 1.0, beta: 0.7)
///     let y = f.filter(x, at: frame.time)
public struct OneEuroFilter: Sendable {
    public var minCutoff: Double
    public var beta: Double
    public var derivativeCutoff: Double
    private var previous: (time: Double, value: Double, derivative: Double)?

    public init(minCutoff: Double, beta: Double, derivativeCutoff: Double = 1.0) {
        self.minCutoff = minCutoff
        self.beta = beta
        self.derivativeCutoff = derivativeCutoff
    }

    public init(_ settings: OneEuroSettings) {
        self.init(minCutoff: settings.minCutoff, beta: settings.beta, derivativeCutoff: settings.derivativeCutoff)
    }

    /// Smoothing factor of a first-order low-pass at `cutoff` Hz over `interval` seconds.
    static func alpha(cutoff: Double, interval: Double) -> Double {
        let tau = 1 / (2 * Double.pi * cutoff)
        return 1 / (1 + tau / interval)
    }

    /// Filters `value` observed at `time` seconds; times must increase.
    public mutating func filter(_ value: Double, at time: Double) -> Double {
        guard let last = previous, time > last.time else {
            previous = (time, value, 0)
            return value
        }
        let interval = time - last.time
        let rawDerivative = (value - last.value) / interval
        let aD = Self.alpha(cutoff: derivativeCutoff, interval: interval)
        let derivative = last.derivative + aD * (rawDerivative - last.derivative)
        let cutoff = minCutoff + beta * abs(derivative)
        let a = Self.alpha(cutoff: cutoff, interval: interval)
        let smoothed = last.value + a * (value - last.value)
        previous = (time, smoothed, derivative)
        return smoothed
    }

    /// Forgets the history: the next value passes through unchanged.
    public mutating func reset() { previous = nil }
}
