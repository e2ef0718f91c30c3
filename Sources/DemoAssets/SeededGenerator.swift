/// SplitMix64: a small, fast, seeded random number generator, so the demo assets are the same
/// bytes on every machine and every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [−bound, bound).
    @inline(__always)
    mutating func symmetric(_ bound: Float) -> Float {
        let unit = Float(next() >> 40) * (1 / Float(1 << 24))  // [0, 1)
        return (2 * unit - 1) * bound
    }

    /// `count` values uniform in [−bound, bound).
    mutating func symmetric(count: Int, bound: Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = symmetric(bound) }
            initialized = count
        }
    }

    /// `count` values uniform in [low, high).
    mutating func uniform(count: Int, _ low: Float, _ high: Float) -> [Float] {
        (0..<count).map { _ in low + (high - low) * (symmetric(1) + 1) / 2 }
    }
}
