/// A dense matrix of `Double` stored row-major in one contiguous buffer.
///
/// Element `(i, j)` lives at `storage[i * columns + j]`. The leading dimension is
/// always `columns`, so the buffer can be handed to CBLAS/LAPACKE with
/// `CblasRowMajor` / `LAPACK_ROW_MAJOR` without copying.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (also the leading dimension of `storage`).
    public let columns: Int
    /// Row-major elements; `storage.count == rows * columns`.
    public var storage: [Double]

    /// A `rows × columns` matrix with every element set to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major elements.
    /// - Throws: `LinearAlgebraError.dimensionMismatch` when `rowMajor.count != rows * columns`.
    public init(rows: Int, columns: Int, rowMajor: [Double]) throws {
        guard rows >= 0, columns >= 0, rowMajor.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(
                "\(rowMajor.count) elements for a \(rows)×\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.storage = rowMajor
    }

    /// A matrix whose elements are written by `initializer`, which must set all `rows × columns` of them.
    ///
    /// Skips zero-filling, so a large buffer is first touched by the caller's (possibly parallel) writes.
    public init(
        rows: Int, columns: Int, initializingWith initializer: (UnsafeMutableBufferPointer<Double>) -> Void
    ) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](unsafeUninitializedCapacity: rows * columns) { buffer, initializedCount in
            initializer(buffer)
            initializedCount = rows * columns
        }
    }

    /// A matrix from nested rows (convenient for small literals in tests and examples).
    /// - Throws: `LinearAlgebraError.dimensionMismatch` when the rows are ragged.
    public init(_ nestedRows: [[Double]]) throws {
        let columnCount = nestedRows.first?.count ?? 0
        guard nestedRows.allSatisfy({ $0.count == columnCount }) else {
            throw LinearAlgebraError.dimensionMismatch("rows of different lengths")
        }
        self.rows = nestedRows.count
        self.columns = columnCount
        self.storage = nestedRows.flatMap { $0 }
    }

    /// A row-major matrix built from column-major values (`columnMajor[j * rows + i]` is element `(i, j)`).
    ///
    /// Uses a cache-blocked transpose, so it stays fast for tall tables (millions of rows).
    public init(rows: Int, columns: Int, columnMajor: [Double]) throws {
        guard rows >= 0, columns >= 0, columnMajor.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch(
                "\(columnMajor.count) elements for a \(rows)×\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        var output = [Double](repeating: 0, count: rows * columns)
        let block = 64
        columnMajor.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                var rowStart = 0
                while rowStart < rows {
                    let rowEnd = min(rowStart + block, rows)
                    for j in 0..<columns {
                        let sourceColumn = j * rows
                        for i in rowStart..<rowEnd {
                            destination[i * columns + j] = source[sourceColumn + i]
                        }
                    }
                    rowStart = rowEnd
                }
            }
        }
        self.storage = output
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var matrix = Matrix(rows: n, columns: n)
        for i in 0..<n { matrix.storage[i * n + i] = 1 }
        return matrix
    }

    /// Element at row `row`, column `column`.
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The elements of row `index`.
    public func row(_ index: Int) -> ArraySlice<Double> {
        storage[(index * columns)..<((index + 1) * columns)]
    }

    /// A copy of column `index`.
    public func column(_ index: Int) -> [Double] {
        (0..<rows).map { storage[$0 * columns + index] }
    }

    /// The transpose, as a new row-major matrix.
    public var transposed: Matrix {
        // A row-major r×c matrix is a column-major c×r matrix: reuse the blocked transpose.
        // swiftlint:disable:next force_try
        try! Matrix(rows: columns, columns: rows, columnMajor: storage)
    }

    /// The diagonal elements of a square (or rectangular) matrix.
    public var diagonal: [Double] {
        (0..<min(rows, columns)).map { storage[$0 * columns + $0] }
    }
}
