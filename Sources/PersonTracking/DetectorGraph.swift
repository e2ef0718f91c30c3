import ModelIO
import Tensor

/// The detector's TFLite graph compiled for our NHWC kernels (`Tensor.ChannelsLast`).
///
/// At load, constant chains DENSIFY → DEQUANTIZE are evaluated once (sparse fp16 weights
/// become dense Float32), every operator becomes a `Step` with its weights in one arena,
/// and every shape is checked against what the operator computes, so a malformed model is
/// refused before any kernel touches memory. Activations live in one preallocated arena
/// (one region per tensor; RESHAPE aliases its input), reused on every run.
struct DetectorGraph {
    enum Step {
        case conv(input: Int, output: Int, filter: ChannelsLast.Filter, inShape: ChannelsLast.Shape, kh: Int, kw: Int,
                  stride: Int, padding: ChannelsLast.Offsets, clamp: ChannelsLast.Clamp, outH: Int, outW: Int)
        case depthwise(input: Int, output: Int, weight: Int, bias: Int?, inShape: ChannelsLast.Shape, kh: Int, kw: Int,
                       stride: Int, padding: ChannelsLast.Offsets, clamp: ChannelsLast.Clamp, outH: Int, outW: Int)
        case add(a: Int, b: Int, output: Int, count: Int, clamp: ChannelsLast.Clamp)
        case pad(input: Int, output: Int, inShape: ChannelsLast.Shape, top: Int, bottom: Int, left: Int, right: Int)
        case depthToSpace(input: Int, output: Int, inShape: ChannelsLast.Shape, blockSize: Int)
        case resize(input: Int, output: Int, inShape: ChannelsLast.Shape, outH: Int, outW: Int)
        /// Concatenation: `outer` blocks, each the inputs' `(offset, chunk)` runs in order.
        case concat(inputs: [(offset: Int, chunk: Int)], output: Int, outer: Int)
    }

    let steps: [Step]
    /// All constant weights and biases, one after another.
    private(set) var weights: [Float] = []
    /// Activation storage; `activationOffset[t]` is tensor t's region.
    private(set) var arenaSize = 0
    let inputOffset: Int
    let inputShape: ChannelsLast.Shape
    /// Graph outputs in the model's order: offset and shape.
    let outputs: [(offset: Int, shape: [Int])]

    init(model: TFLiteModel) throws {
        let path = model.path
        func fail(_ reason: String) -> PersonTrackingError { .unsupportedDetectorGraph(path: path, reason: reason) }
        let tensors = model.subgraph.tensors
        var constants: [Int: [Float]] = [:]
        var weightOffset: [Int: Int] = [:]
        var activationOffset: [Int: Int] = [:]
        // PAD outputs not yet materialized: convolutions read the source with larger offsets instead.
        var pendingPads: [Int: (source: Int, shape: ChannelsLast.Shape, top: Int, bottom: Int, left: Int, right: Int)] = [:]
        var steps: [Step] = []
        var weights: [Float] = []
        var arenaSize = 0

        func constant(_ t: Int) throws -> [Float]? {
            if let values = constants[t] { return values }
            guard t >= 0, !(try model.bufferData(ofTensor: t)).isEmpty else { return nil }
            let values = try model.constantFloats(t)
            constants[t] = values
            return values
        }
        func weight(_ t: Int, count: Int, _ what: String) throws -> Int {
            if let at = weightOffset[t] { return at }
            guard let values = try constant(t) else { throw fail("\(what) (tensor \(t)) is not constant") }
            guard values.count == count else { throw fail("\(what) (tensor \(t)) has \(values.count) values, expected \(count)") }
            weightOffset[t] = weights.count
            weights += values
            return weightOffset[t]!
        }
        /// A convolution's weights `(cols, depth)` and bias, prepared for the GEMM.
        func filter(_ t: Int, bias b: Int?, depth: Int, cols: Int, _ what: String) throws -> ChannelsLast.Filter {
            guard let values = try constant(t) else { throw fail("\(what) weights (tensor \(t)) are not constant") }
            guard values.count == depth * cols else { throw fail("\(what) weights (tensor \(t)) have \(values.count) values, expected \(depth * cols)") }
            var bias: [Float]?
            if let b {
                guard let biasValues = try constant(b) else { throw fail("\(what) bias (tensor \(b)) is not constant") }
                guard biasValues.count == cols else { throw fail("\(what) bias (tensor \(b)) has \(biasValues.count) values, expected \(cols)") }
                bias = biasValues
            }
            return ChannelsLast.Filter(weight: values, bias: bias, depth: depth, cols: cols)
        }
        func shape(_ t: Int) throws -> [Int] {
            guard tensors.indices.contains(t) else { throw fail("tensor index \(t)") }
            return tensors[t].shape
        }
        func nhwc(_ t: Int) throws -> ChannelsLast.Shape {
            let s = try shape(t)
            guard s.count == 4 else { throw fail("tensor \(t) has shape \(s), expected NHWC") }
            return ChannelsLast.Shape(n: s[0], h: s[1], w: s[2], c: s[3])
        }
        func activation(_ t: Int) throws -> Int {
            if let at = activationOffset[t] { return at }
            if let pad = pendingPads[t] {
                let at = try allocate(t)
                steps.append(.pad(input: try activation(pad.source), output: at, inShape: pad.shape,
                                  top: pad.top, bottom: pad.bottom, left: pad.left, right: pad.right))
                return at
            }
            throw fail("tensor \(t) is read before it is written")
        }
        /// A convolution's input with a pending PAD folded in: the source tensor and the extra offsets.
        func convolutionInput(_ t: Int) throws -> (offset: Int, shape: ChannelsLast.Shape, top: Int, left: Int) {
            if activationOffset[t] == nil, let pad = pendingPads[t] {
                return (try activation(pad.source), pad.shape, pad.top, pad.left)
            }
            return (try activation(t), try nhwc(t), 0, 0)
        }
        func allocate(_ t: Int) throws -> Int {
            let count = try shape(t).reduce(1, *)
            guard count > 0, count <= 1 << 24 else { throw fail("tensor \(t) has \(count) elements") }
            activationOffset[t] = arenaSize
            arenaSize += count
            return arenaSize - count
        }
        func clamp(_ a: TFLiteActivation) throws -> ChannelsLast.Clamp {
            switch a {
            case .none: return .none
            case .relu: return .relu
            case .relu6: return .relu6
            case .reluN1To1: return ChannelsLast.Clamp(lower: -1, upper: 1)
            case .tanh, .signBit: throw fail("fused activation \(a)")
            }
        }
        func expectShape(_ t: Int, _ expected: [Int], _ what: String) throws {
            let actual = try shape(t)
            guard actual == expected else { throw fail("\(what) output shape \(actual), computed \(expected)") }
        }
        func spatial(_ input: Int, _ k: Int, _ s: Int, _ padding: TFLitePadding) -> (out: Int, before: Int) {
            switch padding {
            case .same: return ((input + s - 1) / s, ChannelsLast.samePaddingBefore(input: input, kernel: k, stride: s))
            case .valid: return ((input - k) / s + 1, 0)
            }
        }

        guard model.subgraph.inputs.count == 1, let input = model.subgraph.inputs.first else {
            throw fail("the graph has \(model.subgraph.inputs.count) inputs, expected 1")
        }
        inputShape = try nhwc(input)
        guard inputShape.n == 1, inputShape.c == 3, inputShape.h > 0, inputShape.w > 0 else {
            throw fail("input shape \(try shape(input)), expected (1, H, W, 3)")
        }
        inputOffset = try allocate(input)

        for (index, op) in model.subgraph.operators.enumerated() {
            let code = model.builtinCode(of: op)
            let what = "operator \(index) (\(code))"
            guard let out = op.outputs.first, op.outputs.count == 1, let x = op.inputs.first else {
                throw fail("\(what) has \(op.inputs.count) inputs and \(op.outputs.count) outputs")
            }
            switch (code, op.options) {
            case (.densify, _), (.dequantize, _):
                guard let values = try constant(x) else { throw fail("\(what) on a non-constant tensor") }
                guard values.count == (try shape(out)).reduce(1, *) else { throw fail("\(what) changes the element count") }
                constants[out] = values
            case let (.conv2D, .conv2D(padding, strideW, strideH, act, dilationW, dilationH)):
                guard op.inputs.count >= 2 else { throw fail("\(what) has no weights") }
                let s = try nhwc(x), w = try shape(op.inputs[1])
                guard w.count == 4, w[3] == s.c, strideW == strideH, strideW > 0, dilationW == 1, dilationH == 1 else {
                    throw fail("\(what): weights \(w) on input \(s), stride \(strideW)×\(strideH), dilation \(dilationW)×\(dilationH)")
                }
                let (oh, top) = spatial(s.h, w[1], strideH, padding), (ow, left) = spatial(s.w, w[2], strideW, padding)
                try expectShape(out, [s.n, oh, ow, w[0]], what)
                let bias = op.inputs.count > 2 && op.inputs[2] >= 0 ? op.inputs[2] : nil
                let prepared = try filter(op.inputs[1], bias: bias, depth: w[1] * w[2] * w[3], cols: w[0], what)
                let source = try convolutionInput(x)
                steps.append(.conv(input: source.offset, output: try allocate(out), filter: prepared,
                                   inShape: source.shape, kh: w[1], kw: w[2], stride: strideW,
                                   padding: .init(top: top + source.top, left: left + source.left), clamp: try clamp(act), outH: oh, outW: ow))
            case let (.depthwiseConv2D, .depthwiseConv2D(padding, strideW, strideH, multiplier, act, dilationW, dilationH)):
                guard op.inputs.count >= 2 else { throw fail("\(what) has no weights") }
                let s = try nhwc(x), w = try shape(op.inputs[1])
                guard w.count == 4, w[0] == 1, w[3] == s.c, multiplier == 1, strideW == strideH, strideW > 0,
                      dilationW == 1, dilationH == 1 else {
                    throw fail("\(what): weights \(w) on input \(s), multiplier \(multiplier), stride \(strideW)×\(strideH)")
                }
                let (oh, top) = spatial(s.h, w[1], strideH, padding), (ow, left) = spatial(s.w, w[2], strideW, padding)
                try expectShape(out, [s.n, oh, ow, s.c], what)
                let bias = op.inputs.count > 2 && op.inputs[2] >= 0 ? try weight(op.inputs[2], count: s.c, what + " bias") : nil
                let source = try convolutionInput(x)
                steps.append(.depthwise(input: source.offset, output: try allocate(out), weight: try weight(op.inputs[1], count: w.reduce(1, *), what + " weights"),
                                        bias: bias, inShape: source.shape, kh: w[1], kw: w[2], stride: strideW,
                                        padding: .init(top: top + source.top, left: left + source.left), clamp: try clamp(act), outH: oh, outW: ow))
            case let (.add, .add(act)):
                guard op.inputs.count == 2, try shape(x) == shape(op.inputs[1]) else { throw fail("\(what) needs two inputs of one shape") }
                try expectShape(out, try shape(x), what)
                steps.append(.add(a: try activation(x), b: try activation(op.inputs[1]), output: try allocate(out),
                                  count: try shape(x).reduce(1, *), clamp: try clamp(act)))
            case (.pad, _):
                let s = try nhwc(x)
                guard op.inputs.count == 2 else { throw fail("\(what) needs a paddings tensor") }
                let p = try model.constantInt32s(op.inputs[1]).map(Int.init)
                guard p.count == 8, p[0] == 0, p[1] == 0, p[6] == 0, p[7] == 0, p.allSatisfy({ (0...64).contains($0) }) else {
                    throw fail("\(what) paddings \(p)")
                }
                try expectShape(out, [s.n, s.h + p[2] + p[3], s.w + p[4] + p[5], s.c], what)
                _ = try activation(x)
                pendingPads[out] = (x, s, p[2], p[3], p[4], p[5])
            case let (.depthToSpace, .depthToSpace(block)):
                let s = try nhwc(x)
                guard block > 0, block <= 16, s.c % (block * block) == 0 else { throw fail("\(what) block \(block) on \(s.c) channels") }
                try expectShape(out, [s.n, s.h * block, s.w * block, s.c / (block * block)], what)
                steps.append(.depthToSpace(input: try activation(x), output: try allocate(out), inShape: s, blockSize: block))
            case let (.resizeBilinear, .resizeBilinear(alignCorners, halfPixel)):
                let s = try nhwc(x), o = try nhwc(out)
                guard !alignCorners, halfPixel else { throw fail("\(what) without half-pixel centres") }
                try expectShape(out, [s.n, o.h, o.w, s.c], what)
                steps.append(.resize(input: try activation(x), output: try allocate(out), inShape: s, outH: o.h, outW: o.w))
            case (.reshape, _):
                guard try shape(x).reduce(1, *) == shape(out).reduce(1, *) else { throw fail("\(what) changes the element count") }
                activationOffset[out] = try activation(x)
            case let (.concatenation, .concatenation(axis, act)):
                let outShape = try shape(out)
                let rank = outShape.count
                let a = axis < 0 ? axis + rank : axis
                guard act == .none, (0..<rank).contains(a) else { throw fail("\(what) axis \(axis), activation \(act)") }
                var total = 0
                var runs: [(offset: Int, chunk: Int)] = []
                for t in op.inputs {
                    let s = try shape(t)
                    guard s.count == rank, zip(s, outShape).enumerated().allSatisfy({ $0.offset == a || $0.element.0 == $0.element.1 }) else {
                        throw fail("\(what) input shape \(s) against output \(outShape)")
                    }
                    total += s[a]
                    runs.append((try activation(t), s[a...].reduce(1, *)))
                }
                guard total == outShape[a] else { throw fail("\(what) sizes along axis \(a) add to \(total), output has \(outShape[a])") }
                steps.append(.concat(inputs: runs, output: try allocate(out), outer: outShape[..<a].reduce(1, *)))
            default:
                throw fail("\(what) with options \(op.options) is not in the supported subset")
            }
        }
        outputs = try model.subgraph.outputs.map { (try activation($0), try shape($0)) }
        self.steps = steps
        self.weights = weights
        self.arenaSize = arenaSize
    }

    /// Runs every step over `arena` (size `arenaSize`), whose input region was filled by the caller.
    func run(arena: inout [Float], scratch: inout [Float]) {
        precondition(arena.count == arenaSize)
        weights.withUnsafeBufferPointer { wbuf in
            let w = wbuf.baseAddress!
            arena.withUnsafeMutableBufferPointer { abuf in
                let a = abuf.baseAddress!
                for step in steps {
                    switch step {
                    case let .conv(input, output, filter, s, kh, kw, stride, padding, clamp, oh, ow):
                        ChannelsLast.conv2D(input: a + input, shape: s, filter: filter,
                                            kernelH: kh, kernelW: kw, stride: stride, padding: padding, clamp: clamp,
                                            output: a + output, outH: oh, outW: ow, scratch: &scratch)
                    case let .depthwise(input, output, weight, bias, s, kh, kw, stride, padding, clamp, oh, ow):
                        ChannelsLast.depthwiseConv2D(input: a + input, shape: s, weight: w + weight, bias: bias.map { w + $0 },
                                                     kernelH: kh, kernelW: kw, stride: stride, padding: padding, clamp: clamp,
                                                     output: a + output, outH: oh, outW: ow)
                    case let .add(x, y, output, count, clamp):
                        ChannelsLast.add(a + x, a + y, count: count, clamp: clamp, output: a + output)
                    case let .pad(input, output, s, top, bottom, left, right):
                        ChannelsLast.pad(input: a + input, shape: s, top: top, bottom: bottom, left: left, right: right, value: 0, output: a + output)
                    case let .depthToSpace(input, output, s, block):
                        ChannelsLast.depthToSpace(input: a + input, shape: s, blockSize: block, output: a + output)
                    case let .resize(input, output, s, oh, ow):
                        ChannelsLast.resizeBilinear(input: a + input, shape: s, outH: oh, outW: ow, output: a + output)
                    case let .concat(inputs, output, outer):
                        var dst = a + output
                        for block in 0..<outer {
                            for run in inputs {
                                dst.update(from: a + run.offset + block * run.chunk, count: run.chunk)
                                dst += run.chunk
                            }
                        }
                    }
                }
            }
        }
    }
}
