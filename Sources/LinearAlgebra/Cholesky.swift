import COpenBLAS
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The Cholesky factorisation `A = Uᵀ·U` of a symmetric positive-definite matrix (LAPACK DPOTRF).
///
/// Used to solve Newton systems `H·d = g` and to invert Hessians for standard errors.
/// Only the upper triangle of the input is read.
public struct Cholesky: Sendable {
    /// Order of the factored matrix.
    public let order: Int
    /// Row-major factor: the upper triangle holds `U`; the strict lower triangle is zero.
    public let factor: Matrix

    /// One-norm of the factored matrix (max column sum of |aᵢⱼ|), kept for condition estimates.
    public let oneNorm: Double

    /// Factors `matrix` (square, symmetric; the upper triangle is used).
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` with LAPACK's leading-minor order,
    ///   `.dimensionMismatch` for a non-square matrix, `.nonFinite` for NaN/∞ input.
    public init(_ matrix: Matrix) throws {
        guard matrix.rows == matrix.columns else {
            throw LinearAlgebraError.dimensionMismatch("Cholesky of a \(matrix.rows)×\(matrix.columns) matrix")
        }
        guard matrix.storage.allSatisfy({ $0.isFinite }) else {
            throw LinearAlgebraError.nonFinite("matrix passed to Cholesky")
        }
        let n = matrix.rows
        var work = matrix
        var norm = 0.0
        for j in 0..<n {
            var columnSum = 0.0
            for i in 0..<n { columnSum += abs(matrix.storage[(min(i, j)) * n + max(i, j)]) }
            norm = max(norm, columnSum)
        }
        self.oneNorm = norm
        if n > 0 {
            let info = work.storage.withUnsafeMutableBufferPointer { buffer in
                LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), buffer.baseAddress, Int32(n))
            }
            if let error = LinearAlgebraError.fromLAPACK(routine: "dpotrf", info: info) { throw error }
        }
        for i in 0..<n { for j in 0..<i { work.storage[i * n + j] = 0 } }
        self.order = n
        self.factor = work
    }

    /// Solves `A·x = b` for one right-hand side (LAPACK DPOTRS).
    public func solve(_ b: [Double]) throws -> [Double] {
        guard b.count == order else {
            throw LinearAlgebraError.dimensionMismatch("solve: right-hand side of \(b.count) for order \(order)")
        }
        if order == 0 { return [] }
        var solution = b
        let info = factor.storage.withUnsafeBufferPointer { a in
            solution.withUnsafeMutableBufferPointer { x in
                LAPACKE_dpotrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(order), 1,
                               a.baseAddress, Int32(order), x.baseAddress, 1)
            }
        }
        if let error = LinearAlgebraError.fromLAPACK(routine: "dpotrs", info: info) { throw error }
        return solution
    }

    /// The inverse `A⁻¹` as a full symmetric matrix (LAPACK DPOTRI).
    public func inverse() throws -> Matrix {
        var inverse = factor
        if order > 0 {
            let info = inverse.storage.withUnsafeMutableBufferPointer { a in
                LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(order), a.baseAddress, Int32(order))
            }
            if let error = LinearAlgebraError.fromLAPACK(routine: "dpotri", info: info) { throw error }
        }
        inverse.symmetrizeFromUpper()
        return inverse
    }

    /// LAPACK's estimate (DPOCON) of the reciprocal 1-norm condition number `1 / (‖A‖₁·‖A⁻¹‖₁)`.
    ///
    /// Near machine epsilon (≈ 1e-16) the matrix is numerically singular: solutions and
    /// inverses are dominated by rounding, as with exactly collinear features.
    public func reciprocalConditionNumber() throws -> Double {
        if order == 0 { return 1 }
        var rcond = 0.0
        let info = factor.storage.withUnsafeBufferPointer { a in
            LAPACKE_dpocon(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(order), a.baseAddress, Int32(order),
                           oneNorm, &rcond)
        }
        if let error = LinearAlgebraError.fromLAPACK(routine: "dpocon", info: info) { throw error }
        return rcond
    }

    /// `log det A = 2 Σ log Uᵢᵢ`.
    public var logDeterminant: Double {
        (0..<order).reduce(0) { $0 + 2 * log(factor.storage[$1 * order + $1]) }
    }
}

