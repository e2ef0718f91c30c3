import Testing
@testable import Tensor

/// The sparse GEMM behind NHWC 1×1 convolutions with mostly zero weights, in every instruction
/// set this CPU runs: against the plain Double loop of `ChannelsLastGEMMTests`, and equal to the
/// dense kernel on the same weights (the same sums in the same order).
///
/// Shapes cover the kernel's blocking: rows around the 16-pixel vectors and 64-pixel blocks,
/// depths and columns around the 16×16 transposes, and output channels with no non-zero weight.
@Suite struct ChannelsLastSparseGEMMTests {
    static let kernels = ChannelsLast.InstructionSet.allCases.filter(\.isSupported)

    /// Weights (cols, depth) with about `density` of them non-zero; every third column all zero.
    static func sparseWeights(cols: Int, depth: Int, density: Double, rng: inout SeededRandom) -> [Float] {
        var w = [Float](repeating: 0, count: cols * depth)
        for c in 0..<cols where c % 3 != 1 {
            for k in 0..<depth where Double.random(in: 0..<1, using: &rng) < density {
                w[c * depth + k] = Float.random(in: -1...1, using: &rng)
            }
        }
        return w
    }

    @Test(arguments: [1, 15, 16, 17, 48, 49, 63, 64, 65, 130])
    func matchesReferenceAndDenseKernel(rows: Int) {
        var rng = SeededRandom(seed: UInt64(1000 + rows))
        for kernel in Self.kernels {
            for cols in [1, 15, 16, 17, 33] {
                for depth in [0, 1, 15, 16, 17, 40] {
                    let a = rng.floats(rows * depth, in: -1...1)
                    let weight = Self.sparseWeights(cols: cols, depth: depth, density: 0.25, rng: &rng)
                    let bias = cols % 2 == 1 ? rng.floats(cols, in: -1...1) : nil
                    let clamp: ChannelsLast.Clamp = depth % 2 == 0 ? .relu6 : .none
                    let sparse = ChannelsLastGEMMTests.run(kernel, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols,
                                          clamp: clamp, storage: .sparse)
                    let bad = ChannelsLastGEMMTests.mismatches(sparse, a: a, rows: rows, depth: depth, weight: weight, bias: bias,
                                                               cols: cols, clamp: clamp)
                    #expect(bad == 0, "\(kernel): rows \(rows), cols \(cols), depth \(depth): \(bad) elements wrong")
                    let dense = ChannelsLastGEMMTests.run(kernel, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols,
                                         clamp: clamp, storage: .dense)
                    #expect(sparse.prefix(rows * cols) == dense.prefix(rows * cols),
                            "\(kernel): rows \(rows), cols \(cols), depth \(depth): sparse and dense sums differ")
                }
            }
        }
    }

    /// Detector-sized layers: 112² and 7² pixels, wide and deep.
    @Test(arguments: [(12544, 16, 24), (196, 192, 1152), (49, 1152, 192)])
    func matchesDenseKernelOnDetectorShapes(rows: Int, cols: Int, depth: Int) {
        var rng = SeededRandom(seed: UInt64(rows + cols + depth))
        let a = rng.floats(rows * depth, in: -2...2), bias = rng.floats(cols, in: -1...1)
        let weight = Self.sparseWeights(cols: cols, depth: depth, density: 0.25, rng: &rng)
        for kernel in Self.kernels {
            let sparse = ChannelsLastGEMMTests.run(kernel, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols, clamp: .relu6, storage: .sparse)
            let dense = ChannelsLastGEMMTests.run(kernel, a: a, rows: rows, depth: depth, weight: weight, bias: bias, cols: cols, clamp: .relu6, storage: .dense)
            #expect(sparse.prefix(rows * cols) == dense.prefix(rows * cols), "\(kernel): rows \(rows), cols \(cols), depth \(depth)")
            #expect(sparse.suffix(8).allSatisfy { $0.isNaN }, "\(kernel): wrote past the output")
        }
    }

    /// Sparse when at most half of the weights are non-zero and the depth is at least 64.
    @Test func storageFollowsTheShareOfZerosAndTheDepth() {
        func weights(depth: Int, nonZeroEvery step: Int) -> [Float] { (0..<2 * depth).map { $0 % step == 0 ? 1 : 0 } }
        func storage(depth: Int, nonZeroEvery step: Int, _ requested: ChannelsLast.Filter.Storage? = nil) -> ChannelsLast.Filter.Storage {
            ChannelsLast.Filter(weight: weights(depth: depth, nonZeroEvery: step), bias: nil, depth: depth, cols: 2, storage: requested).storage
        }
        #expect(storage(depth: 64, nonZeroEvery: 4) == .sparse)
        #expect(storage(depth: 64, nonZeroEvery: 2) == .sparse)
        #expect(storage(depth: 64, nonZeroEvery: 1) == .dense)
        #expect(storage(depth: 63, nonZeroEvery: 4) == .dense)
        #expect(storage(depth: 8, nonZeroEvery: 1, .sparse) == .sparse)
    }
}
