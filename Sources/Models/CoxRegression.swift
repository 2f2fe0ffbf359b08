import LinearAlgebra

/// Cox proportional-hazards regression fitted by damped Newton on BLAS and LAPACK.
///
/// Conventions (shared with the logistic fit, see `FeatureStandardization`): features are
/// standardised with weighted means and population standard deviations; constant features are
/// dropped and reported; the objective is the negative log partial likelihood plus
/// `(l2/2)·‖β‖²` on the standardised coefficients (see `CoxObjective`). With `l2 = 0` the result is
/// the maximum partial-likelihood estimate and agrees with lifelines `CoxPHFitter` (Efron; with
/// `weights_col` for case weights) and statsmodels `PHReg` / R `coxph` (Efron or Breslow).
/// The baseline is Breslow's cumulative hazard at the (weighted) training means.
public enum CoxRegression {
    /// How tied event times enter the partial likelihood.
    public enum Ties: String, Codable, Sendable, CaseIterable {
        /// Efron's approximation (the default of lifelines, R `coxph` and statsmodels).
        case efron
        /// Breslow's approximation (every tied event sees the full risk set).
        case breslow
    }

    /// Settings for one fit.
    public struct Options: Sendable, Equatable {
        /// Tie handling.
        public var ties: Ties
        /// Ridge strength on standardised coefficients (0 = maximum partial likelihood).
        public var l2: Double
        /// Newton solver settings.
        public var newton: NewtonOptions
        /// Whether to compute Harrell's concordance on the training rows (an O(n log n) sort).
        public var computeConcordance: Bool

        public init(ties: Ties = .efron, l2: Double = 0, newton: NewtonOptions = NewtonOptions(),
                    computeConcordance: Bool = true) {
            self.ties = ties
            self.l2 = l2
            self.newton = newton
            self.computeConcordance = computeConcordance
        }
    }

    /// Fits the model.
    /// - Parameters:
    ///   - features: raw feature values, row-major n × p.
    ///   - featureNames: p names, in column order.
    ///   - durations: n finite, non-negative times to the event or to censoring (any unit; the
    ///     model's times and horizons are in the same unit, e.g. days).
    ///   - events: n values, 1 = the event happened at the duration, 0 = censored.
    ///   - weights: n non-negative case weights, or nil for all 1. Rows of weight 0 are ignored.
    /// - Throws: `ModelFitError` for invalid shapes, weights, features or penalty, a singular Hessian
    ///   (collinear features) or non-convergence; `ModelFitError` also for invalid durations or events, no
    ///   events, or monotone likelihood.
    public static func fit(
        features: Matrix, featureNames: [String], durations: [Double], events: [Double], weights: [Double]? = nil,
        options: Options = Options()
    ) throws -> CoxModel {
        let (caseWeights, _) = try FitInputValidator.checkRows(
            features: features, featureNames: featureNames, columns: [.durations(durations), .events(events)],
            weights: weights, l2: options.l2)
        guard zip(events, caseWeights).contains(where: { $0 == 1 && $1 > 0 }) else { throw ModelFitError.noEvents }
        let standardized = try FitInputValidator.standardize(features: features, featureNames: featureNames, weights: weights)
        let keptNames = standardized.keptNames

        // The objective parallelises over row partitions itself; one switch for the whole fit.
        let restoreThreads = CoxObjective.singleThreadedBLAS()
        defer { restoreThreads() }
        let objective = CoxObjective(
            design: standardized.design, durations: durations, events: events.map { $0 == 1 }, weights: caseWeights,
            ties: options.ties, l2: options.l2)
        var start = [Double](repeating: 0, count: standardized.kept.count)
        if let warmStart = subsampleStart(design: standardized.design, durations: durations, events: events,
                                          weights: caseWeights, ties: options.ties, l2: options.l2) {
            start = warmStart
        }

        let solution: NewtonResult
        do {
            solution = try NewtonSolver.minimize(objective, start: start, options: options.newton)
        } catch let failure as NewtonFailure {
            throw diagnose(failure, objective: objective, names: keptNames)
        } catch is LinearAlgebraError {
            // A non-finite Hessian (risk sets underflowing as coefficients run off).
            throw ModelFitError.didNotConverge(iterations: 0, gradientMaxAbs: .nan)
        }
        try checkSolution(solution, objective: objective, names: keptNames)
        return try CoxModel(
            solution: solution, objective: objective, standardization: standardized.standardization,
            kept: standardized.kept, dropped: standardized.dropped, weights: weights,
            computeConcordance: options.computeConcordance)
    }

    /// Rows from which the full-data Newton iterations start from a fit on a subsample.
    static let warmStartThreshold = 100_000
    /// Target size of that subsample.
    static let warmStartRows = 25_000

    /// A starting point from a fit on every k-th row (k chosen for about `warmStartRows` rows), or nil
    /// (see `WarmStart`; also nil when the subsample has no events).
    static func subsampleStart(
        design: StandardizedDesign, durations: [Double], events: [Double], weights: [Double],
        ties: Ties, l2: Double
    ) -> [Double]? {
        WarmStart.parameters(
            design: design, weights: weights, l2: l2, threshold: warmStartThreshold, targetRows: warmStartRows,
            start: [Double](repeating: 0, count: design.kept.count), bound: divergenceThreshold
        ) { sample -> CoxObjective? in
            guard sample.rows.contains(where: { events[$0] == 1 && weights[$0] > 0 }) else { return nil }
            return CoxObjective(
                design: sample.design, durations: sample.rows.map { durations[$0] },
                events: sample.rows.map { events[$0] == 1 }, weights: sample.weights, ties: ties, l2: sample.l2)
        }
    }

    /// Checks an unpenalised solution for a monotone likelihood and for a Hessian that is singular up to rounding.
    /// - Throws: `ModelFitError.monotoneLikelihood` or `.singularHessian`.
    private static func checkSolution(_ solution: NewtonResult, objective: CoxObjective, names: [String]) throws {
        guard objective.l2 == 0 else { return }
        if let monotone = monotoneFeatures(solution.parameters, objective: objective, names: names) {
            throw ModelFitError.monotoneLikelihood(features: monotone)
        }
        // Exactly collinear standardised features leave a Hessian that is singular up to rounding;
        // Cholesky may still succeed, so check the condition number explicitly.
        let rcond = (try? Cholesky(solution.hessian).reciprocalConditionNumber()) ?? 0
        if rcond < singularityThreshold { throw ModelFitError.singularHessian(features: names) }
    }

    /// Reciprocal condition number of the standardised Hessian below which the fit is called singular.
    static let singularityThreshold = 1e-12

    /// Standardised coefficients beyond which a monotone likelihood is suspected (a hazard ratio of
    /// e⁵ ≈ 148 per standard deviation); the suspicion is then confirmed along the coefficients.
    static let divergenceThreshold = 5.0

    /// Turns a solver failure into an actionable fit error.
    private static func diagnose(_ failure: NewtonFailure, objective: CoxObjective, names: [String]) -> Error {
        guard let state = failure.lastState else {
            return ModelFitError.didNotConverge(iterations: 0, gradientMaxAbs: .nan)
        }
        if objective.l2 == 0, let monotone = monotoneFeatures(state.parameters, objective: objective, names: names) {
            return ModelFitError.monotoneLikelihood(features: monotone)
        }
        switch failure {
        case .singularHessian:
            return ModelFitError.singularHessian(features: names)
        default:
            return ModelFitError.didNotConverge(iterations: state.iterations, gradientMaxAbs: state.gradientMaxAbs)
        }
    }

    /// Detects a monotone likelihood at an iterate of an unpenalised fit.
    ///
    /// It shows as standardised coefficients running off (|β| > `divergenceThreshold`) while the
    /// objective does not increase when those coefficients move one more unit outwards (or the step
    /// leaves the numerically representable domain): at a genuine optimum such a step raises it by
    /// about ½·Hⱼⱼ. (A unit step rather than a doubling, so that the risk sets do not underflow at the
    /// huge coefficients a diverging fit reaches.) Returns the features with diverging coefficients,
    /// or nil.
    static func monotoneFeatures(_ parameters: [Double], objective: CoxObjective, names: [String]) -> [String]? {
        let diverging = parameters.indices.filter { abs(parameters[$0]) > divergenceThreshold }
        guard !diverging.isEmpty else { return nil }
        let here = objective.value(at: parameters)
        guard here.isFinite else { return diverging.map { names[$0] } }
        var further = parameters
        for j in diverging { further[j] += parameters[j] > 0 ? 1 : -1 }
        let there = objective.value(at: further)
        let tolerance = 1e-9 * max(1, abs(here))
        // +∞ means the step left the representable domain (linear predictors spread by hundreds):
        // only a diverging fit gets there.
        return there <= here + tolerance || there == .infinity ? diverging.map { names[$0] } : nil
    }
}
