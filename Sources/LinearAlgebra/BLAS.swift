import COpenBLAS
import Synchronization

/// Thin, documented wrappers over the CBLAS level-1/2/3 routines the models need.
///
/// All matrices are row-major `Matrix` values (leading dimension = `columns`).
/// Shapes are checked before calling BLAS; a mismatch throws
/// `LinearAlgebraError.dimensionMismatch` instead of corrupting memory.
public enum BLAS {
    /// Number of threads OpenBLAS uses for one call.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Shared state of `enterSingleThreaded` / `leaveSingleThreaded`: how many callers are inside,
    /// and the thread count to restore when the last one leaves.
    private static let singleThreadedState = Mutex<(depth: Int, saved: Int32)>((0, 1))

    /// Makes OpenBLAS single-threaded until the matching `leaveSingleThreaded` (for code that is itself
    /// parallel). Calls nest and may come from several threads: the first caller in saves the thread
    /// count, the last one out restores it, so concurrent fits never leave it changed.
    public static func enterSingleThreaded() {
        singleThreadedState.withLock { state in
            if state.depth == 0 {
                state.saved = openblas_get_num_threads()
                if state.saved != 1 { openblas_set_num_threads(1) }
            }
            state.depth += 1
        }
    }

    /// Undoes one `enterSingleThreaded`.
    public static func leaveSingleThreaded() {
        singleThreadedState.withLock { state in
            precondition(state.depth > 0, "leaveSingleThreaded without enterSingleThreaded")
            state.depth -= 1
            if state.depth == 0 && state.saved != 1 { openblas_set_num_threads(state.saved) }
        }
    }

    /// Runs `body` with OpenBLAS single-threaded (see `enterSingleThreaded`).
    public static func withSingleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        enterSingleThreaded()
        defer { leaveSingleThreaded() }
        return try body()
    }

    /// `y ← alpha · op(A) · x + beta · y` (DGEMV), where `op(A)` is `A` or `Aᵀ`.
    public static func gemv(
        _ a: Matrix, transpose: Bool = false, _ x: [Double],
        alpha: Double = 1, beta: Double = 0, into y: inout [Double]
    ) throws {
        let inputLength = transpose ? a.rows : a.columns
        let outputLength = transpose ? a.columns : a.rows
        guard x.count == inputLength, y.count == outputLength else {
            throw LinearAlgebraError.dimensionMismatch(
                "gemv: \(transpose ? "transposed " : "")\(a.rows)×\(a.columns) matrix, x of \(x.count), y of \(y.count)")
        }
        if a.rows == 0 || a.columns == 0 {
            if beta != 1 { for i in y.indices { y[i] *= beta } }
            return
        }
        a.storage.withUnsafeBufferPointer { matrix in
            x.withUnsafeBufferPointer { vector in
                y.withUnsafeMutableBufferPointer { result in
                    cblas_dgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                        Int32(a.rows), Int32(a.columns), alpha,
                        matrix.baseAddress, Int32(a.columns),
                        vector.baseAddress, 1, beta, result.baseAddress, 1)
                }
            }
        }
    }

    /// Low-level DGEMV on raw row-major storage: `y ← alpha · op(A) · x + beta · y`, `A` being `rows × columns`.
    ///
    /// For hot loops over blocks of a larger matrix; the caller guarantees the buffer sizes.
    @inlinable
    public static func gemv(
        rows: Int, columns: Int, _ a: UnsafePointer<Double>, transpose: Bool = false,
        _ x: UnsafePointer<Double>, alpha: Double = 1, beta: Double = 0, into y: UnsafeMutablePointer<Double>
    ) {
        guard rows > 0, columns > 0 else { return }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
                    alpha, a, Int32(columns), x, 1, beta, y, 1)
    }

    /// DGEMV on a column-major block: `y ← alpha · A · x + beta · y`, `A` being `rows × columns` with column `j` at
    /// `a + j · columnStride` (`columnStride ≥ rows`), as the numeric chunk reader stores a chunk of a table.
    @inlinable
    public static func gemv(
        columnMajorRows rows: Int, columns: Int, _ a: UnsafePointer<Double>, columnStride: Int,
        _ x: UnsafePointer<Double>, alpha: Double = 1, beta: Double = 0, into y: UnsafeMutablePointer<Double>
    ) {
        precondition(columnStride >= rows, "columnStride must be at least rows")
        guard rows > 0, columns > 0 else { return }
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns),
                    alpha, a, Int32(columnStride), x, 1, beta, y, 1)
    }

    /// `op(A) · x` as a new vector (DGEMV with `beta = 0`).
    public static func multiply(_ a: Matrix, transpose: Bool = false, _ x: [Double]) throws -> [Double] {
        var y = [Double](repeating: 0, count: transpose ? a.columns : a.rows)
        try gemv(a, transpose: transpose, x, into: &y)
        return y
    }

    /// `C ← alpha · op(A) · op(B) + beta · C` (DGEMM).
    public static func gemm(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
        alpha: Double = 1, beta: Double = 0, into c: inout Matrix
    ) throws {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        guard k == kB, c.rows == m, c.columns == n else {
            throw LinearAlgebraError.dimensionMismatch(
                "gemm: op(A) is \(m)×\(k), op(B) is \(kB)×\(n), C is \(c.rows)×\(c.columns)")
        }
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in c.storage.indices { c.storage[i] *= beta }
            return
        }
        let cColumns = c.columns
        a.storage.withUnsafeBufferPointer { left in
            b.storage.withUnsafeBufferPointer { right in
                c.storage.withUnsafeMutableBufferPointer { result in
                    cblas_dgemm(
                        CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha,
                        left.baseAddress, Int32(a.columns),
                        right.baseAddress, Int32(b.columns),
                        beta, result.baseAddress, Int32(cColumns))
                }
            }
        }
    }

    /// `op(A) · op(B)` as a new matrix (DGEMM with `beta = 0`).
    public static func multiply(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false
    ) throws -> Matrix {
        var c = Matrix(
            rows: transposeA ? a.columns : a.rows,
            columns: transposeB ? b.rows : b.columns)
        try gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }

    /// The Gram matrix `Aᵀ·A` (DSYRK on the upper triangle, then mirrored to a full symmetric matrix).
    public static func gram(_ a: Matrix) -> Matrix {
        var result = Matrix(rows: a.columns, columns: a.columns)
        a.storage.withUnsafeBufferPointer { source in
            result.storage.withUnsafeMutableBufferPointer { target in
                gramUpper(source.baseAddress!, rows: a.rows, columns: a.columns, into: target.baseAddress!)
            }
        }
        result.symmetrizeFromUpper()
        return result
    }

    /// Low-level `C ← Aᵀ·A` on the upper triangle of `c` (p×p, row-major), for an `n × p` row-major `a`.
    ///
    /// The lower triangle of `c` is left untouched; callers that need the full matrix
    /// call `Matrix.symmetrizeFromUpper()`. Used by the Newton solvers on scratch buffers.
    public static func gramUpper(
        _ a: UnsafePointer<Double>, rows: Int, columns: Int, into c: UnsafeMutablePointer<Double>,
        alpha: Double = 1, beta: Double = 0
    ) {
        guard columns > 0 else { return }
        if rows == 0 {
            for i in 0..<(columns * columns) { c[i] *= beta }
            return
        }
        cblas_dsyrk(
            CblasRowMajor, CblasUpper, CblasTrans,
            Int32(columns), Int32(rows), alpha, a, Int32(columns), beta, c, Int32(columns))
    }

    /// Dot product `xᵀy` (DDOT).
    public static func dot(_ x: [Double], _ y: [Double]) throws -> Double {
        guard x.count == y.count else {
            throw LinearAlgebraError.dimensionMismatch("dot: vectors of \(x.count) and \(y.count)")
        }
        return x.withUnsafeBufferPointer { left in
            y.withUnsafeBufferPointer { right in
                cblas_ddot(Int32(x.count), left.baseAddress, 1, right.baseAddress, 1)
            }
        }
    }

    /// `y ← alpha · x + y` (DAXPY).
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) throws {
        guard x.count == y.count else {
            throw LinearAlgebraError.dimensionMismatch("axpy: vectors of \(x.count) and \(y.count)")
        }
        x.withUnsafeBufferPointer { source in
            y.withUnsafeMutableBufferPointer { target in
                cblas_daxpy(Int32(x.count), alpha, source.baseAddress, 1, target.baseAddress, 1)
            }
        }
    }

    /// Euclidean norm `‖x‖₂` (DNRM2, overflow-safe).
    public static func norm(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { cblas_dnrm2(Int32(x.count), $0.baseAddress, 1) }
    }
}

extension Matrix {
    /// Copies the upper triangle onto the lower one, making a symmetric matrix.
    public mutating func symmetrizeFromUpper() {
        precondition(rows == columns, "symmetrizeFromUpper needs a square matrix")
        let n = rows
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                storage[j * n + i] = storage[i * n + j]
            }
        }
    }
}
