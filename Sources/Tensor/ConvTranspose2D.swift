/// A 2-D transposed convolution over NCHW tensors, as PyTorch's `nn.ConvTranspose2d`
/// (groups 1, dilation 1, no output padding): OH = (H − 1)·stride − 2·padding + kH.
///
/// Computed as stride² sub-pixel phases: the outputs (oy, ox) with oy ≡ py, ox ≡ px (mod stride)
/// are an ordinary stride-1 convolution of the input with the taps ky ≡ py + padding (mod
/// stride). Each phase is one im2col + sgemm over all frames, and its output pass writes
/// straight into the interleaved output — no column buffer of Cout·kH·kW rows, no col2im. At
/// stride 2 with an even output the four phases' products are kept and each output row is
/// written once, its two column phases interleaved (`ck_interleave_pair`).
/// `converted(to: .bfloat16)` makes the GEMMs round to bfloat16 (`BFloat16GEMM`).
///
///     let up = ConvTranspose2D(weight: w /*(2048, 256, 4, 4)*/, bias: nil, stride: 2, padding: 1)
///     let y = up(x /*(N, 2048, 7, 7)*/, activation: .relu)   // (N, 256, 14, 14)
public struct ConvTranspose2D: Sendable {
    /// (Cin, Cout, kH, kW), PyTorch's layout.
    public let weight: Tensor
    /// (Cout); zeros when the layer has none.
    public let bias: [Float]
    public let stride: Int
    public let padding: Int
    /// One per (py, px), row-major over the stride² phases.
    private(set) var phases: [Phase]

    public var inChannels: Int { weight.shape[0] }
    public var outChannels: Int { weight.shape[1] }
    public var kernelHeight: Int { weight.shape[2] }
    public var kernelWidth: Int { weight.shape[3] }

    /// The taps of one output phase along one axis: input offsets first..<first+count relative to
    /// the phase position, kernel index `kernelIndex(t)` for offset first + t.
    struct PhaseAxis: Sendable {
        var phase: Int
        var first: Int
        var kernelIndices: [Int]  // by tap, increasing input offset
        /// For output position a of this phase (output index a·stride + phase): input index a + first + t.
        init(phase: Int, kernel: Int, stride: Int, padding: Int) {
            // oy = iy·s − p + ky  ⇒  for oy = a·s + phase: ky ≡ phase + p (mod s), iy = a + (phase + p − ky)/s.
            let ks = (0..<kernel).filter { ($0 - phase - padding) % stride == 0 }.reversed()
            self.phase = phase
            self.first = ks.first.map { (phase + padding - $0) / stride } ?? 0
            self.kernelIndices = Array(ks)
        }
    }

    /// One sub-pixel phase: a stride-1 convolution with weight (Cout, Cin, Ty, Tx).
    struct Phase: Sendable {
        var rows: PhaseAxis, columns: PhaseAxis
        var weight: [Float]  // (Cout, Cin·Ty·Tx)
        /// `weight` rounded to bfloat16 when the layer computes in `.bfloat16`.
        var bfloat16: BFloat16Matrix?
    }

    /// How the GEMMs of this layer compute.
    public var precision: Precision { phases.first?.bfloat16 == nil ? .float32 : .bfloat16 }

    /// The same layer computing its GEMMs in `precision` (the bfloat16 weights are rounded here, once).
    public func converted(to precision: Precision) -> ConvTranspose2D {
        var layer = self
        for i in layer.phases.indices {
            let k = layer.phases[i].weight.count / max(outChannels, 1)
            layer.phases[i].bfloat16 = precision == .bfloat16 && outChannels > 0
                ? BFloat16Matrix(layer.phases[i].weight, rows: outChannels, depth: k) : nil
        }
        return layer
    }

    public init(weight: Tensor, bias: [Float]?, stride: Int, padding: Int) {
        precondition(weight.shape.count == 4, "ConvTranspose2D: weight must be (Cin, Cout, kH, kW), got \(weight.shape)")
        precondition(stride >= 1 && padding >= 0 && padding < min(weight.shape[2], weight.shape[3]),
                     "ConvTranspose2D: stride \(stride), padding \(padding) for kernel \(weight.shape[2])×\(weight.shape[3])")
        precondition(bias == nil || bias!.count == weight.shape[1], "ConvTranspose2D: bias has \(bias!.count) values for \(weight.shape[1]) channels")
        self.weight = weight
        self.bias = bias ?? [Float](repeating: 0, count: weight.shape[1])
        self.stride = stride
        self.padding = padding
        let (cin, cout, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        var phases: [Phase] = []
        for py in 0..<stride {
            for px in 0..<stride {
                let rows = PhaseAxis(phase: py, kernel: kh, stride: stride, padding: padding)
                let columns = PhaseAxis(phase: px, kernel: kw, stride: stride, padding: padding)
                let (ty, tx) = (rows.kernelIndices.count, columns.kernelIndices.count)
                let w = [Float](unsafeUninitializedCapacity: cout * cin * ty * tx) { w, written in
                    weight.data.withUnsafeBufferPointer { source in
                        for co in 0..<cout {
                            for ci in 0..<cin {
                                let from = source.baseAddress! + (ci * cout + co) * kh * kw  // (kH, kW) taps of (ci, co)
                                var to = w.baseAddress! + (co * cin + ci) * ty * tx
                                for ky in rows.kernelIndices {
                                    for kx in columns.kernelIndices {
                                        to.initialize(to: from[ky * kw + kx])
                                        to += 1
                                    }
                                }
                            }
                        }
                    }
                    written = cout * cin * ty * tx
                }
                phases.append(Phase(rows: rows, columns: columns, weight: w, bfloat16: nil))
            }
        }
        self.phases = phases
    }

    /// The layer followed by an eval-mode batch-norm, as one layer (output channels are axis 1 of the weight).
    public func foldingBatchNorm(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float = 1e-5) -> ConvTranspose2D {
        let (w, b) = foldBatchNorm(weight: weight.data, bias: bias, outerCount: inChannels, channels: outChannels,
                                   gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon)
        return ConvTranspose2D(weight: Tensor(shape: weight.shape, data: w), bias: b, stride: stride, padding: padding)
            .converted(to: precision)
    }

    /// Output (OH, OW) for an (H, W) input.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height - 1) * stride - 2 * padding + kernelHeight, (width - 1) * stride - 2 * padding + kernelWidth)
    }

    /// y = activation(convT(x) + bias): x (N, Cin, H, W) → (N, Cout, OH, OW), with fresh scratch.
    public func callAsFunction(_ x: Tensor, activation: Activation = .none) -> Tensor {
        callAsFunction(x, activation: activation, workspace: Workspace())
    }

    /// y = activation(convT(x) + bias) using `workspace` for the columns.
    public func callAsFunction(_ x: Tensor, activation: Activation = .none, workspace: Workspace) -> Tensor {
        var out = Tensor(shape: [])
        forward(x, activation: activation, workspace: workspace, into: &out)
        return out
    }

    /// y = activation(convT(x) + bias) with x and y in `layout` ((N, C, H, W) or (C, N, H, W)).
    public func callAsFunction(_ x: Tensor, activation: Activation = .none, layout: ActivationLayout, workspace: Workspace) -> Tensor {
        var out = Tensor(shape: [])
        forward(x, activation: activation, layout: layout, workspace: workspace, into: &out)
        return out
    }

    /// As `callAsFunction`, writing into `out` (its storage is reused when the size matches).
    /// `layout` is that of x and out alike (only where planes are read and written differs).
    public func forward(_ x: Tensor, activation: Activation = .none, layout: ActivationLayout = .nchw, workspace: Workspace,
                        into out: inout Tensor) {
        let (n, cin, h, w) = layout.extents(x, "ConvTranspose2D")
        precondition(cin == inChannels, "ConvTranspose2D: input has \(cin) channels, layer expects \(inChannels)")
        let (oh, ow) = outputSize(height: h, width: w)
        precondition(oh >= 1 && ow >= 1, "ConvTranspose2D: output would be empty for a \(h)×\(w) input")
        let cout = outChannels, s = stride, threads = workspace.threadCount
        let plane = oh * ow
        out.prepare(shape: layout.shape(n: n, c: cout, h: oh, w: ow))
        // Stride 2 with every phase the same size (even output): all four phases' products are
        // kept, and each output row is written once, interleaving its two column phases.
        let paired = s == 2 && phases.count == 4 && oh % 2 == 0 && ow % 2 == 0
        x.data.withUnsafeBufferPointer { px in
            bias.withUnsafeBufferPointer { pb in
                out.data.withUnsafeMutableBufferPointer { po in
                    let x = px.baseAddress!, y = po.baseAddress!
                    if paired {
                        let (ohp, owp) = (oh / 2, ow / 2), planeP = ohp * owp
                        let frames = n > 1 && planeP < Conv2D.batchedPlaneLimit ? n : 1
                        let np = frames * planeP
                        let products = workspace.buffer(.product, count: 4 * cout * np)  // (4 phases, Cout, frames·OHp·OWp)
                        for first in Swift.stride(from: 0, to: n, by: frames) {
                            for (i, phase) in phases.enumerated() {
                                phaseProduct(phase, x, layout: layout, first: first, frames: frames, n: n, h: h, w: w,
                                             ohp: ohp, owp: owp, workspace: workspace, into: products + i * cout * np)
                            }
                            // Output row 2a + py of frame j, channel c: phases (py, 0) and (py, 1), row a.
                            parallelChunks(frames * cout, threads: threads) { range in
                                for index in range {
                                    let (j, c) = index.quotientAndRemainder(dividingBy: cout)
                                    let dst = y + layout.plane(frame: first + j, channel: c, frames: n, channels: cout) * plane
                                    for row in 0..<oh {
                                        let (a, py) = row.quotientAndRemainder(dividingBy: 2)
                                        let even = products + (2 * py * cout + c) * np + j * planeP + a * owp
                                        interleavePair(even, even + cout * np, count: owp, bias: pb[c], activation: activation,
                                                       into: dst + row * ow)
                                    }
                                }
                            }
                        }
                        return
                    }
                    for phase in phases {
                        // This phase's output grid: rows py, py+s, … < OH (OHp of them), likewise columns.
                        let (py, pxx) = (phase.rows.phase, phase.columns.phase)
                        let ohp = py < oh ? (oh - py + s - 1) / s : 0, owp = pxx < ow ? (ow - pxx + s - 1) / s : 0
                        let planeP = ohp * owp
                        guard planeP > 0 else { continue }
                        let frames = n > 1 && planeP < Conv2D.batchedPlaneLimit ? n : 1
                        let np = frames * planeP
                        let product = workspace.buffer(.product, count: cout * np)    // (Cout, frames·OHp·OWp)
                        for first in Swift.stride(from: 0, to: n, by: frames) {
                            phaseProduct(phase, x, layout: layout, first: first, frames: frames, n: n, h: h, w: w,
                                         ohp: ohp, owp: owp, workspace: workspace, into: product)
                            // Interleave: product row c, frame j, (a, b) → y[j][c][a·s + py][b·s + px].
                            parallelChunks(frames * cout, threads: threads) { range in
                                for index in range {
                                    let (j, c) = index.quotientAndRemainder(dividingBy: cout)
                                    let target = layout.plane(frame: first + j, channel: c, frames: n, channels: cout)
                                    let dst = y + target * plane + py * ow + pxx
                                    let src = product + c * np + j * planeP
                                    for a in 0..<ohp {
                                        epilogue(dst + a * s * ow, src + a * owp, count: owp, bias: pb[c], residual: nil,
                                                 activation: activation, dstStride: s)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One phase's product for frames first..<first+frames: product (Cout, frames·OHp·OWp) ←
    /// weights (Cout, Cin·Ty·Tx) · the phase's windows of x (bias and activation not applied).
    private func phaseProduct(_ phase: Phase, _ x: UnsafePointer<Float>, layout: ActivationLayout, first: Int, frames: Int, n: Int,
                              h: Int, w: Int, ohp: Int, owp: Int, workspace: Workspace, into product: UnsafeMutablePointer<Float>) {
        let cin = inChannels, cout = outChannels, threads = workspace.threadCount
        let planeIn = h * w, planeP = ohp * owp, np = frames * planeP
        let (ty, tx) = (phase.rows.kernelIndices.count, phase.columns.kernelIndices.count)
        let k = cin * ty * tx
        let g = WindowGeometry(height: h, width: w, kernelHeight: ty, kernelWidth: tx, stride: 1,
                               originY: phase.rows.first, originX: phase.columns.first,
                               outHeight: ohp, outWidth: owp)
        guard k > 0 else {
            product.update(repeating: 0, count: cout * np)
            return
        }
        // bfloat16 reads the windows straight into its rounded panels: no column buffer.
        if let packed = phase.bfloat16,
           ConvolutionSource(x, layout: layout, first: 0, frames: frames, n: n, channels: cin, g).fitsInt32 {
            let source = ConvolutionSource(x, layout: layout, first: first, frames: frames, n: n, channels: cin, g)
            BFloat16GEMM.convolve(packed, source: source, c: product, ldc: np, workspace: workspace)
            return
        }
        let cols = workspace.buffer(.columns, count: k * np)  // (Cin·Ty·Tx, frames·OHp·OWp)
        parallelChunks(frames * cin, threads: threads) { range in
            for index in range {
                let (j, c) = index.quotientAndRemainder(dividingBy: cin)
                let source = layout.plane(frame: first + j, channel: c, frames: n, channels: cin)
                im2col(plane: x + source * planeIn, g, into: cols + c * ty * tx * np + j * planeP, ld: np)
            }
        }
        if let packed = phase.bfloat16 {
            BFloat16GEMM.multiply(packed, b: cols, ldb: np, n: np, c: product, ldc: np, workspace: workspace)
        } else {
            phase.weight.withUnsafeBufferPointer { pw in
                BLAS.sgemm(m: cout, n: np, k: k, a: pw.baseAddress!, lda: k, b: cols, ldb: np, c: product, ldc: np)
            }
        }
    }
}
