import LinearAlgebra

extension LogisticRegressionModel {
    /// The model file of a distributed fit: the one-machine model's coefficients, standardisation, standard
    /// errors (for `l2 = 0`) and fit diagnostics; no training metrics (they need every row's score at once).
    init(distributed solution: NewtonResult, standardization: FeatureStandardization, kept: [Int], dropped: [String],
         rows: Int, weightSum: Double, l2: Double) {
        let names = kept.map { standardization.featureNames[$0] }
        let means = kept.map { standardization.means[$0] }
        let sds = kept.map { standardization.standardDeviations[$0] }
        let beta = solution.parameters
        var intercept = beta[0]
        var coefficients: [String: Double] = [:]
        for (k, name) in names.enumerated() {
            coefficients[name] = beta[k + 1] / sds[k]
            intercept -= beta[k + 1] * means[k] / sds[k]
        }
        self.init(features: names, intercept: intercept, coefficients: coefficients)
        interceptStandardized = beta[0]
        coefficientsStandardized = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, beta[$0 + 1]) })
        self.standardization = Dictionary(uniqueKeysWithValues: names.indices.map {
            (names[$0], FeatureScale(mean: means[$0], sd: sds[$0]))
        })
        droppedConstantFeatures = dropped
        self.l2 = l2
        if l2 == 0, let covariance = try? Cholesky(solution.hessian).inverse() {
            var errors: [String: Double] = [:]
            for (k, name) in names.enumerated() { errors[name] = covariance[k + 1, k + 1].squareRoot() / sds[k] }
            let a = [1.0] + zip(means, sds).map { -$0 / $1 }
            if let covA = try? BLAS.multiply(covariance, a), let variance = try? BLAS.dot(a, covA) {
                errors[Self.interceptKey] = max(0, variance).squareRoot()
            }
            standardErrors = errors
        }
        let penalty = l2 > 0 ? 0.5 * l2 * beta.dropFirst().reduce(0) { $0 + $1 * $1 } : 0
        fit = FitDiagnostics(
            iterations: solution.iterations, converged: true, gradientMaxAbs: solution.gradientMaxAbs,
            logLikelihood: -(solution.value - penalty), objective: solution.value, rows: rows, weightSum: weightSum)
    }
}

extension CoxModel {
    /// The model file of a distributed fit: the one-machine model's coefficients, standardisation, standard
    /// errors (for `l2 = 0`), Breslow baseline (from the risk-set sums at the solution) and fit diagnostics;
    /// no concordance (it needs every row at once).
    init(distributed solution: NewtonResult, evaluation: CoxStatisticsEvaluation, eventTimes: [Double],
         ties: CoxRegression.Ties, standardization: FeatureStandardization, kept: [Int], dropped: [String],
         rows: Int, weightSum: Double, l2: Double) {
        let names = kept.map { standardization.featureNames[$0] }
        let means = kept.map { standardization.means[$0] }
        let sds = kept.map { standardization.standardDeviations[$0] }
        let beta = solution.parameters
        var cumulative = 0.0
        let hazard = evaluation.baselineIncrements.map { increment -> Double in
            cumulative += increment
            return cumulative
        }
        self.init(features: names,
                  coefficients: Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], beta[$0] / sds[$0]) }),
                  means: Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], means[$0]) }),
                  baseline: Baseline(times: eventTimes, cumulativeHazard: hazard), ties: ties)
        coefficientsStandardized = Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], beta[$0]) })
        self.standardization = Dictionary(uniqueKeysWithValues: names.indices.map {
            (names[$0], FeatureScale(mean: means[$0], sd: sds[$0]))
        })
        droppedConstantFeatures = dropped
        self.l2 = l2
        if l2 == 0, let covariance = try? Cholesky(solution.hessian).inverse() {
            standardErrors = Dictionary(uniqueKeysWithValues: names.indices.map {
                (names[$0], max(0, covariance[$0, $0]).squareRoot() / sds[$0])
            })
        }
        let penalty = l2 > 0 ? 0.5 * l2 * beta.reduce(0) { $0 + $1 * $1 } : 0
        fit = FitDiagnostics(
            iterations: solution.iterations, converged: true, gradientMaxAbs: solution.gradientMaxAbs,
            logPartialLikelihood: -(solution.value - penalty), objective: solution.value, rows: rows,
            events: evaluation.events, weightSum: weightSum, eventWeightSum: evaluation.eventWeight)
    }
}

extension DistributedFit {
    /// The driver's logistic evaluation from the shards' summed statistics: value, gradient and (when shipped)
    /// Hessian (row-major) with the L2 penalty added once, intercept unpenalised.
    public static func logisticEvaluation(_ sums: LogisticShardStatistics, at point: [Double], l2: Double)
        -> (value: Double, gradient: [Double], hessian: [Double]) {
        var gradient = point, hessian = Matrix(rows: 0, columns: 0)
        ShardedLogisticObjective.penalise(sums, point, l2: l2, gradient: &gradient, hessian: &hessian)
        let penalty = l2 > 0 ? 0.5 * l2 * point.dropFirst().reduce(0) { $0 + $1 * $1 } : 0
        return (sums.loss + penalty, gradient, hessian.storage)
    }

    /// The logistic model file of a converged distributed solution (see `DistributedFit`).
    public static func logisticModel(_ solution: NewtonResult, standardization: FeatureStandardization, kept: [Int],
                                     dropped: [String], rows: Int, weightSum: Double, l2: Double)
        -> LogisticRegressionModel {
        LogisticRegressionModel(distributed: solution, standardization: standardization, kept: kept, dropped: dropped,
                                rows: rows, weightSum: weightSum, l2: l2)
    }

    /// The Cox model file of a converged distributed solution; `evaluation` is the driver's at the solution.
    public static func coxModel(_ solution: NewtonResult, evaluation: CoxStatisticsEvaluation, eventTimes: [Double],
                                ties: CoxRegression.Ties, standardization: FeatureStandardization, kept: [Int],
                                dropped: [String], rows: Int, weightSum: Double, l2: Double) -> CoxModel {
        CoxModel(distributed: solution, evaluation: evaluation, eventTimes: eventTimes, ties: ties,
                 standardization: standardization, kept: kept, dropped: dropped, rows: rows, weightSum: weightSum,
                 l2: l2)
    }

    /// Whether an unpenalised solution's Hessian is singular up to rounding (the one-machine check).
    public static func isSingular(_ solution: NewtonResult) -> Bool {
        ((try? Cholesky(solution.hessian).reciprocalConditionNumber()) ?? 0) < 1e-12
    }
}
