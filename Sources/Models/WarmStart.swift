import LinearAlgebra

/// Newton starting points from a fit on a subsample of every k-th row, shared by the logistic and Cox fits.
///
/// Newton's method converges quadratically once near the optimum: starting from the subsample's solution (a few
/// standard errors away) saves the early full-data passes, and the full-data iterations still run to the full
/// tolerance, so the answer is unchanged. Any failure of the subsample fit (e.g. separation or a monotone
/// likelihood that only exists in the subsample) just gives no warm start.
enum WarmStart {
    /// Settings of the subsample's fit: few iterations and a loose tolerance.
    static let options = NewtonOptions(maxIterations: 25, gradientTolerance: 1e-6)

    /// The subsample: its rows, the design over them, their weights and the penalty scaled to them.
    struct Subsample {
        /// Rows of the full data taken.
        let rows: [Int]
        let design: StandardizedDesign
        let weights: [Double]
        /// The full-data penalty scaled by the subsample's share of the total weight, so that the subsample's
        /// optimum estimates the full-data one.
        let l2: Double

        /// Every k-th row of `design` (k chosen for about `targetRows` rows).
        init(design fullDesign: StandardizedDesign, weights fullWeights: [Double], l2 fullL2: Double, targetRows: Int) {
            (rows, design) = fullDesign.everyKthRow(targetRows: targetRows)
            weights = rows.map { fullWeights[$0] }
            let scale = weights.reduce(0, +) / max(fullWeights.reduce(0, +), .leastNormalMagnitude)
            l2 = fullL2 * scale
        }
    }

    /// The solution of `objective` over a subsample of about `targetRows` rows, minimised from `start`.
    ///
    /// Nil when `design` has fewer than `threshold` rows, when `objective` gives no objective for the subsample,
    /// when its fit fails, or when a parameter is not finite or not below `bound` in absolute value.
    static func parameters<Objective: NewtonObjective>(
        design: StandardizedDesign, weights: [Double], l2: Double, threshold: Int, targetRows: Int, start: [Double],
        bound: Double, objective: (Subsample) -> Objective?
    ) -> [Double]? {
        guard design.rows >= threshold else { return nil }
        let subsample = Subsample(design: design, weights: weights, l2: l2, targetRows: targetRows)
        guard let objective = objective(subsample),
              let solution = try? NewtonSolver.minimize(objective, start: start, options: options),
              solution.parameters.allSatisfy({ $0.isFinite && abs($0) < bound }) else { return nil }
        return solution.parameters
    }
}
