import LinearAlgebra

/// The standardised design `[1, z₁, …, z_k]` of a model, produced block by block from the raw features.
///
/// Nothing n × k is materialised: solvers ask for blocks of rows (`fillBlock`), which are
/// standardised into a small cache-resident buffer, so a fit reads the raw table once per pass
/// and needs no second copy of it. Column 0 is the intercept (all ones); column `k + 1` is
/// `(x[kept[k]] − mean[k]) / sd[k]`.
public struct StandardizedDesign: Sendable {
    /// Raw features, row-major n × p.
    public let features: Matrix
    /// Indices of the raw columns used, in design order.
    public let kept: [Int]
    /// Means of the kept columns.
    public let means: [Double]
    /// Reciprocal standard deviations of the kept columns.
    public let inverseScales: [Double]

    public init(features: Matrix, standardization: FeatureStandardization, kept: [Int]) {
        self.features = features
        self.kept = kept
        self.means = kept.map { standardization.means[$0] }
        self.inverseScales = kept.map { 1 / standardization.standardDeviations[$0] }
    }

    /// A design over `features` with given column choice and moments (e.g. a subsample of a larger design).
    public init(features: Matrix, kept: [Int], means: [Double], inverseScales: [Double]) {
        self.features = features
        self.kept = kept
        self.means = means
        self.inverseScales = inverseScales
    }

    /// The design restricted to every k-th row, with the same columns and moments (for warm starts).
    /// - Returns: the rows taken and the design over them.
    public func everyKthRow(targetRows: Int) -> (rows: [Int], design: StandardizedDesign) {
        let stride = max(1, rows / max(1, targetRows))
        let taken = Array(Swift.stride(from: 0, to: rows, by: stride))
        let sample = features.gatheringRows(taken)
        return (taken, StandardizedDesign(features: sample, kept: kept, means: means, inverseScales: inverseScales))
    }

    /// Rows of the raw data.
    public var rows: Int { features.rows }
    /// Columns of the design (kept features + intercept).
    public var columns: Int { kept.count + 1 }

    /// Writes design rows `start ..< start + count` into `block` (row-major, `count × columns`).
    @inlinable
    public func fillBlock(start: Int, count: Int, raw: UnsafePointer<Double>, into block: UnsafeMutablePointer<Double>) {
        let p = features.columns, q = columns
        kept.withUnsafeBufferPointer { kept in
            means.withUnsafeBufferPointer { means in
                inverseScales.withUnsafeBufferPointer { scales in
                    for i in 0..<count {
                        let source = raw + (start + i) * p
                        let target = block + i * q
                        target[0] = 1
                        for k in 0..<kept.count { target[k + 1] = (source[kept[k]] - means[k]) * scales[k] }
                    }
                }
            }
        }
    }

    /// Original-scale intercept and full-width raw coefficients (zeros for dropped columns) equal to
    /// standardised parameters `beta` (`beta[0]` the intercept).
    public func originalScale(_ beta: [Double]) -> (intercept: Double, coefficients: [Double]) {
        var coefficients = [Double](repeating: 0, count: features.columns)
        var intercept = beta[0]
        for (k, column) in kept.enumerated() {
            coefficients[column] = beta[k + 1] * inverseScales[k]
            intercept -= beta[k + 1] * means[k] * inverseScales[k]
        }
        return (intercept, coefficients)
    }

    /// Linear predictors `η = Z·β` for standardised parameters, computed on the raw features with one GEMV.
    public func linearPredictors(_ beta: [Double]) throws -> [Double] {
        let (intercept, coefficients) = originalScale(beta)
        var eta = [Double](repeating: intercept, count: rows)
        try BLAS.gemv(features, coefficients, beta: 1, into: &eta)
        return eta
    }
}
