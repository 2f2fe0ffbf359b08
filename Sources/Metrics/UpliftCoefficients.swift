extension UpliftMetrics {
    /// The Qini coefficient (`sklift.metrics.qini_auc_score`): the area between the model's Qini
    /// curve and the random line, divided by the same area for the perfect Qini curve.
    ///
    ///     coefficient = (A(model) − A(random)) / (A(perfect) − A(random))
    ///
    /// `A` is the trapezoidal area under a curve's points (``qiniCurve(scores:outcomes:treated:)``,
    /// ``perfectQiniCurve(outcomes:treated:negativeEffect:)``), in examples × outcome units; the
    /// random line joins `(0, 0)` to the perfect curve's last point `(n, Q(n))`, which is also the
    /// model's last point, so `A(random) = n·Q(n)/2`. 1 is the perfect ranking, 0 is no better than
    /// random (e.g. all scores tied), negative is worse. Ties in the score are whole groups (see
    /// ``UpliftMetrics``). `negativeEffect` chooses the perfect curve (with or without harmed
    /// examples; without needs binary outcomes).
    ///
    /// - Throws: the input errors of ``UpliftMetrics``, ``UpliftError/nonBinaryOutcome(index:)`` and
    ///   ``UpliftError/negativeOverallUplift(_:)`` (without negative effects), and
    ///   ``UpliftError/undefinedCoefficient`` when the perfect curve has no area above the random line.
    public static func qiniCoefficient(
        scores: [Double], outcomes: [Double], treated: [Bool], negativeEffect: Bool = true
    ) throws -> Double {
        let sample = try UpliftSample(scores: scores, outcomes: outcomes, treated: treated)
        let model = qiniPoints(sample.cumulativeGroups(rankedBy: scores), thresholds: false)
        let perfect = try perfectQiniPoints(sample, negativeEffect: negativeEffect)
        return try normalisedArea(model: model, perfect: perfect)
    }

    /// The normalised area under the uplift curve (`sklift.metrics.uplift_auc_score`), for binary
    /// outcomes: `(A(model) − A(random)) / (A(perfect) − A(random))` with the curves
    /// ``upliftCurve(scores:outcomes:treated:)`` and ``perfectUpliftCurve(outcomes:treated:)`` and
    /// the random line from `(0, 0)` to their common last point (see
    /// ``qiniCoefficient(scores:outcomes:treated:negativeEffect:)`` for the conventions).
    ///
    /// - Throws: the input errors of ``UpliftMetrics``, ``UpliftError/nonBinaryOutcome(index:)``,
    ///   and ``UpliftError/undefinedCoefficient`` when the perfect curve has no area above the random line.
    public static func upliftCoefficient(scores: [Double], outcomes: [Double], treated: [Bool]) throws -> Double {
        let sample = try UpliftSample(scores: scores, outcomes: outcomes, treated: treated)
        let perfect = try perfectUpliftPoints(sample)
        let model = upliftPoints(sample.cumulativeGroups(rankedBy: scores), thresholds: false)
        return try normalisedArea(model: model, perfect: perfect)
    }

    /// `(A(model) − A(random)) / (A(perfect) − A(random))`, the random line ending at the perfect
    /// curve's last point.
    static func normalisedArea(model: [UpliftCurvePoint], perfect: [UpliftCurvePoint]) throws -> Double {
        guard let end = perfect.last else { throw UpliftError.undefinedCoefficient }
        let random = end.examples * end.value / 2
        let perfectGain = trapezoidalArea(perfect) - random
        guard perfectGain != 0, perfectGain.isFinite else { throw UpliftError.undefinedCoefficient }
        return (trapezoidalArea(model) - random) / perfectGain
    }

    /// `Σ (x_{i+1} − x_i)·(y_{i+1} + y_i)/2` over consecutive points, compensated.
    static func trapezoidalArea(_ points: [UpliftCurvePoint]) -> Double {
        var area = CompensatedSum()
        for i in points.indices.dropFirst() {
            area.add((points[i].examples - points[i - 1].examples) * (points[i].value + points[i - 1].value) / 2)
        }
        return area.value
    }
}
