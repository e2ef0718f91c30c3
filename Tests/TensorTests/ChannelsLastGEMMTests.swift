import Testing
@testable import Tensor

/// The C GEMM behind NHWC 1×1 convolutions (`CKernels`), with its weights packed once by
/// `Filter`, in every instruction set this CPU runs, against a plain Double loop.
///
/// Shapes cover the remainders of every blocking factor: rows around multiples of the 12-row
/// register block, columns around the 16-float vectors and 32-column panels, and depths from
/// 0 up. Tolerance: the float dot-product bound |fast − exact| ≤ (depth + 1)·u·Σ|terms| (bias
/// included), doubled, u = 2⁻²⁴; the clamp is exact.
@Suite struct ChannelsLastGEMMTests {
    static let kernels = ChannelsLast.InstructionSet.allCases.filter(\.isSupported)

    /// `out (rows, cols)` written by the kernel, with 8 sentinels after it that must survive.
    /// `storage`: as given, or nil for the filter's own choice.
    static func run(_ kernel: ChannelsLast.InstructionSet, a: [Float], rows: Int, depth: Int, weight: [Float], bias: [Float]?,
                    cols: Int, clamp: ChannelsLast.Clamp, storage: ChannelsLast.Filter.Storage? = nil) -> [Float] {
        var out = [Float](repeating: .nan, count: rows * cols + 8)
        let filter = ChannelsLast.Filter(weight: weight, bias: bias, depth: depth, cols: cols, storage: storage)
        // Scratch filled with garbage: the kernel must not rely on zeros there.
        var scratch = [Float](repeating: .nan, count: filter.scratchCount)
        out.withUnsafeMutableBufferPointer { o in
            scratch.withUnsafeMutableBufferPointer { s in
                ChannelsLast.gemmBiasClamp(a: a, rows: rows, filter: filter, clamp: clamp, output: o.baseAddress!,
                                           scratch: s.baseAddress!, instructionSet: kernel)
            }
        }
        return out
    }

    /// Checks `out` against the Double reference; returns the number of bad elements.
    static func mismatches(_ out: [Float], a: [Float], rows: Int, depth: Int, weight: [Float], bias: [Float]?, cols: Int,
                           clamp: ChannelsLast.Clamp) -> Int {
        var bad = 0
        for r in 0..<rows {
            for c in 0..<cols {
                var exact = Double(bias?[c] ?? 0), magnitude = abs(exact)
                for k in 0..<depth {
                    let term = Double(a[r * depth + k]) * Double(weight[c * depth + k])
                    exact += term; magnitude += abs(term)
                }
                let clamped = min(max(exact, Double(clamp.lower)), Double(clamp.upper))
                let tolerance = 2 * Double(depth + 1) * 0x1p-24 * magnitude
                if !(abs(Double(out[r * cols + c]) - clamped) <= tolerance) { bad += 1 }
            }
        }
        return bad + out[(rows * cols)...].filter { !$0.isNaN }.count
    }

    @Test(arguments: [1, 11, 12, 13, 25, 36, 47])
    func matchesReferenceOnOddShapes(rows: Int) {
        var rng = SeededRandom(seed: UInt64(rows))
        for kernel in Self.kernels {
            for cols in [1, 7, 15, 16, 17, 31, 32, 33, 48, 63, 65] {
                for depth in [0, 1, 3, 16, 48, 77] {
                    let a = rng.floats(rows * depth, in: -1...1), weight = rng.floats(cols * depth, in: -1...1)
                    let bias = cols % 2 == 0 ? rng.floats(cols, in: -1...1) : nil
                    let clamp: ChannelsLast.Clamp = depth % 2 == 0 ? .relu6 : .none
                    let out = Self.run(kernel, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols, clamp: clamp)
                    let bad = Self.mismatches(out, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols, clamp: clamp)
                    #expect(bad == 0, "\(kernel): rows \(rows), cols \(cols), depth \(depth): \(bad) elements wrong")
                }
            }
        }
    }

    /// The detector's common shape (a 1×1 convolution at 64×64 with 48 channels) and a deep one.
    @Test(arguments: [(4096, 48, 48), (49, 288, 288), (196, 192, 1152), (12544, 24, 3 * 3 * 3)])
    func matchesReferenceOnDetectorShapes(rows: Int, cols: Int, depth: Int) {
        var rng = SeededRandom(seed: UInt64(rows * cols + depth))
        let a = rng.floats(rows * depth, in: -2...2), weight = rng.floats(cols * depth, in: -0.5...0.5), bias = rng.floats(cols, in: -1...1)
        for kernel in Self.kernels {
            let out = Self.run(kernel, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols, clamp: .relu)
            let bad = Self.mismatches(out, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols, clamp: .relu)
            #expect(bad == 0, "\(kernel): rows \(rows), cols \(cols), depth \(depth): \(bad) elements wrong")
        }
    }

    @Test func thisMachineRunsTheBestKernel() {
        #expect(ChannelsLast.InstructionSet.best.isSupported)
        #expect(Self.kernels.contains(.portable))
    }
}
