import Foundation
import Tensor

// `pymaf-bench tensor`: OpenBLAS's own sgemm peak on the shapes of performance.md, then every
// ResNet-50 convolution shape and the three deconvolutions of PyMAF at batch 1 and 8, then the
// whole trunk (ResNet-50 + deconvs) as a chain of these ops — all on random weights.

extension BenchmarkSuite {
    /// The trunk alone (for profiling: `perf record .build/release/pymaf-bench tensor-trunk`).
    static var tensorTrunk: BenchmarkSuite {
        BenchmarkSuite(name: "tensor-trunk", summary: "ResNet-50 + deconv trunk only, batch 1 and 8") {
            BLAS.threadCount = BLAS.processorCount
            TensorBench.trunk(batches: [1, 8])
        }
    }

    static var tensor: BenchmarkSuite {
        BenchmarkSuite(name: "tensor", summary: "sgemm peak, per-layer conv/deconv GFLOP/s, ResNet-50+deconv trunk ms/frame") {
            let threads = BLAS.processorCount
            print("   OpenBLAS core \(BLAS.coreName), \(threads) processors; medians of 5 runs after a warm-up")
            if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
                print("   warning: OPENBLAS_CORETYPE=\(forced) overrides OpenBLAS's CPU detection; unset it to measure the best kernels")
            }
            TensorBench.sgemmPeaks(threads: threads)
            BLAS.threadCount = threads
            TensorBench.layers(batches: [1, 8])
            TensorBench.trunk(batches: [1, 8])
        }
    }
}

enum TensorBench {
    /// Wall and process-CPU seconds of one call.
    struct Timing {
        var wall: Double
        var cpu: Double
    }

    static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Median wall and CPU seconds of `runs` calls after one warm-up call. CPU time counts every
    /// thread of the process, so GFLOP per CPU-second stays meaningful on a busy machine.
    static func measure(runs: Int = 5, _ body: () -> Void) -> Timing {
        body()
        let clock = ContinuousClock()
        let samples = (0..<runs).map { _ in
            let cpu0 = processCPUSeconds()
            let start = clock.now
            body()
            let d = clock.now - start
            return Timing(wall: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
                          cpu: processCPUSeconds() - cpu0)
        }
        return Timing(wall: samples.map(\.wall).sorted()[runs / 2], cpu: samples.map(\.cpu).sorted()[runs / 2])
    }

    static func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

    static func randomFloats(_ count: Int, scale: Float, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    /// OpenBLAS sgemm alone, row-major, on the shapes quoted in performance.md.
    static func sgemmPeaks(threads: Int) {
        let shapes = [(2048, 2048, 2048), (256, 3136, 576), (64, 12544, 147), (512, 196, 4608), (2048, 49, 512),
                      (2048, 392, 512), (1024, 8, 2362)]
        print("   sgemm (M N K)            " + [threads, 1].map { "\($0) thr GFLOP/s (per CPU-s)  " }.joined())
        for (m, n, k) in shapes {
            let a = randomFloats(m * k, scale: 1, seed: 1), b = randomFloats(k * n, scale: 1, seed: 2)
            var c = [Float](repeating: 0, count: m * n)
            var line = "   " + pad("\(m) \(n) \(k)", 25)
            for t in [threads, 1] {
                BLAS.threadCount = t
                let t = measure { BLAS.sgemm(m: m, n: n, k: k, a: a, b: b, c: &c) }
                let flops = 2 * Double(m * n * k)
                line += pad(format(flops / t.wall / 1e9, 0) + " (" + format(flops / t.cpu / 1e9, 0) + ")", 28)
            }
            print(line)
        }
    }

    /// One convolution shape of the trunk and how often it occurs.
    struct ConvShape {
        var name: String, cin: Int, cout: Int, kernel: Int, stride: Int, size: Int, count: Int
        var padding: Int { kernel / 2 }
        var outSize: Int { (size + 2 * padding - kernel) / stride + 1 }
        var flopsPerFrame: Double { 2 * Double(cin * kernel * kernel * cout * outSize * outSize) }
    }

    /// Every distinct convolution of torchvision's ResNet-50 at 224² (stride on the 3×3), with multiplicity.
    static let resnetShapes: [ConvShape] = [
        ConvShape(name: "conv1 7x7/2", cin: 3, cout: 64, kernel: 7, stride: 2, size: 224, count: 1),
        ConvShape(name: "l1 1x1 64>64", cin: 64, cout: 64, kernel: 1, stride: 1, size: 56, count: 1),
        ConvShape(name: "l1 1x1 256>64", cin: 256, cout: 64, kernel: 1, stride: 1, size: 56, count: 2),
        ConvShape(name: "l1 3x3 64", cin: 64, cout: 64, kernel: 3, stride: 1, size: 56, count: 3),
        ConvShape(name: "l1 1x1 64>256", cin: 64, cout: 256, kernel: 1, stride: 1, size: 56, count: 4),
        ConvShape(name: "l2 1x1 256>128", cin: 256, cout: 128, kernel: 1, stride: 1, size: 56, count: 1),
        ConvShape(name: "l2 3x3/2 128", cin: 128, cout: 128, kernel: 3, stride: 2, size: 56, count: 1),
        ConvShape(name: "l2 ds 1x1/2", cin: 256, cout: 512, kernel: 1, stride: 2, size: 56, count: 1),
        ConvShape(name: "l2 1x1 512>128", cin: 512, cout: 128, kernel: 1, stride: 1, size: 28, count: 3),
        ConvShape(name: "l2 3x3 128", cin: 128, cout: 128, kernel: 3, stride: 1, size: 28, count: 3),
        ConvShape(name: "l2 1x1 128>512", cin: 128, cout: 512, kernel: 1, stride: 1, size: 28, count: 4),
        ConvShape(name: "l3 1x1 512>256", cin: 512, cout: 256, kernel: 1, stride: 1, size: 28, count: 1),
        ConvShape(name: "l3 3x3/2 256", cin: 256, cout: 256, kernel: 3, stride: 2, size: 28, count: 1),
        ConvShape(name: "l3 ds 1x1/2", cin: 512, cout: 1024, kernel: 1, stride: 2, size: 28, count: 1),
        ConvShape(name: "l3 1x1 1024>256", cin: 1024, cout: 256, kernel: 1, stride: 1, size: 14, count: 5),
        ConvShape(name: "l3 3x3 256", cin: 256, cout: 256, kernel: 3, stride: 1, size: 14, count: 5),
        ConvShape(name: "l3 1x1 256>1024", cin: 256, cout: 1024, kernel: 1, stride: 1, size: 14, count: 6),
        ConvShape(name: "l4 1x1 1024>512", cin: 1024, cout: 512, kernel: 1, stride: 1, size: 14, count: 1),
        ConvShape(name: "l4 3x3/2 512", cin: 512, cout: 512, kernel: 3, stride: 2, size: 14, count: 1),
        ConvShape(name: "l4 ds 1x1/2", cin: 1024, cout: 2048, kernel: 1, stride: 2, size: 14, count: 1),
        ConvShape(name: "l4 1x1 2048>512", cin: 2048, cout: 512, kernel: 1, stride: 1, size: 7, count: 2),
        ConvShape(name: "l4 3x3 512", cin: 512, cout: 512, kernel: 3, stride: 1, size: 7, count: 2),
        ConvShape(name: "l4 1x1 512>2048", cin: 512, cout: 2048, kernel: 1, stride: 1, size: 7, count: 3),
    ]

    /// PyMAF's deconvolution pyramid: ConvTranspose2d(4, stride 2, pad 1) + BN + ReLU.
    static let deconvShapes = [(cin: 2048, cout: 256, size: 7), (cin: 256, cout: 256, size: 14), (cin: 256, cout: 256, size: 28)]

    static func conv(_ s: ConvShape, seed: UInt64) -> Conv2D {
        let fanIn = s.cin * s.kernel * s.kernel
        let w = Tensor(shape: [s.cout, s.cin, s.kernel, s.kernel],
                       data: randomFloats(s.cout * fanIn, scale: (6 / Float(fanIn)).squareRoot(), seed: seed))
        return Conv2D(weight: w, bias: randomFloats(s.cout, scale: 0.1, seed: seed + 1), stride: s.stride, padding: Padding2D(s.padding))
    }

    static func deconv(cin: Int, cout: Int, seed: UInt64) -> ConvTranspose2D {
        let w = Tensor(shape: [cin, cout, 4, 4], data: randomFloats(cin * cout * 16, scale: (6 / Float(cin * 4)).squareRoot(), seed: seed))
        return ConvTranspose2D(weight: w, bias: randomFloats(cout, scale: 0.1, seed: seed + 1), stride: 2, padding: 1)
    }

    /// Each layer shape alone: ms per frame, GFLOP/s, and its share of the trunk (× its count).
    static func layers(batches: [Int]) {
        print("   layer (× count)          " + batches.map { "batch \($0): ms/frame GFLOP/s (per CPU-s)  " }.joined())
        var totals = [Double](repeating: 0, count: batches.count)
        let workspace = Workspace(threadCount: BLAS.threadCount)
        func row(_ label: String, count: Int, flopsPerFrame: Double, run: (Int) -> Void) {
            var line = "   " + pad("\(label) ×\(count)", 25)
            for (b, batch) in batches.enumerated() {
                let t = measure { run(batch) }
                let s = t.wall / Double(batch)
                totals[b] += s * Double(count)
                line += pad(format(s * 1e3, 3), 10)
                    + pad(format(flopsPerFrame / s / 1e9, 0) + " (" + format(flopsPerFrame * Double(batch) / t.cpu / 1e9, 0) + ")", 27)
            }
            print(line)
        }
        for (i, shape) in resnetShapes.enumerated() {
            let layer = conv(shape, seed: UInt64(i * 10 + 3))
            var out = Tensor(shape: [])
            var inputs: [Int: Tensor] = [:]
            row(shape.name, count: shape.count, flopsPerFrame: shape.flopsPerFrame) { batch in
                let x = inputs[batch] ?? Tensor(shape: [batch, shape.cin, shape.size, shape.size],
                                                data: randomFloats(batch * shape.cin * shape.size * shape.size, scale: 1, seed: 9))
                inputs[batch] = x
                layer.forward(x, activation: .relu, workspace: workspace, into: &out)
            }
        }
        for (i, d) in deconvShapes.enumerated() {
            let layer = deconv(cin: d.cin, cout: d.cout, seed: UInt64(100 + i))
            var out = Tensor(shape: [])
            var inputs: [Int: Tensor] = [:]
            let flops = 2 * Double(d.cin * d.cout * 16 * d.size * d.size)
            row("deconv \(d.cin)>\(d.cout) @\(d.size)", count: 1, flopsPerFrame: flops) { batch in
                let x = inputs[batch] ?? Tensor(shape: [batch, d.cin, d.size, d.size],
                                                data: randomFloats(batch * d.cin * d.size * d.size, scale: 1, seed: 9))
                inputs[batch] = x
                layer.forward(x, activation: .relu, workspace: workspace, into: &out)
            }
        }
        print("   sum over the trunk       " + totals.map { pad(format($0 * 1e3, 2) + " ms/frame", 45) }.joined())
    }

    /// ResNet-50 (BN folded) + maxpool + the three deconvs as one chain of ops, reusing buffers.
    struct Trunk {
        struct Bottleneck { var c1, c2, c3: Conv2D; var downsample: Conv2D? }
        var stem: Conv2D
        var blocks: [Bottleneck] = []
        var deconvs: [ConvTranspose2D] = []

        init() {
            var seed: UInt64 = 1000
            func next(_ cin: Int, _ cout: Int, _ k: Int, _ s: Int) -> Conv2D {
                seed += 2
                return TensorBench.conv(ConvShape(name: "", cin: cin, cout: cout, kernel: k, stride: s, size: 0, count: 1), seed: seed)
            }
            stem = next(3, 64, 7, 2)
            var cin = 64
            for (width, count, stride) in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)] {
                for b in 0..<count {
                    let s = b == 0 ? stride : 1
                    blocks.append(Bottleneck(c1: next(cin, width, 1, 1), c2: next(width, width, 3, s), c3: next(width, width * 4, 1, 1),
                                             downsample: b == 0 ? next(cin, width * 4, 1, s) : nil))
                    cin = width * 4
                }
            }
            deconvs = deconvShapes.enumerated().map { TensorBench.deconv(cin: $1.cin, cout: $1.cout, seed: UInt64(2000 + $0)) }
        }

        /// x (N, 3, 224, 224) → the last deconv's output (N, 256, 56, 56), with the activations
        /// in between stored in `layout` (.cnhw: converted once on the way in and out).
        func callAsFunction(_ x: Tensor, layout: ActivationLayout, workspace: Workspace) -> Tensor {
            let input = layout == .cnhw ? swappingBatchAndChannels(x) : x
            var h = maxPool2d(stem(input, activation: .relu, layout: layout, workspace: workspace), kernel: 3, stride: 2, padding: 1)
            var a = Tensor(shape: []), b = Tensor(shape: []), identity = Tensor(shape: [])
            for block in blocks {
                block.c1.forward(h, activation: .relu, layout: layout, workspace: workspace, into: &a)
                block.c2.forward(a, activation: .relu, layout: layout, workspace: workspace, into: &b)
                if let ds = block.downsample {
                    ds.forward(h, layout: layout, workspace: workspace, into: &identity)
                    block.c3.forward(b, adding: identity, activation: .relu, layout: layout, workspace: workspace, into: &h)
                } else {
                    block.c3.forward(b, adding: h, activation: .relu, layout: layout, workspace: workspace, into: &a)
                    swap(&a, &h)
                }
            }
            for d in deconvs { h = d(h, activation: .relu, layout: layout, workspace: workspace) }
            return layout == .cnhw ? swappingBatchAndChannels(h) : h
        }
    }

    static func trunk(batches: [Int]) {
        let net = Trunk()
        let workspace = Workspace(threadCount: BLAS.threadCount)
        let flops = resnetShapes.reduce(0) { $0 + $1.flopsPerFrame * Double($1.count) }
            + deconvShapes.reduce(0) { $0 + 2 * Double($1.cin * $1.cout * 16 * $1.size * $1.size) }
        for batch in batches {
            let x = Tensor(shape: [batch, 3, 224, 224], data: randomFloats(batch * 3 * 224 * 224, scale: 2, seed: 77))
            // Both layouts in the same run, for a side-by-side figure on a machine others share.
            for layout in [ActivationLayout.nchw, .cnhw] {
                var y = Tensor(shape: [])
                let t = measure { y = net(x, layout: layout, workspace: workspace) }
                let s = t.wall / Double(batch)
                precondition(y.data.allSatisfy(\.isFinite), "trunk produced non-finite values")
                print("   trunk (ResNet-50 + 3 deconvs) \(layout) batch \(batch): \(format(s * 1e3, 2)) ms/frame, \(format(flops / s / 1e9, 0)) GFLOP/s, \(format(flops * Double(batch) / t.cpu / 1e9, 0)) GFLOP per CPU-s (\(format(flops / 1e9, 2)) GFLOP/frame), scratch \((workspace.floatCount * 4) >> 20) MiB")
            }
        }
    }
}
