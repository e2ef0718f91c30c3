import Tensor

/// Row-major single-precision matrix products for the body model, through OpenBLAS:
/// C (m, n) = A (m, k) · B (k, n) — or · Bᵀ with B stored (n, k) — optionally added to C.
enum MatrixProduct {
    static func multiply(
        m: Int, n: Int, k: Int, a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, transposeB: Bool = false,
        c: UnsafeMutableBufferPointer<Float>, accumulate: Bool = false
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "MatrixProduct: buffers too small")
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            if !accumulate { for i in 0..<(m * n) { c[i] = 0 } }
            return
        }
        BLAS.sgemm(transposeB: transposeB, m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: transposeB ? k : n,
                   beta: accumulate ? 1 : 0, c: c.baseAddress!, ldc: n)
    }

    static func multiply(
        m: Int, n: Int, k: Int, a: [Float], b: [Float], transposeB: Bool = false, c: inout [Float], accumulate: Bool = false
    ) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    multiply(m: m, n: n, k: k, a: a, b: b, transposeB: transposeB, c: c, accumulate: accumulate)
                }
            }
        }
    }
}
