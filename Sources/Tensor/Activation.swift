/// An element-wise activation, applied by the ops in their output pass (the GEMM epilogue).
public enum Activation: Sendable, Equatable {
    /// Identity.
    case none
    /// max(x, 0).
    case relu
    /// min(max(x, 0), 6) — TFLite's fused RELU6.
    case relu6
    /// x for x ≥ 0, slope·x otherwise (PyTorch's default slope is 0.01).
    case leakyReLU(Float)

    /// The activation of one value.
    @inlinable
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .none: return x
        case .relu: return max(x, 0)
        case .relu6: return min(max(x, 0), 6)
        case .leakyReLU(let slope): return x >= 0 ? x : slope * x
        }
    }
}

/// Padding of the two spatial axes of an NCHW tensor, each side on its own (TF's SAME can be asymmetric).
public struct Padding2D: Sendable, Equatable {
    public var top: Int
    public var bottom: Int
    public var left: Int
    public var right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        precondition(top >= 0 && bottom >= 0 && left >= 0 && right >= 0, "Padding2D: negative padding")
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    /// The same padding on all four sides (PyTorch's `padding=p`).
    public init(_ all: Int) {
        self.init(top: all, bottom: all, left: all, right: all)
    }

    /// No padding (TF's VALID).
    public static let zero = Padding2D(0)

    /// TF's SAME padding for one input size: `total = max((ceil(in/s) − 1)·s + k − in, 0)`,
    /// `before = total / 2` (the extra pixel goes after).
    public static func same(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int) -> Padding2D {
        func split(_ size: Int, _ k: Int) -> (Int, Int) {
            let out = (size + stride - 1) / stride
            let total = max((out - 1) * stride + k - size, 0)
            return (total / 2, total - total / 2)
        }
        let (t, b) = split(height, kernelHeight)
        let (l, r) = split(width, kernelWidth)
        return Padding2D(top: t, bottom: b, left: l, right: r)
    }
}
