/// Row-major single-precision matrix products for the body model: C = A·B (+ C).
///
/// A plain triple loop, ordered so the innermost loop runs along contiguous rows.
enum MatrixProduct {
    /// C (m, n) = A (m, k) · B (k, n), or · Bᵀ when `transposeB` (B stored (n, k)); adds to C
    /// when `accumulate`.
    static func multiply(
        m: Int, n: Int, k: Int, a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, transposeB: Bool = false,
        c: UnsafeMutableBufferPointer<Float>, accumulate: Bool = false
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "MatrixProduct: buffers too small")
        if !accumulate { for i in 0..<(m * n) { c[i] = 0 } }
        if transposeB {
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Float = 0
                    for l in 0..<k { sum += a[i * k + l] * b[j * k + l] }
                    c[i * n + j] += sum
                }
            }
        } else {
            for i in 0..<m {
                for l in 0..<k {
                    let x = a[i * k + l]
                    if x == 0 { continue }
                    for j in 0..<n { c[i * n + j] += x * b[l * n + j] }
                }
            }
        }
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
