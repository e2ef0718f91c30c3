/// A SciPy sparse matrix (`csc_matrix`, `csr_matrix`, `coo_matrix` or their `*_array` forms).
///
/// Built from the pickled state and checked: index arrays in range, pointer arrays monotonic.
/// Duplicate entries add up, as in SciPy.
public struct SparseMatrix: Sendable {
    public enum Format: String, Sendable {
        case csc, csr, coo
    }

    public let format: Format
    public let rows: Int
    public let columns: Int
    /// Stored values (nnz).
    public let values: [Double]
    /// Row of each stored value.
    public let rowIndices: [Int]
    /// Column of each stored value.
    public let columnIndices: [Int]

    /// Largest `rows × columns` that `dense()` will allocate.
    public static let maximumDenseElements = 1 << 26

    /// Number of stored values.
    public var nonZeroCount: Int { values.count }

    /// A matrix from its compressed (csc/csr) arrays.
    public init(format: Format, rows: Int, columns: Int, data: [Double], indices: [Int64], indptr: [Int64]) throws {
        guard rows >= 0, columns >= 0 else { throw ModelIOError(.malformed("sparse matrix shape (\(rows), \(columns))")) }
        let major = format == .csc ? columns : rows
        let minor = format == .csc ? rows : columns
        guard format != .coo else { throw ModelIOError(.malformed("coo matrices have no index pointer")) }
        guard indptr.count == major + 1 else {
            throw ModelIOError(.malformed("\(format.rawValue) matrix (\(rows), \(columns)) has \(indptr.count) index pointers, expected \(major + 1)"))
        }
        guard indices.count == data.count else {
            throw ModelIOError(.malformed("\(format.rawValue) matrix has \(indices.count) indices for \(data.count) values"))
        }
        guard indptr.first == 0, indptr.last == Int64(data.count) else {
            throw ModelIOError(.malformed("\(format.rawValue) index pointer does not span 0...\(data.count)"))
        }
        var majorIndex = [Int](repeating: 0, count: data.count)
        for slot in 0..<major {
            let start = indptr[slot], end = indptr[slot + 1]
            guard start >= 0, start <= end, end <= Int64(data.count) else {
                throw ModelIOError(.malformed("\(format.rawValue) index pointer is not monotonic within 0...\(data.count) at \(slot)"))
            }
            for position in Int(start)..<Int(end) { majorIndex[position] = slot }
        }
        var minorIndex = [Int](repeating: 0, count: data.count)
        for (position, index) in indices.enumerated() {
            guard index >= 0, index < Int64(minor) else {
                throw ModelIOError(.malformed("\(format.rawValue) index \(index) outside 0..<\(minor)"))
            }
            minorIndex[position] = Int(index)
        }
        self.format = format
        self.rows = rows
        self.columns = columns
        self.values = data
        self.rowIndices = format == .csc ? minorIndex : majorIndex
        self.columnIndices = format == .csc ? majorIndex : minorIndex
    }

    /// A matrix from coordinate (coo) arrays.
    public init(rows: Int, columns: Int, data: [Double], row: [Int64], column: [Int64]) throws {
        guard rows >= 0, columns >= 0 else { throw ModelIOError(.malformed("sparse matrix shape (\(rows), \(columns))")) }
        guard row.count == data.count, column.count == data.count else {
            throw ModelIOError(.malformed("coo matrix has \(row.count) rows and \(column.count) columns for \(data.count) values"))
        }
        for (r, c) in zip(row, column) {
            guard r >= 0, r < Int64(rows), c >= 0, c < Int64(columns) else {
                throw ModelIOError(.malformed("coo entry (\(r), \(c)) outside (\(rows), \(columns))"))
            }
        }
        format = .coo
        self.rows = rows
        self.columns = columns
        values = data
        rowIndices = row.map { Int($0) }
        columnIndices = column.map { Int($0) }
    }

    /// The matrix as a dense row-major (rows, columns) array.
    public func dense() throws -> [Double] {
        let (size, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, size <= SparseMatrix.maximumDenseElements else {
            throw ModelIOError(.limitExceeded("dense (\(rows), \(columns)) matrix is larger than \(SparseMatrix.maximumDenseElements) elements"))
        }
        var result = [Double](repeating: 0, count: size)
        for index in values.indices {
            result[rowIndices[index] * columns + columnIndices[index]] += values[index]
        }
        return result
    }

    /// The matrix as a dense row-major (rows, columns) `Float` array.
    public func denseFloats() throws -> [Float] {
        try dense().map { Float($0) }
    }
}
