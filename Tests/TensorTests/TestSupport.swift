import Testing
@testable import Tensor

/// Deterministic pseudo-random numbers (SplitMix64), so a failing case reproduces.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A tensor with elements uniform in [−scale, scale].
    mutating func tensor(_ shape: [Int], scale: Float = 1) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -scale...scale, using: &self) })
    }

    mutating func floats(_ count: Int, in range: ClosedRange<Float>) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }
}

/// A reference result computed in Double, with, per element, the number of rounded float
/// operations behind the fast result and the sum of the magnitudes they combine.
///
/// The tolerance is the textbook bound for a float dot product in any summation order:
/// |fast − exact| ≤ γ_k·Σ|terms|, γ_k ≈ k·u, u = 2⁻²⁴. It scales with the dot-product length k
/// (Cin/groups·kH·kW for a convolution) instead of being a loose constant.
struct Reference {
    var shape: [Int]
    var values: [Double]
    var magnitudes: [Double]
    var operationCount: Int

    static let unitRoundoff = 0x1p-24

    /// Checks `fast` elementwise; reports the worst element.
    func check(_ fast: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fast.shape == shape, "shape \(fast.shape) ≠ \(shape)", sourceLocation: sourceLocation)
        guard fast.shape == shape else { return }
        let gamma = Double(operationCount + 2) * Reference.unitRoundoff
        var worst = (index: -1, excess: 0.0)
        for i in values.indices {
            let error = abs(Double(fast.data[i]) - values[i])
            let bound = gamma * magnitudes[i] + 1e-30
            if error > bound, error / bound > worst.excess { worst = (i, error / bound) }
        }
        #expect(worst.index < 0,
                "element \(worst.index): fast \(worst.index >= 0 ? fast.data[worst.index] : 0) vs reference \(worst.index >= 0 ? values[worst.index] : 0), \(worst.excess)× the bound",
                sourceLocation: sourceLocation)
    }
}

func applyReference(_ a: Activation, _ v: Double) -> Double {
    switch a {
    case .none: return v
    case .relu: return max(v, 0)
    case .relu6: return min(max(v, 0), 6)
    case .leakyReLU(let s): return v >= 0 ? v : Double(s) * v
    }
}
