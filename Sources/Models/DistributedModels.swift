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
