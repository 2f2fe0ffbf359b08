/// One point of a ROC curve: the rates obtained by calling every row with `score >= threshold`
/// positive.
///
/// The first point of a curve has `threshold == +infinity` (nothing called positive), like
/// scikit-learn. JSON cannot hold infinity, so an infinite threshold is encoded as `null` and
/// `null` decodes as `+infinity`; finite thresholds round-trip unchanged.
public struct ROCPoint: Codable, Equatable, Sendable {
    /// Weighted share of negative rows with `score >= threshold`.
    public var falsePositiveRate: Double
    /// Weighted share of positive rows with `score >= threshold`.
    public var truePositiveRate: Double
    /// The score cut-off; `+infinity` for the starting point `(0, 0)`.
    public var threshold: Double

    /// Creates a point from its two rates and its threshold.
    public init(falsePositiveRate: Double, truePositiveRate: Double, threshold: Double) {
        self.falsePositiveRate = falsePositiveRate
        self.truePositiveRate = truePositiveRate
        self.threshold = threshold
    }

    private enum CodingKeys: String, CodingKey {
        case falsePositiveRate, truePositiveRate, threshold
    }

    /// Decodes a point; a missing or `null` threshold becomes `+infinity`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        falsePositiveRate = try container.decode(Double.self, forKey: .falsePositiveRate)
        truePositiveRate = try container.decode(Double.self, forKey: .truePositiveRate)
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? .infinity
    }

    /// Encodes a point; an infinite threshold is written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(falsePositiveRate, forKey: .falsePositiveRate)
        try container.encode(truePositiveRate, forKey: .truePositiveRate)
        if threshold.isFinite {
            try container.encode(threshold, forKey: .threshold)
        } else {
            try container.encodeNil(forKey: .threshold)
        }
    }
}

extension ClassificationMetrics {
    /// ROC curve with one point per distinct score, like sklearn
    /// `roc_curve(drop_intermediate=False)`.
    ///
    /// Points are ordered by decreasing threshold: the first is `(0, 0)` at threshold
    /// `+infinity`, then one point per distinct score (of rows with non-zero weight), the last
    /// being `(1, 1)` at the lowest score. Rates are cumulative weights divided by the class
    /// totals, so the last point is exactly `(1, 1)`. The result has `distinct scores + 1`
    /// points; the trapezoidal area under it is ``rocAUC(scores:labels:weights:)``.
    ///
    /// - Throws: ``MetricsError/singleClass`` when one class has no (non-zero) weight (a rate
    ///   would be 0/0), and the input errors listed on ``MetricsError``.
    public static func rocCurve(scores: [Double], labels: [Bool], weights: [Double]? = nil) throws -> [ROCPoint] {
        _ = try validate(scores, kind: .score, labels: labels, weights: weights, requireBothClasses: true)
        let sorted = SortedScores(scores: scores, labels: labels, weights: weights)
        var points = [ROCPoint(falsePositiveRate: 0, truePositiveRate: 0, threshold: .infinity)]
        var truePositives = CompensatedSum()
        var falsePositives = CompensatedSum()
        sorted.forEachGroup { group in
            truePositives.add(group.positiveWeight)
            falsePositives.add(group.negativeWeight)
            points.append(ROCPoint(
                falsePositiveRate: falsePositives.value / sorted.negativeTotal,
                truePositiveRate: truePositives.value / sorted.positiveTotal,
                threshold: group.score
            ))
        }
        return points
    }
}
