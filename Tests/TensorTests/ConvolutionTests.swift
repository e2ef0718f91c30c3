import Testing
@testable import Tensor

/// One random convolution case: the fast op against `referenceConv2D`.
struct ConvCase: CustomTestStringConvertible, Sendable {
    var batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int
    var kernel: (Int, Int), stride: Int, padding: Padding2D, groups: Int = 1
    var activation: Activation = .none, residual = false, bias = true
    var testDescription: String {
        "N\(batch) \(inChannels)→\(outChannels) \(height)×\(width) k\(kernel.0)×\(kernel.1) s\(stride) pad(\(padding.top),\(padding.bottom),\(padding.left),\(padding.right)) g\(groups) \(activation)\(residual ? " +res" : "")"
    }
}

@Suite struct Conv2DTests {
    static let cases: [ConvCase] = [
        // 1×1 as plain GEMM: small plane (all frames in one GEMM) and large plane (per frame).
        ConvCase(batch: 3, inChannels: 17, outChannels: 9, height: 7, width: 5, kernel: (1, 1), stride: 1, padding: .zero),
        ConvCase(batch: 2, inChannels: 5, outChannels: 6, height: 41, width: 43, kernel: (1, 1), stride: 1, padding: .zero, activation: .relu),
        ConvCase(batch: 1, inChannels: 8, outChannels: 4, height: 9, width: 9, kernel: (1, 1), stride: 1, padding: .zero, activation: .relu6, bias: false),
        // 1×1 stride 2 (ResNet downsample).
        ConvCase(batch: 2, inChannels: 6, outChannels: 10, height: 13, width: 11, kernel: (1, 1), stride: 2, padding: .zero),
        // 3×3, odd sizes, stride 1 and 2, padding, residual and activations.
        ConvCase(batch: 2, inChannels: 7, outChannels: 5, height: 11, width: 9, kernel: (3, 3), stride: 1, padding: Padding2D(1), activation: .relu, residual: true),
        ConvCase(batch: 3, inChannels: 4, outChannels: 6, height: 15, width: 12, kernel: (3, 3), stride: 2, padding: Padding2D(1), activation: .leakyReLU(0.1)),
        ConvCase(batch: 2, inChannels: 3, outChannels: 4, height: 45, width: 41, kernel: (3, 3), stride: 1, padding: Padding2D(1), activation: .relu, residual: true),
        // 7×7 stride 2 pad 3 (ResNet stem), rectangular kernel, TF SAME asymmetric padding.
        ConvCase(batch: 2, inChannels: 3, outChannels: 8, height: 23, width: 19, kernel: (7, 7), stride: 2, padding: Padding2D(3), activation: .relu),
        ConvCase(batch: 1, inChannels: 3, outChannels: 5, height: 10, width: 8, kernel: (2, 3), stride: 1, padding: Padding2D(top: 0, bottom: 1, left: 2, right: 0)),
        ConvCase(batch: 2, inChannels: 3, outChannels: 4, height: 12, width: 12, kernel: (3, 3), stride: 2,
                 padding: .same(height: 12, width: 12, kernelHeight: 3, kernelWidth: 3, stride: 2), activation: .relu6),
        // Groups, and depthwise (groups == Cin == Cout) 3×3 / 5×5, stride 1 / 2.
        ConvCase(batch: 2, inChannels: 6, outChannels: 4, height: 9, width: 8, kernel: (3, 3), stride: 1, padding: Padding2D(1), groups: 2),
        ConvCase(batch: 2, inChannels: 5, outChannels: 5, height: 13, width: 11, kernel: (3, 3), stride: 1, padding: Padding2D(1), groups: 5, activation: .relu6),
        ConvCase(batch: 3, inChannels: 4, outChannels: 4, height: 14, width: 15, kernel: (5, 5), stride: 2,
                 padding: .same(height: 14, width: 15, kernelHeight: 5, kernelWidth: 5, stride: 2), groups: 4, residual: true),
        ConvCase(batch: 1, inChannels: 3, outChannels: 3, height: 8, width: 8, kernel: (3, 3), stride: 2, padding: .zero, groups: 3),
        // Depthwise with multiplier 2 goes the grouped-GEMM way.
        ConvCase(batch: 2, inChannels: 3, outChannels: 6, height: 7, width: 7, kernel: (3, 3), stride: 1, padding: Padding2D(1), groups: 3),
    ]

    /// The layer, an (N, C, H, W) input, the residual if any, and the reference result.
    static func setUp(_ c: ConvCase) -> (conv: Conv2D, x: Tensor, residual: Tensor?, expected: Reference) {
        var rng = SeededRandom(seed: UInt64(c.inChannels * 1000 + c.height * 10 + c.stride))
        let x = rng.tensor([c.batch, c.inChannels, c.height, c.width])
        let weight = rng.tensor([c.outChannels, c.inChannels / c.groups, c.kernel.0, c.kernel.1], scale: 0.5)
        let bias = c.bias ? rng.floats(c.outChannels, in: -1...1) : nil
        let conv = Conv2D(weight: weight, bias: bias, stride: c.stride, padding: c.padding, groups: c.groups)
        let size = conv.outputSize(height: c.height, width: c.width)
        let residual = c.residual ? rng.tensor([c.batch, c.outChannels, size.height, size.width]) : nil
        let expected = referenceConv2D(x, weight: weight, bias: bias, stride: c.stride, padding: c.padding, groups: c.groups,
                                       residual: residual, activation: c.activation)
        return (conv, x, residual, expected)
    }

    @Test(arguments: cases)
    func matchesReference(_ c: ConvCase) {
        let (conv, x, residual, expected) = Self.setUp(c)
        // Two threads for the im2col and output loops, then the one-thread default.
        expected.check(conv(x, adding: residual, activation: c.activation, workspace: Workspace(threadCount: 2)))
        if residual == nil { expected.check(conv(x, activation: c.activation)) }
    }

    /// The same cases with x, residual and output stored (C, N, H, W).
    @Test(arguments: cases)
    func matchesReferenceBatchInner(_ c: ConvCase) {
        let (conv, x, residual, expected) = Self.setUp(c)
        for threads in [1, 2] {
            let y = conv(swappingBatchAndChannels(x), adding: residual.map(swappingBatchAndChannels), activation: c.activation,
                         layout: .cnhw, workspace: Workspace(threadCount: threads))
            expected.check(swappingBatchAndChannels(y))
        }
    }

    @Test func swappingBatchAndChannelsMovesPlanes() {
        var rng = SeededRandom(seed: 13)
        for shape in [[3, 4, 2, 5], [1, 4, 3, 3], [4, 1, 3, 3]] {
            let x = rng.tensor(shape)
            let y = swappingBatchAndChannels(x)
            #expect(y.shape == [shape[1], shape[0], shape[2], shape[3]])
            let plane = shape[2] * shape[3]
            for i in 0..<shape[0] {
                for j in 0..<shape[1] {
                    #expect(Array(y.data[(j * shape[0] + i) * plane..<(j * shape[0] + i + 1) * plane])
                            == Array(x.data[(i * shape[1] + j) * plane..<(i * shape[1] + j + 1) * plane]))
                }
            }
            #expect(swappingBatchAndChannels(y) == x)
        }
    }

    @Test func workspaceAndOutputReuseAcrossBatchSizes() {
        var rng = SeededRandom(seed: 7)
        let conv = Conv2D(weight: rng.tensor([6, 4, 3, 3]), bias: rng.floats(6, in: -1...1), stride: 1, padding: Padding2D(1))
        let workspace = Workspace()
        var out = Tensor(shape: [])
        for batch in [4, 1, 4, 2] {
            let x = rng.tensor([batch, 4, 10, 9])
            conv.forward(x, activation: .relu, workspace: workspace, into: &out)
            referenceConv2D(x, weight: conv.weight, bias: conv.bias, stride: 1, padding: Padding2D(1), groups: 1,
                            activation: .relu).check(out)
        }
    }

    @Test func foldedBatchNormMatchesConvThenBatchNorm() {
        var rng = SeededRandom(seed: 11)
        let x = rng.tensor([2, 5, 9, 9])
        let weight = rng.tensor([7, 5, 3, 3])
        let (gamma, beta, mean) = (rng.floats(7, in: 0.5...1.5), rng.floats(7, in: -1...1), rng.floats(7, in: -1...1))
        let variance = rng.floats(7, in: 0.2...2)
        let folded = Conv2D(weight: weight, bias: nil, stride: 2, padding: Padding2D(1))
            .foldingBatchNorm(gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: 1e-5)
        let plain = referenceConv2D(x, weight: weight, bias: nil, stride: 2, padding: Padding2D(1), groups: 1)
        referenceBatchNorm(plain, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: 1e-5).check(folded(x))
    }

    @Test func sameHelperFollowsTheTFRule() {
        // in 224, k 3, s 2: out 112, total = 111·2 + 3 − 224 = 1 → (0, 1).
        #expect(Padding2D.same(height: 224, width: 224, kernelHeight: 3, kernelWidth: 3, stride: 2)
                == Padding2D(top: 0, bottom: 1, left: 0, right: 1))
        // in 7, k 5, s 1: total 4 → (2, 2).
        #expect(Padding2D.same(height: 7, width: 7, kernelHeight: 5, kernelWidth: 5, stride: 1) == Padding2D(2))
    }
}

@Suite struct ConvTranspose2DTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var batch: Int, cin: Int, cout: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int
        var activation: Activation = .none, bias = false
        var testDescription: String { "N\(batch) \(cin)→\(cout) \(height)×\(width) k\(kernel) s\(stride) p\(padding) \(activation)" }
    }

    static let cases: [Case] = [
        Case(batch: 1, cin: 6, cout: 5, height: 7, width: 7, kernel: 4, stride: 2, padding: 1, activation: .relu),
        Case(batch: 3, cin: 9, cout: 4, height: 5, width: 6, kernel: 4, stride: 2, padding: 1, activation: .relu, bias: true),
        Case(batch: 2, cin: 3, cout: 2, height: 41, width: 40, kernel: 4, stride: 2, padding: 1),
        Case(batch: 2, cin: 5, cout: 3, height: 6, width: 19, kernel: 4, stride: 2, padding: 1, activation: .leakyReLU(0.1), bias: true),
        Case(batch: 3, cin: 4, cout: 2, height: 5, width: 9, kernel: 2, stride: 2, padding: 0, activation: .relu6, bias: true),
        Case(batch: 2, cin: 4, cout: 3, height: 5, width: 4, kernel: 3, stride: 2, padding: 0, bias: true),
        Case(batch: 2, cin: 4, cout: 3, height: 6, width: 5, kernel: 3, stride: 1, padding: 1, activation: .leakyReLU(0.2)),
        Case(batch: 2, cin: 3, cout: 2, height: 6, width: 7, kernel: 5, stride: 2, padding: 2, bias: true),
        // Stride above the kernel: some output phases get no taps and hold only the bias.
        Case(batch: 2, cin: 3, cout: 2, height: 4, width: 5, kernel: 2, stride: 3, padding: 0, activation: .relu, bias: true),
    ]

    @Test(arguments: cases)
    func matchesReference(_ c: Case) {
        var rng = SeededRandom(seed: UInt64(c.cin * 97 + c.height))
        let x = rng.tensor([c.batch, c.cin, c.height, c.width])
        let weight = rng.tensor([c.cin, c.cout, c.kernel, c.kernel], scale: 0.5)
        let bias = c.bias ? rng.floats(c.cout, in: -1...1) : nil
        let layer = ConvTranspose2D(weight: weight, bias: bias, stride: c.stride, padding: c.padding)
        let expected = referenceConvTranspose2D(x, weight: weight, bias: bias, stride: c.stride, padding: c.padding,
                                                activation: c.activation)
        expected.check(layer(x, activation: c.activation))
        expected.check(layer(x, activation: c.activation, workspace: Workspace(threadCount: 2)))
        for threads in [1, 2] {
            let y = layer(swappingBatchAndChannels(x), activation: c.activation, layout: .cnhw, workspace: Workspace(threadCount: threads))
            expected.check(swappingBatchAndChannels(y))
        }
    }

    /// The stride-2 output pass that interleaves two column phases equals the strided epilogue on
    /// each, bit for bit, on every instruction set: lengths with tails, signed zeros, NaN.
    @Test(arguments: [Activation.none, .relu, .relu6, .leakyReLU(0.1)])
    func interleavedPairEqualsTheStridedEpilogue(_ activation: Activation) {
        var rng = SeededRandom(seed: 17)
        for count in [0, 1, 7, 8, 9, 16, 23, 37] {
            var even = rng.floats(count, in: -8...8), odd = rng.floats(count, in: -8...8)
            for i in stride(from: 0, to: count, by: 5) { even[i] = i % 2 == 0 ? -0.0 : .nan; odd[i] = 0 }
            var expected = [Float](repeating: 7, count: 2 * count + 1)
            expected.withUnsafeMutableBufferPointer { e in
                epilogue(e.baseAddress!, even, count: count, bias: 0.25, residual: nil, activation: activation, dstStride: 2)
                epilogue(e.baseAddress! + 1, odd, count: count, bias: 0.25, residual: nil, activation: activation, dstStride: 2)
            }
            for instructionSet in ChannelsLast.InstructionSet.allCases where instructionSet.isSupported {
                var y = [Float](repeating: 7, count: 2 * count + 1)  // the last value must stay untouched
                y.withUnsafeMutableBufferPointer { out in
                    interleavePair(even, odd, count: count, bias: 0.25, activation: activation, into: out.baseAddress!,
                                   instructionSet: instructionSet)
                }
                #expect(y.map(\.bitPattern) == expected.map(\.bitPattern), "\(instructionSet), \(count) values")
            }
        }
    }

    @Test func foldedBatchNormMatchesLayerThenBatchNorm() {
        var rng = SeededRandom(seed: 5)
        let x = rng.tensor([2, 6, 5, 5])
        let weight = rng.tensor([6, 4, 4, 4])
        let (gamma, beta, mean) = (rng.floats(4, in: 0.5...1.5), rng.floats(4, in: -1...1), rng.floats(4, in: -1...1))
        let variance = rng.floats(4, in: 0.2...2)
        let folded = ConvTranspose2D(weight: weight, bias: nil, stride: 2, padding: 1)
            .foldingBatchNorm(gamma: gamma, beta: beta, mean: mean, variance: variance)
        let plain = referenceConvTranspose2D(x, weight: weight, bias: nil, stride: 2, padding: 1)
        referenceBatchNorm(plain, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: 1e-5).check(folded(x))
    }
}

@Suite struct LinearAndBLASTests {
    @Test(arguments: [(1, 37, 13), (5, 64, 33), (8, 2205, 17)])
    func linearMatchesReference(_ shape: (Int, Int, Int)) {
        let (n, inputs, outputs) = shape
        var rng = SeededRandom(seed: UInt64(inputs))
        let x = rng.tensor([n, inputs]), weight = rng.tensor([outputs, inputs]), bias = rng.floats(outputs, in: -1...1)
        let y = Linear(weight: weight, bias: bias)(x, activation: .leakyReLU(0.01))
        var values = [Double](), magnitudes = [Double]()
        for i in 0..<n {
            for o in 0..<outputs {
                var sum = Double(bias[o]), mag = abs(sum)
                for k in 0..<inputs {
                    let term = Double(x.data[i * inputs + k]) * Double(weight.data[o * inputs + k])
                    sum += term
                    mag += abs(term)
                }
                values.append(applyReference(.leakyReLU(0.01), sum))
                magnitudes.append(mag)
            }
        }
        Reference(shape: [n, outputs], values: values, magnitudes: magnitudes, operationCount: inputs + 1).check(y)
    }

    /// The Double reference of C = 0.5·op(A)·op(B) + beta·C0, all row-major with leading
    /// dimensions; C0 is not read when beta is 0.
    static func sgemmReference(m: Int, n: Int, k: Int, transposeA ta: Bool, transposeB tb: Bool, a: [Float], lda: Int,
                               b: [Float], ldb: Int, beta: Float, c0: [Float], ldc: Int) -> Reference {
        var values = [Double](), magnitudes = [Double]()
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, mag = 0.0
                for p in 0..<k {
                    let av = ta ? a[p * lda + i] : a[i * lda + p], bv = tb ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(av) * Double(bv)
                    mag += abs(Double(av) * Double(bv))
                }
                let old = beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j])
                values.append(0.5 * sum + old)
                magnitudes.append(0.5 * mag + abs(old))
            }
        }
        return Reference(shape: [m, n], values: values, magnitudes: magnitudes, operationCount: k + 2)
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmTransposesAlphaBeta(_ transposes: (Bool, Bool)) {
        let (ta, tb) = transposes
        let (m, n, k) = (5, 7, 9)
        var rng = SeededRandom(seed: 3)
        let a = rng.floats(m * k, in: -1...1), b = rng.floats(k * n, in: -1...1), c0 = rng.floats(m * n, in: -1...1)
        var c = c0
        BLAS.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, b: b, beta: 2, c: &c)
        Self.sgemmReference(m: m, n: n, k: k, transposeA: ta, transposeB: tb, a: a, lda: ta ? m : k, b: b, ldb: tb ? k : n,
                            beta: 2, c0: c0, ldc: n).check(Tensor(shape: [m, n], data: c))
    }

    /// One row or one column of C (the sgemv path), with padded leading dimensions, every
    /// transpose, beta 2 and beta 0 over a NaN-filled C (which must not leak into the result).
    @Test(arguments: [(1, 7), (5, 1), (1, 1)], [(false, false), (true, false), (false, true), (true, true)])
    func sgemmOneRowOrColumn(_ size: (Int, Int), _ transposes: (Bool, Bool)) {
        let ((m, n), (ta, tb)) = (size, transposes)
        let k = 9
        let lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 3, ldc = n + 1
        var rng = SeededRandom(seed: 5)
        let a = rng.floats((ta ? k : m) * lda, in: -1...1), b = rng.floats((tb ? n : k) * ldb, in: -1...1)
        let c0 = rng.floats(m * ldc, in: -1...1)
        for beta: Float in [2, 0] {
            var c = beta == 0 ? [Float](repeating: .nan, count: m * ldc) : c0
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        BLAS.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5, a: pa.baseAddress!, lda: lda,
                                   b: pb.baseAddress!, ldb: ldb, beta: beta, c: pc.baseAddress!, ldc: ldc)
                    }
                }
            }
            let got = (0..<m).flatMap { i in c[i * ldc..<i * ldc + n] }
            Self.sgemmReference(m: m, n: n, k: k, transposeA: ta, transposeB: tb, a: a, lda: lda, b: b, ldb: ldb,
                                beta: beta, c0: c0, ldc: ldc).check(Tensor(shape: [m, n], data: got))
        }
    }

    @Test func threadCountAndCoreName() {
        let before = BLAS.threadCount
        BLAS.threadCount = 1
        #expect(BLAS.threadCount == 1)
        BLAS.threadCount = before
        #expect(BLAS.threadCount == before)
        #expect(!BLAS.coreName.isEmpty)
    }
}
