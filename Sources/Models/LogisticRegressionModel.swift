import Foundation
import LinearAlgebra
import Parallelism
import Metrics

/// A fitted logistic regression: coefficients on both scales, the standardisation, fit diagnostics
/// and training metrics. Its JSON form (`kind: "logistic"`) is the model file `arscore fit` writes.
///
/// Scoring uses the original-scale coefficients, so raw feature values go straight into one GEMV:
/// `P(y = 1 | x) = σ(intercept + Σⱼ coefficients[j]·xⱼ)`.
public struct LogisticRegressionModel: Codable, Equatable, Sendable {
    /// Model-file format version.
    public var formatVersion: Int = 1
    /// Always `"logistic"`.
    public var kind: String = LogisticRegressionModel.kind
    /// Features the model uses, in scoring order (constant features already dropped).
    public var features: [String]
    /// Intercept on the original feature scale.
    public var intercept: Double
    /// Original-scale coefficient per feature name.
    public var coefficients: [String: Double]
    /// Intercept on the standardised scale.
    public var interceptStandardized: Double
    /// Standardised coefficient per feature name (the penalised quantities).
    public var coefficientsStandardized: [String: Double]
    /// Weighted mean and population standard deviation per feature.
    public var standardization: [String: FeatureScale]
    /// Features dropped because they were constant in the training data.
    public var droppedConstantFeatures: [String]
    /// Ridge strength used (0 = maximum likelihood).
    public var l2: Double
    /// Asymptotic standard errors (original scale, `"(intercept)"` included); only for `l2 = 0`.
    public var standardErrors: [String: Double]?
    /// Fit diagnostics.
    public var fit: FitDiagnostics
    /// Metrics on the training rows.
    public var trainingMetrics: BinaryClassificationSummary?

    /// Mean and population standard deviation of one feature.
    public struct FeatureScale: Codable, Equatable, Sendable {
        public var mean: Double
        public var sd: Double
    }

    /// How the Newton fit ended.
    public struct FitDiagnostics: Codable, Equatable, Sendable {
        /// Newton iterations taken.
        public var iterations: Int
        /// Whether the gradient tolerance was met.
        public var converged: Bool
        /// `max |gradient|` of the objective at the solution.
        public var gradientMaxAbs: Double
        /// Weighted log-likelihood `Σ wᵢ·[yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)]` (natural log).
        public var logLikelihood: Double
        /// Penalised objective value (−logLikelihood + penalty).
        public var objective: Double
        /// Training rows.
        public var rows: Int
        /// Sum of sample weights.
        public var weightSum: Double

        enum CodingKeys: String, CodingKey {
            case iterations, converged, objective, rows
            case gradientMaxAbs = "gradient_max_abs"
            case logLikelihood = "log_likelihood"
            case weightSum = "weight_sum"
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, features, intercept, coefficients, standardization, l2, fit
        case formatVersion = "format_version"
        case interceptStandardized = "intercept_standardized"
        case coefficientsStandardized = "coefficients_standardized"
        case droppedConstantFeatures = "dropped_constant_features"
        case standardErrors = "standard_errors"
        case trainingMetrics = "training_metrics"
    }

    /// Name under which the intercept's standard error is stored.
    public static let interceptKey = "(intercept)"

    /// A model from known original-scale coefficients (e.g. to score with coefficients fitted elsewhere).
    ///
    /// The standardisation is the identity and fit diagnostics are empty (`iterations = 0`).
    public init(features: [String], intercept: Double, coefficients: [String: Double]) {
        self.features = features
        self.intercept = intercept
        self.coefficients = coefficients
        self.interceptStandardized = intercept
        self.coefficientsStandardized = coefficients
        self.standardization = Dictionary(uniqueKeysWithValues: features.map { ($0, FeatureScale(mean: 0, sd: 1)) })
        self.droppedConstantFeatures = []
        self.l2 = 0
        self.standardErrors = nil
        self.fit = FitDiagnostics(iterations: 0, converged: false, gradientMaxAbs: 0, logLikelihood: 0,
                                  objective: 0, rows: 0, weightSum: 0)
        self.trainingMetrics = nil
    }

    /// Builds the model from a converged Newton solution on the standardised design.
    init(
        solution: NewtonResult, standardization: FeatureStandardization, kept: [Int], dropped: [String],
        design: StandardizedDesign, labels: [Double], weights: [Double]?, l2: Double, computeTrainingMetrics: Bool
    ) throws {
        let names = kept.map { standardization.featureNames[$0] }
        let means = kept.map { standardization.means[$0] }
        let sds = kept.map { standardization.standardDeviations[$0] }
        let beta = solution.parameters
        var originalIntercept = beta[0]
        var original: [String: Double] = [:], standardized: [String: Double] = [:], scales: [String: FeatureScale] = [:]
        for (k, name) in names.enumerated() {
            original[name] = beta[k + 1] / sds[k]
            standardized[name] = beta[k + 1]
            originalIntercept -= beta[k + 1] * means[k] / sds[k]
            scales[name] = FeatureScale(mean: means[k], sd: sds[k])
        }
        self.features = names
        self.intercept = originalIntercept
        self.coefficients = original
        self.interceptStandardized = beta[0]
        self.coefficientsStandardized = standardized
        self.standardization = scales
        self.droppedConstantFeatures = dropped
        self.l2 = l2

        if l2 == 0, let covariance = try? Cholesky(solution.hessian).inverse() {
            var errors: [String: Double] = [:]
            for (k, name) in names.enumerated() {
                errors[name] = covariance[k + 1, k + 1].squareRoot() / sds[k]
            }
            // Var(b_orig) = aᵀ·Cov·a with a = [1, −m₁/s₁, …, −m_k/s_k].
            let a = [1.0] + zip(means, sds).map { -$0 / $1 }
            let covA = try BLAS.multiply(covariance, a)
            errors[Self.interceptKey] = max(0, try BLAS.dot(a, covA)).squareRoot()
            self.standardErrors = errors
        } else {
            self.standardErrors = nil
        }

        let penalty = l2 > 0 ? 0.5 * l2 * beta.dropFirst().reduce(0) { $0 + $1 * $1 } : 0
        self.fit = FitDiagnostics(
            iterations: solution.iterations, converged: true, gradientMaxAbs: solution.gradientMaxAbs,
            logLikelihood: -(solution.value - penalty), objective: solution.value,
            rows: labels.count, weightSum: weights?.reduce(0, +) ?? Double(labels.count))
        if computeTrainingMetrics {
            var probabilities = try design.linearPredictors(beta)
            probabilities.withUnsafeMutableBufferPointer { Self.applySigmoidInPlace($0) }
            self.trainingMetrics = try? BinaryClassificationSummary.evaluate(
                probabilities: probabilities, labels: labels.map { $0 == 1 }, weights: weights)
        } else {
            self.trainingMetrics = nil
        }
    }

    /// Original-scale coefficients in `features` order.
    public var coefficientVector: [Double] { features.map { coefficients[$0] ?? 0 } }

    /// Linear predictors `η = intercept + X·β` for raw features (row-major n × features.count, in `features` order).
    public func linearPredictors(_ rawFeatures: Matrix) throws -> [Double] {
        guard rawFeatures.columns == features.count else {
            throw LinearAlgebraError.dimensionMismatch(
                "model has \(features.count) features, data has \(rawFeatures.columns) columns")
        }
        var eta = [Double](repeating: intercept, count: rawFeatures.rows)
        try BLAS.gemv(rawFeatures, coefficientVector, beta: 1, into: &eta)
        return eta
    }

    /// `P(y = 1 | x)` for raw features (row-major n × features.count, in `features` order).
    public func probabilities(_ rawFeatures: Matrix) throws -> [Double] {
        var eta = try linearPredictors(rawFeatures)
        eta.withUnsafeMutableBufferPointer { Self.applySigmoidInPlace($0) }
        return eta
    }

    /// Replaces each linear predictor with its probability, on all cores for large batches.
    public static func applySigmoidInPlace(_ values: UnsafeMutableBufferPointer<Double>) {
        let count = values.count
        let chunk = 1 << 16
        let chunks = (count + chunk - 1) / chunk
        guard chunks > 1, let baseAddress = values.baseAddress else {
            for i in 0..<count { values[i] = LogisticFunctions.sigmoid(values[i]) }
            return
        }
        // Chunks are disjoint, so concurrent writes never overlap.
        nonisolated(unsafe) let base = baseAddress
        Parallel.perform(chunks) { c in
            let start = c * chunk, end = min(start + chunk, count)
            for i in start..<end { base[i] = LogisticFunctions.sigmoid(base[i]) }
        }
    }
}

extension LogisticRegressionModel: ModelFile {
    /// The `kind` of logistic model files.
    public static let kind = "logistic"
    /// The JSON names are the `CodingKeys` as written.
    public static let jsonKeys = ModelFileKeys.codingKeys

    /// Checks the invariants scoring relies on: distinct feature names, each with a finite coefficient and a
    /// standardisation with a finite mean and a positive sd, and a finite intercept.
    public func validateContents(source: String) throws {
        guard !features.isEmpty, Set(features).count == features.count else {
            throw ModelFileError.malformed(source: source, detail: "\"features\" must be a non-empty list of distinct names")
        }
        guard intercept.isFinite else { throw ModelFileError.malformed(source: source, detail: "\"intercept\" is not finite") }
        for name in features {
            guard let value = coefficients[name] else {
                throw ModelFileError.malformed(source: source, detail: "no coefficient for feature \"\(name)\"")
            }
            guard value.isFinite else {
                throw ModelFileError.malformed(source: source, detail: "coefficient of \"\(name)\" is not finite")
            }
            guard let scale = standardization[name] else {
                throw ModelFileError.malformed(source: source, detail: "missing key \"standardization.\(name)\"")
            }
            guard scale.mean.isFinite, scale.sd.isFinite, scale.sd > 0 else {
                throw ModelFileError.malformed(
                    source: source, detail: "\"standardization.\(name)\" must have a finite mean and a positive sd, got "
                        + "mean \(scale.mean), sd \(scale.sd)")
            }
        }
        guard interceptStandardized.isFinite, coefficientsStandardized.values.allSatisfy(\.isFinite) else {
            throw ModelFileError.malformed(source: source, detail: "\"intercept_standardized\" or \"coefficients_standardized\" is not finite")
        }
        guard Set(coefficients.keys) == Set(features) else {
            throw ModelFileError.malformed(source: source, detail: "\"coefficients\" names differ from \"features\"")
        }
    }
}
