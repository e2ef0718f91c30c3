import Dispatch

/// Runs `body` over `0..<count` split into `threads` contiguous chunks, in parallel when
/// `threads > 1` and there are at least two items; the calling thread takes part.
///
/// The chunks write disjoint parts of the caller's buffers, which is why handing `body` to
/// other threads is sound even though it captures raw pointers.
public func parallelChunks(_ count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
    let parts = min(threads, count)
    guard parts > 1 else {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = DisjointWork(body: body)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            shared.body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }
}

/// A closure whose calls touch disjoint memory, so it may run on several threads at once.
private struct DisjointWork: @unchecked Sendable {
    let body: (Range<Int>) -> Void
}
