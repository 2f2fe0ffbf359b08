import LinearAlgebra
import Metrics

/// L2-penalised logistic regression fitted by Newton/IRLS on BLAS and LAPACK.
///
/// Conventions (see `FeatureStandardization` and `LogisticObjective`): features are
/// standardised with weighted means and population standard deviations; constant
/// features are dropped and reported; the objective is the sum of weighted log-losses
/// plus `(l2/2)·‖β‖²` on the standardised coefficients, intercept unpenalised. With
/// `l2 = 0` the result is the maximum-likelihood estimate (as statsmodels/R `glm`).
///
/// With `Options.targets = .shares` the labels are fractions in [0, 1] (fractional logistic regression, Papke and
/// Wooldridge's quasi-likelihood): the same objective and Newton core, whose optimum with `l2 = 0` is statsmodels'
/// `GLM(y, X, family=Binomial(), freq_weights=w)`; `σ(η)` then estimates the expected share `E[y | x]`.
public enum LogisticRegression {
    /// What the labels are.
    public enum Targets: Sendable, Equatable {
        /// Outcomes, each 0 or 1.
        case binary
        /// Shares, each a finite number in [0, 1] (e.g. the share of a balance collected).
        case shares
    }

    /// Settings for one fit.
    public struct Options: Sendable, Equatable {
        /// Ridge strength on standardised coefficients (0 = maximum likelihood).
        public var l2: Double
        /// Newton solver settings.
        public var newton: NewtonOptions
        /// Whether to compute AUC, log-loss, Brier, KS and calibration on the training rows
        /// (an O(n log n) sort; benchmarks against bare fits turn it off). Fractional fits have none: the summary is
        /// of 0/1 outcomes.
        public var computeTrainingMetrics: Bool
        /// Whether the labels are 0/1 outcomes or shares in [0, 1].
        public var targets: Targets

        public init(l2: Double = 0, newton: NewtonOptions = NewtonOptions(), computeTrainingMetrics: Bool = true,
                    targets: Targets = .binary) {
            self.l2 = l2
            self.newton = newton
            self.computeTrainingMetrics = computeTrainingMetrics
            self.targets = targets
        }
    }

    /// Fits the model.
    /// - Parameters:
    ///   - features: raw feature values, row-major n × p.
    ///   - featureNames: p names, in column order.
    ///   - labels: n values, each 0 or 1 (each in [0, 1] when `options.targets` is `.shares`).
    ///   - weights: n non-negative sample weights, or nil for all 1.
    /// - Throws: `ModelFitError` for invalid input (`.invalidLabel`, or `.invalidShare` for a share that is not a
    ///   finite number in [0, 1]), a single class (`.singleClass`, `.constantShare`), separation, singularity or
    ///   non-convergence.
    public static func fit(
        features: Matrix, featureNames: [String], labels: [Double], weights: [Double]? = nil,
        options: Options = Options()
    ) throws -> LogisticRegressionModel {
        let fractional = options.targets == .shares
        let (sampleWeights, totalWeight) = try FitInputValidator.checkRows(
            features: features, featureNames: featureNames, columns: [fractional ? .shares(labels) : .labels(labels)],
            weights: weights, l2: options.l2)
        let positiveWeight = zip(labels, sampleWeights).reduce(0) { $0 + $1.0 * $1.1 }
        if positiveWeight <= 0 { throw fractional ? ModelFitError.constantShare(0) : ModelFitError.singleClass(label: 0) }
        if positiveWeight >= totalWeight {
            throw fractional ? ModelFitError.constantShare(1) : ModelFitError.singleClass(label: 1)
        }
        let standardized = try FitInputValidator.standardize(features: features, featureNames: featureNames, weights: weights)
        let design = standardized.design, keptNames = standardized.keptNames

        // One switch to single-threaded OpenBLAS for the whole fit: the partitions use every core, and
        // toggling per evaluation would wake OpenBLAS's thread pool each time.
        BLAS.enterSingleThreaded()
        defer { BLAS.leaveSingleThreaded() }
        let objective = LogisticObjective(design: design, labels: labels, weights: sampleWeights, l2: options.l2)
        var start = [Double](repeating: 0, count: standardized.kept.count + 1)
        start[0] = LogisticFunctions.logit(positiveWeight / totalWeight)
        if let warmStart = subsampleStart(design: design, labels: labels, weights: sampleWeights,
                                          l2: options.l2, from: start) {
            start = warmStart
        }

        let solution: NewtonResult
        do {
            solution = try NewtonSolver.minimize(objective, start: start, options: options.newton)
        } catch let failure as NewtonFailure {
            throw diagnose(failure, design: design, labels: labels, weights: sampleWeights, names: keptNames,
                           l2: options.l2)
        }
        try checkSolution(solution, design: design, labels: labels, weights: sampleWeights, names: keptNames,
                          l2: options.l2)
        return try LogisticRegressionModel(
            solution: solution, standardization: standardized.standardization, kept: standardized.kept,
            dropped: standardized.dropped, design: design, labels: labels, weights: weights, l2: options.l2,
            computeTrainingMetrics: options.computeTrainingMetrics && !fractional)
    }

    /// Rows above which the Newton iterations start from a fit on a subsample.
    static let warmStartThreshold = 200_000
    /// Target size of that subsample.
    static let warmStartRows = 50_000

    /// A starting point from a fit on every k-th row (k chosen for about `warmStartRows` rows), or nil
    /// (see `WarmStart`).
    static func subsampleStart(
        design: StandardizedDesign, labels: [Double], weights: [Double], l2: Double, from start: [Double]
    ) -> [Double]? {
        WarmStart.parameters(
            design: design, weights: weights, l2: l2, threshold: warmStartThreshold, targetRows: warmStartRows,
            start: start, bound: 15
        ) { sample in
            LogisticObjective(design: sample.design, labels: sample.rows.map { labels[$0] }, weights: sample.weights,
                              l2: sample.l2)
        }
    }

    /// Checks an unpenalised solution for separation and for a Hessian that is singular up to rounding.
    /// - Throws: `ModelFitError.perfectSeparation` or `.singularHessian`.
    private static func checkSolution(
        _ solution: NewtonResult, design: StandardizedDesign, labels: [Double], weights: [Double], names: [String],
        l2: Double
    ) throws {
        guard l2 == 0 else { return }
        if let separated = separatedFeatures(
            solution.parameters, hessian: solution.hessian, design: design, labels: labels, weights: weights,
            names: names) {
            throw ModelFitError.perfectSeparation(features: separated)
        }
        // Exactly collinear standardised features leave a Hessian that is singular up to rounding;
        // Cholesky may still succeed, so check the condition number explicitly.
        let rcond = (try? Cholesky(solution.hessian).reciprocalConditionNumber()) ?? 0
        if rcond < Self.singularityThreshold { throw ModelFitError.singularHessian(features: names) }
    }

    /// Reciprocal condition number of the standardised Hessian below which the fit is called singular.
    static let singularityThreshold = 1e-12

    /// Turns a solver failure into an actionable fit error.
    private static func diagnose(
        _ failure: NewtonFailure, design: StandardizedDesign, labels: [Double], weights: [Double], names: [String],
        l2: Double
    ) -> ModelFitError {
        guard let state = failure.lastState else { return .didNotConverge(iterations: 0, gradientMaxAbs: .nan) }
        if l2 == 0, let separated = separatedFeatures(
            state.parameters, hessian: state.hessian, design: design, labels: labels, weights: weights, names: names) {
            return .perfectSeparation(features: separated)
        }
        switch failure {
        case .singularHessian:
            return .singularHessian(features: names)
        default:
            return .didNotConverge(iterations: state.iterations, gradientMaxAbs: state.gradientMaxAbs)
        }
    }

    /// Detects (quasi-)complete separation at an iterate of an unpenalised fit.
    ///
    /// Separation shows as rows (of non-zero weight) fitted to probability 0 or 1 to within 1e-9
    /// (|η| > 20) while some coefficients run off. A feature is flagged when its standardised
    /// coefficient exceeds 15 (complete separation: the odds move by e¹⁵ per standard deviation), or
    /// when the data hold almost no information on it: a standardised standard error above 100, as
    /// for a rare 0/1 flag whose rows are all fitted to the same class (quasi-complete separation;
    /// its coefficient can stay moderate while the likelihood keeps rising along it).
    /// Returns the flagged features, or nil.
    static func separatedFeatures(
        _ parameters: [Double], hessian: Matrix, design: StandardizedDesign, labels: [Double], weights: [Double],
        names: [String]
    ) -> [String]? {
        // The p × p check first: only when a coefficient looks divergent is the data scanned for saturated rows.
        let covariance = try? Cholesky(hessian).inverse()
        let flagged = (1..<parameters.count).filter { j in
            if abs(parameters[j]) > 15 { return true }
            guard let covariance else { return false }
            return !(covariance[j, j].squareRoot() <= 100)
        }
        guard !flagged.isEmpty, let eta = try? design.linearPredictors(parameters) else { return nil }
        let saturated = eta.indices.contains { i in
            weights[i] > 0 && abs(LogisticFunctions.sigmoid(eta[i]) - labels[i]) < 1e-9
        }
        return saturated ? flagged.map { names[$0 - 1] } : nil
    }
}
