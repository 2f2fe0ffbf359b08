import Foundation
import LinearAlgebra
import Metrics

/// A fitted Cox proportional-hazards model: coefficients on both scales, the standardisation, Breslow's
/// baseline cumulative hazard, fit diagnostics and the training concordance. Its JSON form
/// (`kind: "cox"`) is the model file `arscore fit cox` writes.
///
/// Reference point: the linear predictor is centred at the (weighted) training means,
/// `lp(x) = Σⱼ coefficients[j]·(xⱼ − meanⱼ)` (lifelines' `predict_log_partial_hazard`), and
/// `baseline.cumulative_hazard` is `H₀(t)` for `x` = those means. Then, for any time `t ≥ 0` in the
/// durations' unit (e.g. days):
///
/// - survival `S(t | x) = exp(−H₀(t)·e^{lp(x)})`;
/// - `P(event by t | x) = 1 − S(t | x)`;
///
/// where `H₀` is a right-continuous step function: 0 before the first event time, and between event
/// times the value at the last event time ≤ t. The restricted mean time up to a horizon `τ` is
/// `∫₀^τ S(t | x) dt`, exact for that step function (the expected time to the event when time is
/// capped at `τ`).
public struct CoxModel: Codable, Equatable, Sendable {
    /// Model-file format version.
    public var formatVersion: Int = 1
    /// Always `"cox"`.
    public var kind: String = CoxModel.kind
    /// Tie handling used in the fit.
    public var ties: CoxRegression.Ties
    /// Features the model uses, in scoring order (constant features already dropped).
    public var features: [String]
    /// Original-scale coefficient (log hazard ratio per unit of the feature) per feature name.
    public var coefficients: [String: Double]
    /// Standardised coefficient (log hazard ratio per standard deviation) per feature name: the penalised quantities.
    public var coefficientsStandardized: [String: Double]
    /// Weighted mean and population standard deviation per feature; the means are the reference point.
    public var standardization: [String: FeatureScale]
    /// Features dropped because they were constant in the training data.
    public var droppedConstantFeatures: [String]
    /// Ridge strength used (0 = maximum partial likelihood).
    public var l2: Double
    /// Asymptotic standard errors of the original-scale coefficients (inverse observed information); only for `l2 = 0`.
    public var standardErrors: [String: Double]?
    /// Breslow's baseline cumulative hazard at the reference point.
    public var baseline: Baseline
    /// Fit diagnostics.
    public var fit: FitDiagnostics
    /// Harrell's concordance of the linear predictor on the training rows (nil when not computed or undefined).
    public var concordance: Double?

    /// Mean and population standard deviation of one feature.
    public struct FeatureScale: Codable, Equatable, Sendable {
        public var mean: Double
        public var sd: Double

        public init(mean: Double, sd: Double) {
            self.mean = mean
            self.sd = sd
        }
    }

    /// The baseline cumulative hazard as a step function.
    public struct Baseline: Codable, Equatable, Sendable {
        /// Covariates the baseline refers to: always `"mean"` (the weighted training means).
        public var reference: String = "mean"
        /// Distinct event times, strictly increasing, in the durations' unit.
        public var times: [Double]
        /// `H₀` at each time (non-decreasing, ≥ 0).
        public var cumulativeHazard: [Double]

        public init(times: [Double], cumulativeHazard: [Double]) {
            self.times = times
            self.cumulativeHazard = cumulativeHazard
        }

        enum CodingKeys: String, CodingKey {
            case reference, times
            case cumulativeHazard = "cumulative_hazard"
        }
    }

    /// How the Newton fit ended.
    public struct FitDiagnostics: Codable, Equatable, Sendable {
        /// Newton iterations on the full data (from 100,000 rows they start from a subsample's fit).
        public var iterations: Int
        /// Whether the gradient tolerance was met (fits that do not converge throw instead).
        public var converged: Bool
        /// `max |gradient|` of the objective at the solution.
        public var gradientMaxAbs: Double
        /// Log partial likelihood (natural log; Efron or Breslow as fitted; weighted).
        public var logPartialLikelihood: Double
        /// Penalised objective value (−logPartialLikelihood + penalty).
        public var objective: Double
        /// Training rows.
        public var rows: Int
        /// Rows with an event (and non-zero weight).
        public var events: Int
        /// Sum of case weights.
        public var weightSum: Double
        /// Sum of the case weights of the events.
        public var eventWeightSum: Double

        enum CodingKeys: String, CodingKey {
            case iterations, converged, objective, rows, events
            case gradientMaxAbs = "gradient_max_abs"
            case logPartialLikelihood = "log_partial_likelihood"
            case weightSum = "weight_sum"
            case eventWeightSum = "event_weight_sum"
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, ties, features, coefficients, standardization, l2, baseline, fit, concordance
        case formatVersion = "format_version"
        case coefficientsStandardized = "coefficients_standardized"
        case droppedConstantFeatures = "dropped_constant_features"
        case standardErrors = "standard_errors"
    }

    /// A model from known parts (e.g. coefficients fitted elsewhere); fit diagnostics are empty.
    /// - Parameters:
    ///   - coefficients: original-scale coefficients per feature name.
    ///   - means: the reference point per feature name (the baseline's covariates).
    public init(features: [String], coefficients: [String: Double], means: [String: Double], baseline: Baseline,
                ties: CoxRegression.Ties = .efron) {
        self.ties = ties
        self.features = features
        self.coefficients = coefficients
        self.coefficientsStandardized = coefficients
        self.standardization = Dictionary(uniqueKeysWithValues: features.map {
            ($0, FeatureScale(mean: means[$0] ?? 0, sd: 1))
        })
        self.droppedConstantFeatures = []
        self.l2 = 0
        self.standardErrors = nil
        self.baseline = baseline
        self.fit = FitDiagnostics(iterations: 0, converged: false, gradientMaxAbs: 0, logPartialLikelihood: 0,
                                  objective: 0, rows: 0, events: 0, weightSum: 0, eventWeightSum: 0)
        self.concordance = nil
    }

    /// Builds the model from a converged Newton solution on the standardised features.
    init(
        solution: NewtonResult, objective: CoxObjective, standardization: FeatureStandardization, kept: [Int],
        dropped: [String], weights: [Double]?, computeConcordance: Bool
    ) throws {
        let names = kept.map { standardization.featureNames[$0] }
        let means = kept.map { standardization.means[$0] }
        let sds = kept.map { standardization.standardDeviations[$0] }
        let beta = solution.parameters
        var original: [String: Double] = [:], standardized: [String: Double] = [:], scales: [String: FeatureScale] = [:]
        for (k, name) in names.enumerated() {
            original[name] = beta[k] / sds[k]
            standardized[name] = beta[k]
            scales[name] = FeatureScale(mean: means[k], sd: sds[k])
        }
        self.ties = objective.ties
        self.features = names
        self.coefficients = original
        self.coefficientsStandardized = standardized
        self.standardization = scales
        self.droppedConstantFeatures = dropped
        self.l2 = objective.l2

        if objective.l2 == 0, let covariance = try? Cholesky(solution.hessian).inverse() {
            var errors: [String: Double] = [:]
            for (k, name) in names.enumerated() {
                errors[name] = max(0, covariance[k, k]).squareRoot() / sds[k]
            }
            self.standardErrors = errors
        } else {
            self.standardErrors = nil
        }

        let (times, hazard) = objective.breslowBaseline(at: beta)
        self.baseline = Baseline(times: times, cumulativeHazard: hazard)
        let penalty = objective.l2 > 0 ? 0.5 * objective.l2 * beta.reduce(0) { $0 + $1 * $1 } : 0
        self.fit = FitDiagnostics(
            iterations: solution.iterations, converged: true, gradientMaxAbs: solution.gradientMaxAbs,
            logPartialLikelihood: -(solution.value - penalty), objective: solution.value,
            rows: objective.rows, events: objective.isEvent.reduce(0) { $0 + ($1 ? 1 : 0) },
            weightSum: weights?.reduce(0, +) ?? Double(objective.rows), eventWeightSum: objective.eventWeight)
        self.concordance = computeConcordance ? try objective.concordance(at: beta).index : nil
    }

    // MARK: - Scoring

    /// Original-scale coefficients in `features` order.
    public var coefficientVector: [Double] { features.map { coefficients[$0] ?? 0 } }

    /// The reference point (training means) in `features` order.
    public var referenceVector: [Double] { features.map { standardization[$0]?.mean ?? 0 } }

    /// Linear predictors `lp = Σⱼ βⱼ·(xⱼ − meanⱼ)` for raw features (row-major n × features.count, in
    /// `features` order), computed as one GEMV on the raw values plus a constant.
    public func linearPredictors(_ rawFeatures: Matrix) throws -> [Double] {
        guard rawFeatures.columns == features.count else {
            throw LinearAlgebraError.dimensionMismatch(
                "model has \(features.count) features, data has \(rawFeatures.columns) columns")
        }
        let beta = coefficientVector
        let offset = -zip(beta, referenceVector).reduce(0) { $0 + $1.0 * $1.1 }
        var lp = [Double](repeating: offset, count: rawFeatures.rows)
        try BLAS.gemv(rawFeatures, beta, beta: 1, into: &lp)
        return lp
    }

    /// Baseline cumulative hazard `H₀(t)` at the reference point: 0 before the first event time, else
    /// the value at the last event time ≤ `time`.
    public func baselineCumulativeHazard(at time: Double) -> Double {
        let index = lastTimeIndex(atMost: time)
        return index < 0 ? 0 : baseline.cumulativeHazard[index]
    }

    /// `S(t | x) = exp(−H₀(t)·e^{lp})`, the probability that the event has not happened by `time`.
    public func survivalProbability(linearPredictor: Double, at time: Double) -> Double {
        exp(-baselineCumulativeHazard(at: time) * exp(linearPredictor))
    }

    /// `P(event by t | x) = 1 − S(t | x)` (computed as `−expm1(−H₀(t)·e^{lp})` for accuracy at small values).
    public func eventProbability(linearPredictor: Double, by time: Double) -> Double {
        -expm1(-baselineCumulativeHazard(at: time) * exp(linearPredictor))
    }

    /// `P(event by time | x)` for each linear predictor.
    public func eventProbabilities(linearPredictors: [Double], by time: Double) -> [Double] {
        let hazard = baselineCumulativeHazard(at: time)
        return linearPredictors.map { -expm1(-hazard * exp($0)) }
    }

    /// Restricted mean time `∫₀^τ S(t | x) dt` up to `horizon` τ (in the durations' unit; 0 for τ ≤ 0).
    public func restrictedMeanTime(linearPredictor: Double, horizon: Double) -> Double {
        restrictedMeanTimes(linearPredictors: [linearPredictor], horizon: horizon)[0]
    }

    /// Restricted mean times up to `horizon` for each linear predictor (see `restrictedMeanTime`).
    public func restrictedMeanTimes(linearPredictors: [Double], horizon: Double) -> [Double] {
        guard horizon > 0 else { return linearPredictors.map { _ in 0 } }
        // Pieces [tⱼ, min(tⱼ₊₁, τ)) on which H₀ = H_j; before t₀, S = 1.
        let last = lastTimeIndex(atMost: horizon)
        let head = last < 0 ? horizon : baseline.times[0]
        var lengths: [Double] = [], hazards: [Double] = []
        if last >= 0 {
            for j in 0...last {
                let end = j < last ? baseline.times[j + 1] : horizon
                lengths.append(end - baseline.times[j])
                hazards.append(baseline.cumulativeHazard[j])
            }
        }
        return linearPredictors.map { lp in
            let scale = exp(lp)
            var total = head
            for j in lengths.indices { total += lengths[j] * exp(-hazards[j] * scale) }
            return total
        }
    }

    /// Index of the last baseline time ≤ `time` (−1 when none).
    private func lastTimeIndex(atMost time: Double) -> Int {
        var low = 0, high = baseline.times.count
        while low < high {
            let mid = (low + high) / 2
            if baseline.times[mid] <= time { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }
}

extension CoxModel: ModelFile {
    /// The `kind` of Cox model files.
    public static let kind = "cox"
    /// The JSON names are the `CodingKeys` as written.
    public static let jsonKeys = ModelFileKeys.codingKeys

    /// Checks the invariants scoring relies on: distinct feature names with finite coefficients and reference
    /// means, and a baseline with finite, non-negative, strictly increasing times and a finite, non-negative,
    /// non-decreasing cumulative hazard of the same length.
    public func validateContents(source: String) throws {
        func malformed(_ detail: String) -> ModelFileError { .malformed(source: source, detail: detail) }
        guard !features.isEmpty, Set(features).count == features.count else {
            throw malformed("\"features\" must be a non-empty list of distinct names")
        }
        for name in features {
            guard let value = coefficients[name] else { throw malformed("no coefficient for feature \"\(name)\"") }
            guard value.isFinite else { throw malformed("coefficient of \"\(name)\" is not finite") }
            guard let scale = standardization[name] else { throw malformed("no standardization for feature \"\(name)\"") }
            guard scale.mean.isFinite, scale.sd.isFinite, scale.sd > 0 else {
                throw malformed("standardization of \"\(name)\" must have a finite mean and a positive sd")
            }
        }
        guard Set(coefficients.keys) == Set(features) else { throw malformed("\"coefficients\" names differ from \"features\"") }
        guard baseline.reference == "mean" else {
            throw malformed("\"baseline.reference\" must be \"mean\", found \"\(baseline.reference)\"")
        }
        let times = baseline.times, hazard = baseline.cumulativeHazard
        guard !times.isEmpty, times.count == hazard.count else {
            throw malformed("\"baseline\" needs as many \"cumulative_hazard\" values as \"times\" (at least one)")
        }
        for j in times.indices {
            guard times[j].isFinite, times[j] >= 0 else { throw malformed("baseline time \(j + 1) is not a finite non-negative number") }
            guard hazard[j].isFinite, hazard[j] >= 0 else { throw malformed("baseline cumulative hazard \(j + 1) is not a finite non-negative number") }
            if j > 0 {
                guard times[j] > times[j - 1] else { throw malformed("baseline times must be strictly increasing (time \(j + 1))") }
                guard hazard[j] >= hazard[j - 1] else {
                    throw malformed("baseline cumulative hazard must be non-decreasing (value \(j + 1))")
                }
            }
        }
    }
}
