import Testing
@testable import LinearAlgebra

/// Hand-checked cases for the BLAS/LAPACK wrappers.
struct MatrixTests {
    @Test func rowMajorLayoutAndSubscript() throws {
        let m = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m.storage == [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4)
        #expect(Array(m.row(1)) == [4, 5, 6])
        #expect(m.column(2) == [3, 6])
    }

    @Test func columnMajorConstructionTransposes() throws {
        // 3×2 given column by column.
        let m = try Matrix(rows: 3, columns: 2, columnMajor: [1, 2, 3, 10, 20, 30])
        #expect(m.storage == [1, 10, 2, 20, 3, 30])
        #expect(m.transposed.storage == [1, 2, 3, 10, 20, 30])
    }

    @Test func blockedTransposeOnTallMatrix() throws {
        let rows = 1_000, columns = 7
        let columnMajor = (0..<(rows * columns)).map(Double.init)
        let m = try Matrix(rows: rows, columns: columns, columnMajor: columnMajor)
        for i in stride(from: 0, to: rows, by: 97) {
            for j in 0..<columns { #expect(m[i, j] == Double(j * rows + i)) }
        }
    }

    @Test func raggedRowsAreRejected() {
        #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 2], [3]]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 2, rowMajor: [1, 2, 3]) }
    }
}

struct BLASTests {
    @Test func gemvPlainAndTransposed() throws {
        let a = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(try BLAS.multiply(a, [1, 0, -1]) == [-2, -2])
        #expect(try BLAS.multiply(a, transpose: true, [1, 1]) == [5, 7, 9])
        var y: [Double] = [1, 1]
        try BLAS.gemv(a, [1, 1, 1], alpha: 2, beta: 10, into: &y)
        #expect(y == [22, 40])
    }

    @Test func gemvShapeMismatchThrows() throws {
        let a = try Matrix([[1, 2], [3, 4]])
        #expect(throws: LinearAlgebraError.self) { try BLAS.multiply(a, [1, 2, 3]) }
    }

    @Test func gemmAllTransposeCombinations() throws {
        let a = try Matrix([[1, 2], [3, 4], [5, 6]])      // 3×2
        let b = try Matrix([[7, 8, 9], [10, 11, 12]])     // 2×3
        #expect(try BLAS.multiply(a, b).storage == [27, 30, 33, 61, 68, 75, 95, 106, 117])
        #expect(try BLAS.multiply(a, transposeA: true, b, transposeB: true).storage == [76, 103, 100, 136])
        #expect(try BLAS.multiply(a, transposeA: true, a).storage == [35, 44, 44, 56])
        #expect(throws: LinearAlgebraError.self) { try BLAS.multiply(a, a) }
    }

    @Test func gramMatchesExplicitProductAndIsSymmetric() throws {
        let a = try Matrix([[1, 2, 0], [0, 1, 3], [2, -1, 1], [1, 1, 1]])
        let gram = BLAS.gram(a)
        let explicit = try BLAS.multiply(a, transposeA: true, a)
        #expect(gram == explicit)
        #expect(gram.storage == [6, 1, 3, 1, 7, 3, 3, 3, 11])
    }

    @Test func levelOneRoutines() throws {
        #expect(try BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
        var y: [Double] = [1, 1, 1]
        try BLAS.axpy(2, [1, 2, 3], &y)
        #expect(y == [3, 5, 7])
        #expect(BLAS.norm([3, 4]) == 5)
        #expect(throws: LinearAlgebraError.self) { try BLAS.dot([1], [1, 2]) }
    }
}

struct CholeskyTests {
    @Test func factorSolveInverseOfKnownMatrix() throws {
        // A = UᵀU with U = [[2, 1, 0], [0, 3, 1], [0, 0, 1]].
        let a = try Matrix([[4, 2, 0], [2, 10, 3], [0, 3, 2]])
        let cholesky = try Cholesky(a)
        #expect(cholesky.factor.storage == [2, 1, 0, 0, 3, 1, 0, 0, 1])
        let x = try cholesky.solve([6, 15, 5])          // A·[1, 1, 1] = [6, 15, 5]
        for value in x { #expect(abs(value - 1) < 1e-14) }
        let inverse = try cholesky.inverse()
        let product = try BLAS.multiply(a, inverse)
        for i in 0..<3 {
            for j in 0..<3 { #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-13) }
        }
        #expect(abs(cholesky.logDeterminant - log(36.0)) < 1e-13)
    }

    @Test func notPositiveDefiniteReportsLeadingMinor() throws {
        let a = try Matrix([[1, 2], [2, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(leadingMinor: 2)) { try Cholesky(a) }
    }

    @Test func nonSquareAndNonFiniteAreRejected() throws {
        #expect(throws: LinearAlgebraError.self) { try Cholesky(Matrix([[1, 2, 3]])) }
        #expect(throws: LinearAlgebraError.nonFinite("matrix passed to Cholesky")) {
            try Cholesky(Matrix([[1, .nan], [.nan, 1]]))
        }
    }

    @Test func solveChecksRightHandSideLength() throws {
        let cholesky = try Cholesky(Matrix.identity(2))
        #expect(throws: LinearAlgebraError.self) { try cholesky.solve([1, 2, 3]) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
