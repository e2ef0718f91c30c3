import BodyModel
import Tensor

/// One mesh-aligned feature extractor (`maf_extractor.t.*`, models/maf_extractor.py): bilinear
/// samples of the feature map at 2D points, then a per-point MLP of 1×1 Conv1d layers with the
/// sampled features fed again at each layer:
/// y = lrelu(conv0(f)); y = lrelu(conv1([y; f])); y = relu(conv2([y; f])), flattened channel-major.
struct MeshAlignedFeatureExtractor {
    /// conv0 (h1, C) and its bias (h1).
    let w0: [Float], b0: [Float]
    /// conv1 split over its input [y; f]: (h2, h1) and (h2, C); bias (h2).
    let w1y: [Float], w1f: [Float], b1: [Float]
    /// conv2 split likewise: (5, h2) and (5, C); bias (5).
    let w2y: [Float], w2f: [Float], b2: [Float]
    let channels: Int, hidden1: Int, hidden2: Int

    init(_ w: WeightBinder, index t: Int, architecture: PyMAFArchitecture) {
        let c = architecture.deconvChannels, (h1, h2) = architecture.mlpHidden, out = PyMAFArchitecture.pointFeatureCount
        let p = "maf_extractor.\(t)"
        channels = c
        hidden1 = h1
        hidden2 = h2
        w0 = w.floats("\(p).conv0.weight", shape: [h1, c, 1])
        b0 = w.floats("\(p).conv0.bias", shape: [h1])
        (w1y, w1f) = Self.splitColumns(w.floats("\(p).conv1.weight", shape: [h2, h1 + c, 1]), rows: h2, first: h1, second: c)
        b1 = w.floats("\(p).conv1.bias", shape: [h2])
        (w2y, w2f) = Self.splitColumns(w.floats("\(p).conv2.weight", shape: [out, h2 + c, 1]), rows: out, first: h2, second: c)
        b2 = w.floats("\(p).conv2.bias", shape: [out])
    }

    /// (rows, a + b) → (rows, a), (rows, b).
    static func splitColumns(_ m: [Float], rows: Int, first a: Int, second b: Int) -> ([Float], [Float]) {
        var left = [Float](), right = [Float]()
        left.reserveCapacity(rows * a)
        right.reserveCapacity(rows * b)
        for r in 0..<rows {
            left += m[r * (a + b)..<r * (a + b) + a]
            right += m[r * (a + b) + a..<(r + 1) * (a + b)]
        }
        return (left, right)
    }

    /// Features of the map at the points: (C, N, H, W) batch-inner as the deconvolutions leave it,
    /// (N, P, 2) normalized → (N, 5·P).
    ///
    /// All crops' points go through each layer as one GEMM (N·P columns), not one per crop.
    func callAsFunction(_ featureMap: Tensor, points: Tensor) -> [Float] {
        let sampled = gridSample(featureMap, points: points, layout: .cnhw)   // (N, C, P)
        let n = sampled.shape[0], c = channels, p = sampled.shape[2], np = n * p
        let out = PyMAFArchitecture.pointFeatureCount
        precondition(sampled.shape[1] == c, "MeshAlignedFeatureExtractor: feature map has \(sampled.shape[1]) channels, expected \(c)")
        var f = [Float](repeating: 0, count: c * np)                    // (C, N·P): crop i's points at columns i·P..<(i+1)·P
        sampled.data.withUnsafeBufferPointer { s in
            f.withUnsafeMutableBufferPointer { f in
                for i in 0..<n {
                    for ch in 0..<c {
                        (f.baseAddress! + ch * np + i * p).update(from: s.baseAddress! + (i * c + ch) * p, count: p)
                    }
                }
            }
        }
        var y1 = [Float](repeating: 0, count: hidden1 * np)             // (h1, N·P)
        var y2 = [Float](repeating: 0, count: hidden2 * np)             // (h2, N·P)
        var y3 = [Float](repeating: 0, count: out * np)                 // (5, N·P)
        f.withUnsafeBufferPointer { f in
            let features = f.baseAddress!
            Self.layer(weights: w0, bias: b0, rows: hidden1, input: features, inputRows: c, p: np, into: &y1)
            Self.leakyReLU(&y1)
            y1.withUnsafeBufferPointer { y in
                Self.layer(weights: w1y, bias: b1, rows: hidden2, input: y.baseAddress!, inputRows: hidden1, p: np, into: &y2)
            }
            Self.accumulate(weights: w1f, rows: hidden2, input: features, inputRows: c, p: np, into: &y2)
            Self.leakyReLU(&y2)
            y2.withUnsafeBufferPointer { y in
                Self.layer(weights: w2y, bias: b2, rows: out, input: y.baseAddress!, inputRows: hidden2, p: np, into: &y3)
            }
            Self.accumulate(weights: w2f, rows: out, input: features, inputRows: c, p: np, into: &y3)
        }
        var result = [Float](repeating: 0, count: n * out * p)         // (N, 5, P): channel-major per crop
        for i in 0..<n {
            for r in 0..<out {
                for k in 0..<p { result[(i * out + r) * p + k] = max(y3[r * np + i * p + k], 0) }
            }
        }
        return result
    }

    /// out (rows, P) = W (rows, inputRows) · input (inputRows, P) + bias.
    private static func layer(weights: [Float], bias: [Float], rows: Int, input: UnsafePointer<Float>, inputRows: Int, p: Int,
                              into out: inout [Float]) {
        for r in 0..<rows {
            for k in 0..<p { out[r * p + k] = bias[r] }
        }
        accumulate(weights: weights, rows: rows, input: input, inputRows: inputRows, p: p, into: &out)
    }

    /// out (rows, P) += W (rows, inputRows) · input (inputRows, P).
    private static func accumulate(weights: [Float], rows: Int, input: UnsafePointer<Float>, inputRows: Int, p: Int,
                                   into out: inout [Float]) {
        weights.withUnsafeBufferPointer { w in
            out.withUnsafeMutableBufferPointer { o in
                BLAS.sgemm(m: rows, n: p, k: inputRows, a: w.baseAddress!, lda: inputRows, b: input, ldb: p,
                           beta: 1, c: o.baseAddress!, ldc: p)
            }
        }
    }

    /// Slope 0.01 below zero; written as a select so the loop vectorizes.
    private static func leakyReLU(_ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { x in
            for i in x.indices {
                let v = x[i]
                x[i] = v < 0 ? v * 0.01 : v
            }
        }
    }
}

/// A sparse row-major matrix (CSR): PyMAF's mesh downsampling Dmap (431, V), a few non-zeros per row.
struct SparseRows: Sendable {
    let rows: Int
    let columns: Int
    /// Row r's entries are rowStart[r]..<rowStart[r+1].
    let rowStart: [Int]
    let columnIndex: [Int]
    let values: [Float]

    /// From a dense (rows, columns) matrix, dropping exact zeros (they add nothing to a product).
    init(dense: [Float], rows: Int, columns: Int) {
        var start = [0], index = [Int](), values = [Float]()
        for r in 0..<rows {
            for c in 0..<columns where dense[r * columns + c] != 0 {
                index.append(c)
                values.append(dense[r * columns + c])
            }
            start.append(index.count)
        }
        self.init(rows: rows, columns: columns, rowStart: start, columnIndex: index, values: values)
    }

    init(rows: Int, columns: Int, rowStart: [Int], columnIndex: [Int], values: [Float]) {
        self.rows = rows
        self.columns = columns
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.values = values
    }

    /// The columns that hold non-zeros (increasing), and the matrix over just those columns
    /// (rows, used.count): `apply` of it to those columns' points equals `apply` of self.
    func compacted() -> (used: [Int], matrix: SparseRows) {
        let used = Array(Set(columnIndex)).sorted()
        var position = [Int](repeating: -1, count: columns)
        for (i, c) in used.enumerated() { position[c] = i }
        return (used, SparseRows(rows: rows, columns: used.count, rowStart: rowStart, columnIndex: columnIndex.map { position[$0] },
                                 values: values))
    }

    /// Applies the matrix to each of N point sets: (N, columns, 3) → (N, rows, 3).
    func apply(toPoints points: [Float], count n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: n * rows * 3)
        for i in 0..<n {
            for r in 0..<rows {
                var s = SIMD3<Float>()
                for e in rowStart[r]..<rowStart[r + 1] {
                    let v = (i * columns + columnIndex[e]) * 3
                    s += values[e] * SIMD3(points[v], points[v + 1], points[v + 2])
                }
                for k in 0..<3 { out[(i * rows + r) * 3 + k] = s[k] }
            }
        }
        return out
    }
}
