import Testing
@testable import Tensor

/// Each NHWC kernel against a plain, obviously-correct loop over the same definition.
/// Tolerance 1e-4 relative to the sum of |terms|: the GEMM sums in another order.
@Suite struct ChannelsLastTests {
    struct Rng {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        mutating func array(_ n: Int) -> [Float] { (0..<n).map { _ in next() } }
    }

    /// Reference convolution: OHWI weights, `groups == C` means depthwise with (1, kH, kW, C) weights.
    static func referenceConv(_ x: [Float], _ s: ChannelsLast.Shape, _ w: [Float], _ b: [Float], cout: Int, k: Int, stride: Int,
                              top: Int, left: Int, oh: Int, ow: Int, depthwise: Bool, clamp: ChannelsLast.Clamp) -> [Float] {
        var out = [Float](repeating: 0, count: s.n * oh * ow * cout)
        for n in 0..<s.n { for oy in 0..<oh { for ox in 0..<ow { for co in 0..<cout {
            var acc = b[co]
            for ky in 0..<k { for kx in 0..<k {
                let iy = oy * stride - top + ky, ix = ox * stride - left + kx
                guard iy >= 0, iy < s.h, ix >= 0, ix < s.w else { continue }
                if depthwise {
                    acc += x[((n * s.h + iy) * s.w + ix) * s.c + co] * w[(ky * k + kx) * cout + co]
                } else {
                    for ci in 0..<s.c { acc += x[((n * s.h + iy) * s.w + ix) * s.c + ci] * w[((co * k + ky) * k + kx) * s.c + ci] }
                }
            } }
            out[((n * oh + oy) * ow + ox) * cout + co] = min(max(acc, clamp.lower), clamp.upper)
        } } } }
        return out
    }

    static func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-4) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    @Test(arguments: [(1, 1, 0, 0), (3, 2, 0, 0), (3, 1, 1, 1), (5, 2, 1, 2), (3, 2, 1, 0)])
    func convolutionMatchesReference(k: Int, stride: Int, top: Int, left: Int) {
        var rng = Rng(state: UInt64(k * 31 + stride * 7 + top + left))
        let s = ChannelsLast.Shape(n: 2, h: 9, w: 8, c: 5), cout = 7
        let oh = (s.h + 2 * top - k) / stride + 1, ow = (s.w + 2 * left - k) / stride + 1
        let x = rng.array(s.count), w = rng.array(cout * k * k * s.c), b = rng.array(cout)
        var out = [Float](repeating: .nan, count: s.n * oh * ow * cout)
        var scratch: [Float] = []
        let filter = ChannelsLast.Filter(weight: w, bias: b, depth: k * k * s.c, cols: cout)
        ChannelsLast.conv2D(input: x, shape: s, filter: filter, kernelH: k, kernelW: k, stride: stride,
                            padding: .init(top: top, left: left), clamp: .relu6, output: &out, outH: oh, outW: ow, scratch: &scratch)
        let ref = Self.referenceConv(x, s, w, b, cout: cout, k: k, stride: stride, top: top, left: left, oh: oh, ow: ow, depthwise: false, clamp: .relu6)
        #expect(Self.close(out, ref))
    }

    /// Every instruction set; channel counts around the 16-lane vectors and the 64-channel groups
    /// (tails masked), batch 2, pads that leave whole rows/columns of taps outside, 8 sentinels
    /// after the output that must survive. The instruction sets agree bit for bit (same
    /// operations in the same order), so detections do not depend on the CPU.
    @Test(arguments: [(3, 1, 1), (3, 2, 0), (5, 1, 2), (5, 2, 1), (5, 2, 4)])
    func depthwiseMatchesReference(k: Int, stride: Int, pad: Int) {
        var portable: [Int: [Float]] = [:]  // channels → output of the portable kernel
        for instructionSet in ChannelsLast.InstructionSet.allCases where instructionSet.isSupported {
            for channels in [1, 13, 16, 48, 70] {
                var rng = Rng(state: UInt64(k * 13 + stride + pad * 5 + channels * 101))
                let s = ChannelsLast.Shape(n: 2, h: 11, w: 10, c: channels)
                let oh = (s.h + 2 * pad - k) / stride + 1, ow = (s.w + 2 * pad - k) / stride + 1
                let x = rng.array(s.count), w = rng.array(k * k * s.c), b = rng.array(s.c)
                let clamp: ChannelsLast.Clamp = channels % 2 == 0 ? .relu6 : .none
                var out = [Float](repeating: .nan, count: s.n * oh * ow * s.c + 8)
                ChannelsLast.depthwiseConv2D(input: x, shape: s, weight: w, bias: channels == 13 ? nil : b, kernelH: k, kernelW: k,
                                             stride: stride, padding: .init(top: pad, left: pad), clamp: clamp,
                                             output: &out, outH: oh, outW: ow, instructionSet: instructionSet)
                let ref = Self.referenceConv(x, s, w, channels == 13 ? [Float](repeating: 0, count: s.c) : b, cout: s.c, k: k,
                                             stride: stride, top: pad, left: pad, oh: oh, ow: ow, depthwise: true, clamp: clamp)
                #expect(Self.close(Array(out.prefix(ref.count)), ref), "\(instructionSet), \(channels) channels")
                #expect(out.suffix(8).filter { !$0.isNaN }.isEmpty, "\(instructionSet), \(channels) channels: wrote past the output")
                if let first = portable[channels] {
                    #expect(first.map(\.bitPattern) == out.map(\.bitPattern), "\(instructionSet), \(channels) channels: not bit-identical to the portable kernel")
                } else {
                    portable[channels] = out
                }
            }
        }
    }

    @Test func samePaddingFollowsTensorFlow() {
        #expect(ChannelsLast.samePaddingBefore(input: 112, kernel: 3, stride: 1) == 1)
        #expect(ChannelsLast.samePaddingBefore(input: 112, kernel: 3, stride: 2) == 0)  // total 1: all after
        #expect(ChannelsLast.samePaddingBefore(input: 14, kernel: 5, stride: 1) == 2)
        #expect(ChannelsLast.samePaddingBefore(input: 7, kernel: 1, stride: 1) == 0)
    }

    @Test func padAddAndDepthToSpace() {
        let s = ChannelsLast.Shape(n: 1, h: 2, w: 2, c: 8)
        let x = (0..<s.count).map(Float.init)
        var padded = [Float](repeating: .nan, count: 1 * 5 * 4 * 8)
        ChannelsLast.pad(input: x, shape: s, top: 1, bottom: 2, left: 1, right: 1, value: -1, output: &padded)
        #expect(padded[0] == -1 && padded[((1 * 4) + 1) * 8] == 0 && padded[((2 * 4) + 2) * 8 + 7] == x[(1 * 2 + 1) * 8 + 7])
        #expect(padded.filter { $0 == -1 }.count == (20 - 4) * 8)

        var sum = [Float](repeating: 0, count: s.count)
        ChannelsLast.add(x, x, count: s.count, clamp: .relu6, output: &sum)
        #expect(sum[2] == 4 && sum[3] == 6 && sum[10] == 6)

        // out[y·2+i, x·2+j, c] = in[y, x, (i·2+j)·C + c] with C = 2.
        var d2s = [Float](repeating: .nan, count: s.count)
        ChannelsLast.depthToSpace(input: x, shape: s, blockSize: 2, output: &d2s)
        for y in 0..<2 { for xx in 0..<2 { for i in 0..<2 { for j in 0..<2 { for c in 0..<2 {
            #expect(d2s[((y * 2 + i) * 4 + xx * 2 + j) * 2 + c] == x[(y * 2 + xx) * 8 + (i * 2 + j) * 2 + c])
        } } } } }
    }

    @Test func resizeUsesHalfPixelCentres() {
        // 2 → 4 along each axis, one channel: src = (dst + 0.5)/2 − 0.5 → −0.25, 0.25, 0.75, 1.25.
        let x: [Float] = [0, 1, 2, 3]  // (1, 2, 2, 1)
        var out = [Float](repeating: .nan, count: 16)
        ChannelsLast.resizeBilinear(input: x, shape: .init(n: 1, h: 2, w: 2, c: 1), outH: 4, outW: 4, output: &out)
        // Row 0 (src y −0.25 → y0 = y1 = 0 clamped, frac 0.75 of a zero-width step): x taps 0,0 / 0,1 / 0,1 / 1,1.
        let rowExpected: [Float] = [0, 0.25, 0.75, 1]
        for i in 0..<4 { #expect(abs(out[i] - rowExpected[i]) < 1e-6) }
        // Column 0 runs 0, 0.5, 1.5, 2.
        let colExpected: [Float] = [0, 0.5, 1.5, 2]
        for i in 0..<4 { #expect(abs(out[i * 4] - colExpected[i]) < 1e-6) }
    }
}
