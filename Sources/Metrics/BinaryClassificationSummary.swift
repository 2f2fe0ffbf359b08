/// All headline metrics of one scored data set, for storing training and holdout quality in a
/// model's JSON.
///
/// Every value follows the definitions in ``ClassificationMetrics``; the probabilities are
/// used both as ranking scores (AUC, KS, Gini) and as probabilities (log-loss, Brier,
/// calibration). `count` and `positives` count rows (all rows, including zero-weight ones);
/// every other field is weighted when weights are given.
public struct BinaryClassificationSummary: Codable, Equatable, Sendable {
    /// Number of rows.
    public var count: Int
    /// Number of rows labelled positive.
    public var positives: Int
    /// Area under the ROC curve (ties count 1/2).
    public var auc: Double
    /// Mean log-loss with probabilities clipped to `[1e-15, 1 − 1e-15]`.
    public var logLoss: Double
    /// Mean squared error of the probabilities (Brier score).
    public var brier: Double
    /// Kolmogorov–Smirnov statistic.
    public var ks: Double
    /// `2·auc − 1`.
    public var gini: Double
    /// Calibration table over quantile bins of predicted probability.
    public var calibration: [CalibrationBin]

    /// Creates a summary from already computed metrics (normally use ``evaluate(probabilities:labels:weights:bins:)``).
    public init(
        count: Int, positives: Int, auc: Double, logLoss: Double, brier: Double, ks: Double,
        gini: Double, calibration: [CalibrationBin]
    ) {
        self.count = count
        self.positives = positives
        self.auc = auc
        self.logLoss = logLoss
        self.brier = brier
        self.ks = ks
        self.gini = gini
        self.calibration = calibration
    }

    /// Computes every metric of the summary with a single sort of the data.
    ///
    /// - Parameter bins: number of calibration bins (default 10 = deciles).
    /// - Throws: ``MetricsError/singleClass`` when one class has no (non-zero) weight, and
    ///   the errors of ``ClassificationMetrics/calibration(probabilities:labels:weights:bins:)``.
    public static func evaluate(
        probabilities: [Double], labels: [Bool], weights: [Double]? = nil, bins: Int = 10
    ) throws -> BinaryClassificationSummary {
        guard bins >= 1 else { throw MetricsError.invalidBinCount(bins) }
        _ = try ClassificationMetrics.validate(
            probabilities, kind: .probability, labels: labels, weights: weights, requireBothClasses: true)
        let sorted = SortedScores(scores: probabilities, labels: labels, weights: weights)
        let auc = ClassificationMetrics.rocAUC(sorted)
        return BinaryClassificationSummary(
            count: labels.count,
            positives: labels.reduce(0) { $0 + ($1 ? 1 : 0) },
            auc: auc,
            logLoss: try ClassificationMetrics.logLoss(probabilities: probabilities, labels: labels, weights: weights),
            brier: try ClassificationMetrics.brierScore(probabilities: probabilities, labels: labels, weights: weights),
            ks: ClassificationMetrics.ksStatistic(sorted),
            gini: 2 * auc - 1,
            calibration: ClassificationMetrics.calibration(sorted, bins: bins)
        )
    }
}
