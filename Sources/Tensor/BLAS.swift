internal import COpenBLAS

/// The OpenBLAS door: single-precision matrix products and the library's thread pool.
///
/// Every matrix is row-major. `BodyModel` and the person detector call `BLAS.sgemm` directly;
/// the convolution ops in this module call it through their workspaces.
///
///     BLAS.threadCount = 2
///     BLAS.sgemm(m: 2, n: 2, k: 2, a: [1, 2, 3, 4], b: [5, 6, 7, 8], c: &c)   // c = [19, 22, 43, 50]
public enum BLAS {
    /// Number of threads OpenBLAS uses for one call (default: every core, or `OPENBLAS_NUM_THREADS`).
    ///
    /// The corresponding C functions are `openblas_get_num_threads` and `openblas_set_num_threads`.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            precondition(newValue >= 1, "BLAS.threadCount must be at least 1, got \(newValue)")
            openblas_set_num_threads(Int32(newValue))
        }
    }

    /// Number of processors OpenBLAS found. The corresponding C function is `openblas_get_num_procs`.
    public static var processorCount: Int { Int(openblas_get_num_procs()) }

    /// The kernel family OpenBLAS selected for this CPU (for example `Cooperlake`).
    ///
    /// The corresponding C function is `openblas_get_corename`.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// C ← alpha·op(A)·op(B) + beta·C over raw row-major storage.
    ///
    /// op(A) is m×k and op(B) is k×n. With `transposeA`, A is stored k×m (its leading
    /// dimension `lda` ≥ m), otherwise m×k (`lda` ≥ k); likewise for B. C is m×n with `ldc` ≥ n.
    ///
    /// - Complexity: 2·m·n·k floating-point operations.
    ///
    /// The corresponding C function is `cblas_sgemm`.
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "BLAS.sgemm: negative size m=\(m) n=\(n) k=\(k)")
        precondition(lda >= max(1, transposeA ? m : k), "BLAS.sgemm: lda \(lda) too small")
        precondition(ldb >= max(1, transposeB ? k : n), "BLAS.sgemm: ldb \(ldb) too small")
        precondition(ldc >= max(1, n), "BLAS.sgemm: ldc \(ldc) too small")
        if m == 0 || n == 0 { return }
        if k > 0 && (m == 1 || n == 1) {
            vectorProduct(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                          a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// sgemm with one row (m = 1) or one column (n = 1) of C, as a matrix–vector product.
    ///
    /// OpenBLAS 0.3.21's sgemm packs both operands even then, re-copying a whole weight matrix
    /// (a 17 MB SMPL `posedirs`, a 10 MB regressor layer) to multiply it by one vector; sgemv
    /// streams it once. With beta = 0, C is cleared first so that, as with sgemm, its old
    /// contents (NaN included) never reach the result.
    ///
    /// The corresponding C function is `cblas_sgemv`.
    private static func vectorProduct(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 1 {
            // c (1, n) = op(A) row (k, stride x) · op(B) (k, n): y = op(B)ᵀ·x.
            let x = a, incx = transposeA ? lda : 1          // A is (k, 1) with ld lda, or (1, k)
            if beta == 0 { c.update(repeating: 0, count: n) }
            // op(B) (k, n): B stored (k, n) → y = Bᵀx; B stored (n, k) → y = Bx.
            cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
                        blasint(transposeB ? n : k), blasint(transposeB ? k : n), alpha, b, blasint(ldb),
                        x, blasint(incx), beta, c, 1)
        } else {
            // c (m, 1), stride ldc = op(A) (m, k) · op(B) column (k, stride x).
            let x = b, incx = transposeB ? 1 : ldb          // B is (1, k), or (k, 1) with ld ldb
            if beta == 0 { for i in 0..<m { c[i * ldc] = 0 } }
            // op(A) (m, k): A stored (m, k) → y = Ax; A stored (k, m) → y = Aᵀx.
            cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                        blasint(transposeA ? k : m), blasint(transposeA ? m : k), alpha, a, blasint(lda),
                        x, blasint(incx), beta, c, blasint(ldc))
        }
    }

    /// C ← alpha·op(A)·op(B) + beta·C over tightly packed row-major arrays.
    ///
    /// Sizes as in the pointer form; leading dimensions are the stored row lengths.
    ///
    /// The corresponding C function is `cblas_sgemm`.
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: [Float], b: [Float], beta: Float = 0, c: inout [Float]
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n,
                     "BLAS.sgemm: arrays too small for m=\(m) n=\(n) k=\(k)")
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                          a: pa.baseAddress!, lda: transposeA ? m : k,
                          b: pb.baseAddress!, ldb: transposeB ? k : n,
                          beta: beta, c: pc.baseAddress!, ldc: n)
                }
            }
        }
    }
}
