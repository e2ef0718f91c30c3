import Testing
@testable import Tensor

/// bfloat16 rounded the plain way: of the two neighbours that keep the top 16 bits, the
/// nearer; on a tie the one with an even last bit. Subnormals become signed zero.
func referenceBFloat16(_ x: Float) -> Float {
    if x.isNaN || x.isInfinite { return x }
    if x.isSubnormal || x == 0 { return x.sign == .minus ? -0.0 : 0.0 }
    let bits = x.bitPattern
    let below = Float(bitPattern: bits & 0xFFFF_0000)
    let above = Float(bitPattern: (bits & 0xFFFF_0000) &+ 0x1_0000)   // may step to infinity
    let (dBelow, dAbove) = (abs(Double(x) - Double(below)), abs(Double(x) - Double(above)))
    if above.isInfinite { return (bits & 0xFFFF) >= 0x8000 ? above : below }
    if dBelow != dAbove { return dBelow < dAbove ? below : above }
    return (below.bitPattern >> 16) & 1 == 0 ? below : above
}

/// A float matrix product of bfloat16-rounded inputs in Double, with the usual float32 bound.
func referenceBFloat16Product(m: Int, n: Int, k: Int, a: [Float], b: [Float], ldb: Int) -> Reference {
    var values = [Double](), magnitudes = [Double]()
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0, mag = 0.0
            for d in 0..<k {
                let term = Double(referenceBFloat16(a[i * k + d])) * Double(referenceBFloat16(b[d * ldb + j]))
                sum += term
                mag += abs(term)
            }
            values.append(sum)
            magnitudes.append(mag)
        }
    }
    return Reference(shape: [m, n], values: values, magnitudes: magnitudes, operationCount: k)
}

@Suite struct BFloat16Tests {
    static var paths: [BFloat16GEMM.Path] { BFloat16GEMM.amxUsable ? [.portable, .amx] : [.portable] }

    /// `BFloat16GEMM.multiply` of `packed` by b (k, n; row length ldb) into a fresh (rows, ldc)
    /// array filled with `fill`, optionally finishing with bias, residual (rows, ldc) and activation.
    static func product(_ packed: BFloat16Matrix, b: [Float], ldb: Int, n: Int, ldc: Int, fill: Float = 0,
                        finishing: (bias: [Float], residual: [Float], activation: Activation)? = nil,
                        threads: Int, path: BFloat16GEMM.Path) -> [Float] {
        var c = [Float](repeating: fill, count: packed.rows * ldc)
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                func run(_ epilogue: ProductEpilogue?) {
                    BFloat16GEMM.multiply(packed, b: pb.baseAddress!, ldb: ldb, n: n, c: pc.baseAddress!, ldc: ldc,
                                          finishing: epilogue, workspace: Workspace(threadCount: threads), path: path)
                }
                guard let f = finishing else { return run(nil) }
                f.bias.withUnsafeBufferPointer { pbias in
                    f.residual.withUnsafeBufferPointer { pres in
                        run(ProductEpilogue(bias: pbias.baseAddress!, residual: pres.baseAddress!, activation: f.activation))
                    }
                }
            }
        }
        return c
    }

    @Test func roundingIsToNearestEven() {
        let ulp: Float = 0x1p-7                          // bfloat16's spacing just above 1
        let cases: [(Float, Float)] = [
            (1, 1), (-2.5, -2.5),
            (1 + ulp / 2, 1),                            // tie → even (1)
            (1 + 3 * ulp / 2, 1 + 2 * ulp),              // tie → even (1 + 2 ulp)
            (1 + ulp / 2 + 0x1p-20, 1 + ulp),            // just above the tie
            (.leastNormalMagnitude, .leastNormalMagnitude),
            (.leastNonzeroMagnitude, 0), (-.leastNonzeroMagnitude, -0.0),
            (.infinity, .infinity), (-.infinity, -.infinity),
            (.greatestFiniteMagnitude, .infinity),       // rounds past the largest bfloat16
        ]
        for (x, expected) in cases {
            let r = BFloat16GEMM.rounded(x)
            #expect(r.bitPattern == expected.bitPattern, "round(\(x)) = \(r), expected \(expected)")
        }
        #expect(BFloat16GEMM.rounded(.nan).isNaN)
        var rng = SeededRandom(seed: 16)
        for _ in 0..<20_000 {
            let x = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
            guard !x.isNaN else { continue }
            let r = BFloat16GEMM.rounded(x), e = referenceBFloat16(x)
            #expect(r.bitPattern == e.bitPattern, "round(\(x)) = \(r), expected \(e)")
            if r.bitPattern != e.bitPattern { break }
        }
    }

    /// (m, n, k, ldb − n, ldc − n): odd sizes, tails of every block, padded rows, a depth over
    /// one panel (1024).
    static let shapes: [(Int, Int, Int, Int, Int)] = [
        (1, 1, 1, 0, 0), (17, 33, 31, 7, 2), (33, 47, 65, 0, 3), (32, 64, 64, 0, 0), (40, 70, 1100, 5, 1), (3, 300, 9, 0, 0),
    ]

    @Test(arguments: shapes)
    func productMatchesReference(_ shape: (Int, Int, Int, Int, Int)) {
        let (m, n, k, padB, padC) = shape
        let (ldb, ldc) = (n + padB, n + padC)
        var rng = SeededRandom(seed: UInt64(m * 7 + n * 3 + k))
        let a = rng.floats(m * k, in: -1...1), b = rng.floats(k * ldb, in: -2...2)
        let expected = referenceBFloat16Product(m: m, n: n, k: k, a: a, b: b, ldb: ldb)
        let packed = BFloat16Matrix(a, rows: m, depth: k)
        for path in Self.paths {
            for threads in [1, 2] {
                let sentinel: Float = -7
                let c = Self.product(packed, b: b, ldb: ldb, n: n, ldc: ldc, fill: sentinel, threads: threads, path: path)
                let inside = (0..<m).flatMap { i in c[(i * ldc)..<(i * ldc + n)] }
                expected.check(Tensor(shape: [m, n], data: inside))
                let outside = (0..<m).flatMap { i in c[(i * ldc + n)..<(i * ldc + ldc)] }
                #expect(outside.allSatisfy { $0 == sentinel }, "\(path), \(threads) threads: wrote past column n")
            }
        }
    }

    /// Window shapes (kernel, stride, padding, input height, width) for the test below. Output
    /// rows wider than 16 take the evenly spaced loads (stride 1 and 2), the rest the gathers:
    /// 3×3 as in ResNet's blocks, 7×7 / 2 as its first layer, 1×1 / 2 as its downsampling.
    static let windowShapes = [(3, 1, 1, 13, 37), (3, 2, 1, 13, 37), (7, 2, 3, 12, 70), (1, 2, 0, 9, 66), (3, 2, 1, 9, 68)]

    /// Reading the windows straight into the panels gives exactly the product over im2col's
    /// columns (the panels hold the same values), in both layouts, on every path and split.
    @Test(arguments: [ActivationLayout.nchw, .cnhw], windowShapes.indices)
    func windowsGiveTheIm2colProductExactly(_ layout: ActivationLayout, shape: Int) {
        let (kernel, stride, padding, h, w) = Self.windowShapes[shape]
        let (n, channels, m) = (3, 5, 7)
        let g = WindowGeometry(height: h, width: w, kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: Padding2D(padding))
        let taps = kernel * kernel
        let plane = g.outHeight * g.outWidth, k = channels * taps, np = n * plane
        var rng = SeededRandom(seed: 33)
        let x = rng.floats(n * channels * h * w, in: -1...1), a = rng.floats(m * k, in: -1...1)
        var cols = [Float](repeating: 0, count: k * np)
        x.withUnsafeBufferPointer { px in
            cols.withUnsafeMutableBufferPointer { pc in
                for j in 0..<n {
                    for c in 0..<channels {
                        im2col(plane: px.baseAddress! + layout.plane(frame: j, channel: c, frames: n, channels: channels) * h * w, g,
                               into: pc.baseAddress! + c * taps * np + j * plane, ld: np)
                    }
                }
            }
        }
        let packed = BFloat16Matrix(a, rows: m, depth: k)
        for path in Self.paths {
            for threads in [1, 2] {
                let viaColumns = Self.product(packed, b: cols, ldb: np, n: np, ldc: np, threads: threads, path: path)
                var viaWindows = [Float](repeating: 0, count: m * np)
                let workspace = Workspace(threadCount: threads)
                x.withUnsafeBufferPointer { px in
                    viaWindows.withUnsafeMutableBufferPointer { out in
                        let source = ConvolutionSource(px.baseAddress!, layout: layout, first: 0, frames: n, n: n, channels: channels, g)
                        BFloat16GEMM.convolve(packed, source: source, c: out.baseAddress!, ldc: np, workspace: workspace, path: path)
                    }
                }
                let differing = zip(viaWindows, viaColumns).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(differing == 0, "\(path), \(threads) threads, shape \(Self.windowShapes[shape]): \(differing) of \(m * np) values differ")
            }
        }
    }

    /// Finishing in the product (bias, residual, activation) equals finishing afterwards, bit
    /// for bit, on every path and with tails in both directions; NaN and signed zeros included.
    @Test(arguments: [Activation.none, .relu, .relu6, .leakyReLU(0.1)])
    func finishingInTheProductEqualsFinishingAfter(_ activation: Activation) {
        let (m, n, k, ldc) = (37, 45, 70, 50)
        var rng = SeededRandom(seed: 91)
        let a = rng.floats(m * k, in: -1...1), b = rng.floats(k * n, in: -3...3)
        let bias = rng.floats(m, in: -1...1)
        var residual = rng.floats(m * ldc, in: -4...4)
        for i in stride(from: 0, to: residual.count, by: 97) { residual[i] = i % 2 == 0 ? .nan : -0.0 }
        let packed = BFloat16Matrix(a, rows: m, depth: k)
        for path in Self.paths {
            for threads in [1, 2] {
                let plain = Self.product(packed, b: b, ldb: n, n: n, ldc: ldc, threads: threads, path: path)
                let finished = Self.product(packed, b: b, ldb: n, n: n, ldc: ldc, finishing: (bias, residual, activation),
                                            threads: threads, path: path)
                var expected = plain
                for i in 0..<m {
                    for j in 0..<n { expected[i * ldc + j] = activation(plain[i * ldc + j] + bias[i] + residual[i * ldc + j]) }
                }
                #expect(finished.map(\.bitPattern) == expected.map(\.bitPattern), "\(path), \(threads) threads, \(activation)")
            }
        }
    }

    @Test(arguments: Conv2DTests.cases)
    func convolutionMatchesRoundedReference(_ c: ConvCase) {
        let (conv, x, residual, _) = Conv2DTests.setUp(c)
        let fast = conv.converted(to: .bfloat16)
        #expect(fast.precision == (fast.isDepthwise ? .float32 : .bfloat16))
        // Depthwise layers stay float32: their reference is the plain one.
        let round = { (t: Tensor) in fast.isDepthwise ? t : Tensor(shape: t.shape, data: t.data.map(referenceBFloat16)) }
        let expected = referenceConv2D(round(x), weight: round(conv.weight), bias: conv.bias, stride: c.stride, padding: c.padding,
                                       groups: c.groups, residual: residual, activation: c.activation)
        for threads in [1, 2] {
            expected.check(fast(x, adding: residual, activation: c.activation, workspace: Workspace(threadCount: threads)))
            let y = fast(swappingBatchAndChannels(x), adding: residual.map(swappingBatchAndChannels), activation: c.activation,
                         layout: .cnhw, workspace: Workspace(threadCount: threads))
            expected.check(swappingBatchAndChannels(y))
        }
    }

    @Test(arguments: ConvTranspose2DTests.cases)
    func transposedConvolutionMatchesRoundedReference(_ c: ConvTranspose2DTests.Case) {
        var rng = SeededRandom(seed: UInt64(c.cin * 31 + c.width))
        let x = rng.tensor([c.batch, c.cin, c.height, c.width])
        let weight = rng.tensor([c.cin, c.cout, c.kernel, c.kernel], scale: 0.5)
        let bias = c.bias ? rng.floats(c.cout, in: -1...1) : nil
        let layer = ConvTranspose2D(weight: weight, bias: bias, stride: c.stride, padding: c.padding).converted(to: .bfloat16)
        #expect(layer.precision == .bfloat16)
        let round = { (t: Tensor) in Tensor(shape: t.shape, data: t.data.map(referenceBFloat16)) }
        let expected = referenceConvTranspose2D(round(x), weight: round(weight), bias: bias, stride: c.stride, padding: c.padding,
                                                activation: c.activation)
        for threads in [1, 2] {
            expected.check(layer(x, activation: c.activation, workspace: Workspace(threadCount: threads)))
            let y = layer(swappingBatchAndChannels(x), activation: c.activation, layout: .cnhw, workspace: Workspace(threadCount: threads))
            expected.check(swappingBatchAndChannels(y))
        }
    }

    @Test func conversionSurvivesBatchNormFoldingAndReturns() {
        var rng = SeededRandom(seed: 5)
        let conv = Conv2D(weight: rng.tensor([4, 3, 3, 3]), bias: nil, padding: Padding2D(1)).converted(to: .bfloat16)
        let folded = conv.foldingBatchNorm(gamma: [1, 2, 3, 4], beta: [0, 0, 0, 0], mean: [0, 0, 0, 0], variance: [1, 1, 1, 1])
        #expect(folded.precision == .bfloat16)
        #expect(folded.converted(to: .float32).precision == .float32)
        let up = ConvTranspose2D(weight: rng.tensor([3, 2, 4, 4]), bias: nil, stride: 2, padding: 1).converted(to: .bfloat16)
        #expect(up.foldingBatchNorm(gamma: [1, 1], beta: [0, 0], mean: [0, 0], variance: [1, 1]).precision == .bfloat16)
        #expect(up.converted(to: .float32).precision == .float32)
    }
}
