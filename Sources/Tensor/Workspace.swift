/// Scratch memory reused across op calls: im2col columns, GEMM results, gathered inputs.
///
/// Allocate one per thread of work (it is not `Sendable`) and pass it to every layer call of a
/// forward pass; buffers grow to the largest layer's need on the first batch and are then
/// reused, so steady-state calls allocate nothing but their outputs (and nothing at all with
/// the `into:` forms).
///
/// `threadCount` is how many threads the ops' own loops (im2col, output passes, depthwise)
/// use; the GEMMs use `BLAS.threadCount`. The regressor gives both every core; a stage that
/// runs beside it (the detector) keeps 1.
///
///     let workspace = Workspace(threadCount: BLAS.threadCount)
///     let y = conv(x, activation: .relu, workspace: workspace)
public final class Workspace {
    /// Threads for the non-GEMM loops of the ops called with this workspace.
    public let threadCount: Int
    /// Scratch buffers by role; each only grows.
    private var buffers: [UnsafeMutablePointer<Float>?] = [nil, nil, nil]
    private var capacities: [Int] = [0, 0, 0]

    public init(threadCount: Int = 1) {
        precondition(threadCount >= 1, "Workspace: threadCount must be at least 1")
        self.threadCount = threadCount
    }

    deinit {
        for buffer in buffers { buffer?.deallocate() }
    }

    /// Total scratch floats held, for memory reports.
    public var floatCount: Int { capacities.reduce(0, +) }

    /// The roles a single op needs at once.
    enum Role: Int {
        /// im2col columns or gathered input, (K, N·P).
        case columns = 0
        /// GEMM output before the epilogue scatter, (M, N·P).
        case product = 1
        /// bfloat16 panels of B for `BFloat16GEMM`, one per thread.
        case panel = 2
    }

    /// A buffer of at least `count` floats for `role`; its contents are unspecified.
    func buffer(_ role: Role, count: Int) -> UnsafeMutablePointer<Float> {
        let i = role.rawValue
        if capacities[i] < count || buffers[i] == nil {
            buffers[i]?.deallocate()
            let capacity = max(count, 1)
            buffers[i] = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
            capacities[i] = capacity
        }
        return buffers[i]!
    }
}

@available(*, unavailable)
extension Workspace: Sendable {}
