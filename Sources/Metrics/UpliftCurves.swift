/// One point of a Qini or uplift curve: the incremental outcome estimated when the top `examples`
/// examples by uplift score are targeted.
public struct UpliftCurvePoint: Codable, Equatable, Sendable {
    /// Number of top-scored examples targeted (the x axis). A whole number, except at the corner
    /// `(r, r)` of the perfect Qini curve without negative effects.
    public var examples: Double
    /// Incremental outcome of targeting them (the y axis), in the outcome's unit: responders for a
    /// binary outcome, currency for cash.
    public var value: Double
    /// The lowest score targeted (the score of the last tie group included); `nil` at the origin
    /// and on the perfect curves, whose ranking is constructed from the outcomes.
    public var threshold: Double?

    /// Creates a point from its coordinates and threshold.
    public init(examples: Double, value: Double, threshold: Double? = nil) {
        self.examples = examples
        self.value = value
        self.threshold = threshold
    }
}

/// Metrics of a treatment-effect (uplift) model on an experiment, as defined by scikit-uplift
/// 0.5.1 (`sklift.metrics`): Qini and uplift curves, their normalised areas, and uplift@k.
///
/// Inputs, one element per example: `scores` (the predicted uplift, higher = target first),
/// `outcomes` (binary 0/1, or real-valued such as cash collected) and `treated` (whether the
/// example received the treatment, e.g. was called). Examples are unweighted.
///
/// Curves: examples are ranked by score, highest first, and the curve is evaluated after each
/// whole group of tied scores (never inside one), so it does not depend on the order of the input
/// rows. With `N`, `N_T`, `N_C` the examples, treated and control examples at or above a cut and
/// `Y_T`, `Y_C` the sums of the treated and of the control outcomes there:
/// - Qini (`qini_curve`): `Q = Y_T − Y_C·(N_T / N_C)`, and `Q = Y_T` while `N_C = 0`;
/// - uplift (`uplift_curve`): `U = (Y_T/N_T − Y_C/N_C)·N`, a ratio counting 0 while its group is empty.
///
/// Both start at `(0, 0)` and have one more point per distinct score; the last point is at `n`.
/// Sums are compensated, so on binary outcomes every `Y` is exact.
///
/// Inputs are checked in this order: `outcomes` and `treated` as long as `scores`
/// (``MetricsError/lengthMismatch(argument:expected:actual:)``); at least one example
/// (``MetricsError/empty``); element by element a NaN or infinite score or outcome
/// (``MetricsError/nonFiniteElement(argument:index:)``); at least one treated and one control
/// example (``UpliftError/missingGroup(_:)``); then each metric's own ``UpliftError`` conditions.
public enum UpliftMetrics {
    /// The Qini curve (`sklift.metrics.qini_curve`): `(0, 0)`, then `(N, Y_T − Y_C·N_T/N_C)` at
    /// the end of each group of tied scores, highest score first (see ``UpliftMetrics``).
    public static func qiniCurve(scores: [Double], outcomes: [Double], treated: [Bool]) throws -> [UpliftCurvePoint] {
        let sample = try UpliftSample(scores: scores, outcomes: outcomes, treated: treated)
        return qiniPoints(sample.cumulativeGroups(rankedBy: scores), thresholds: true)
    }

    /// The uplift curve (`sklift.metrics.uplift_curve`): `(0, 0)`, then
    /// `(N, (Y_T/N_T − Y_C/N_C)·N)` at the end of each group of tied scores (see ``UpliftMetrics``).
    public static func upliftCurve(scores: [Double], outcomes: [Double], treated: [Bool]) throws -> [UpliftCurvePoint] {
        let sample = try UpliftSample(scores: scores, outcomes: outcomes, treated: treated)
        return upliftPoints(sample.cumulativeGroups(rankedBy: scores), thresholds: true)
    }

    /// The perfect Qini curve (`sklift.metrics.perfect_qini_curve`).
    ///
    /// - With `negativeEffect` (the default): the Qini curve of the ranking that puts treated
    ///   examples first by descending outcome and control examples last by ascending outcome
    ///   (sklift's score `y·t − y·(1 − t)`); for binary outcomes: treated responders, then every
    ///   non-responder, then control responders, so the curve rises and then falls. Any real
    ///   outcomes are accepted.
    /// - Without: `(0, 0) → (r, r) → (n, r)` with `r = Σ_T y − N_T·(Σ_C y)/N_C` the overall
    ///   incremental response, i.e. the `r` persuadable responders first and no harmed ones. Binary
    ///   outcomes only (``UpliftError/nonBinaryOutcome(index:)``); `r < 0` throws
    ///   ``UpliftError/negativeOverallUplift(_:)``.
    ///
    /// Thresholds are `nil`.
    public static func perfectQiniCurve(
        outcomes: [Double], treated: [Bool], negativeEffect: Bool = true
    ) throws -> [UpliftCurvePoint] {
        let sample = try UpliftSample(scores: outcomes.map { _ in 0 }, outcomes: outcomes, treated: treated)
        return try perfectQiniPoints(sample, negativeEffect: negativeEffect)
    }

    /// The perfect uplift curve (`sklift.metrics.perfect_uplift_curve`), for binary outcomes only.
    ///
    /// The uplift curve of the ranking: treated responders, then control non-responders, then — if
    /// control responders outnumber treated non-responders — control responders before treated
    /// non-responders, otherwise the reverse (sklift's score `2·[y = t] + (y or t)`). Thresholds
    /// are `nil`.
    ///
    /// - Throws: ``UpliftError/nonBinaryOutcome(index:)`` for an outcome other than 0 or 1.
    public static func perfectUpliftCurve(outcomes: [Double], treated: [Bool]) throws -> [UpliftCurvePoint] {
        let sample = try UpliftSample(scores: outcomes.map { _ in 0 }, outcomes: outcomes, treated: treated)
        return try perfectUpliftPoints(sample)
    }

    // MARK: - Shared steps

    static func qiniPoints(_ groups: [CumulativeGroup], thresholds: Bool) -> [UpliftCurvePoint] {
        [UpliftCurvePoint(examples: 0, value: 0)] + groups.map { g in
            let treatedShare = g.control > 0 ? Double(g.treated) / Double(g.control) : 0
            return UpliftCurvePoint(
                examples: Double(g.examples), value: g.treatedOutcome - g.controlOutcome * treatedShare,
                threshold: thresholds ? g.key : nil)
        }
    }

    static func upliftPoints(_ groups: [CumulativeGroup], thresholds: Bool) -> [UpliftCurvePoint] {
        [UpliftCurvePoint(examples: 0, value: 0)] + groups.map { g in
            let treatedMean = g.treated > 0 ? g.treatedOutcome / Double(g.treated) : 0
            let controlMean = g.control > 0 ? g.controlOutcome / Double(g.control) : 0
            return UpliftCurvePoint(
                examples: Double(g.examples), value: (treatedMean - controlMean) * Double(g.examples),
                threshold: thresholds ? g.key : nil)
        }
    }

    static func perfectQiniPoints(_ sample: UpliftSample, negativeEffect: Bool) throws -> [UpliftCurvePoint] {
        if negativeEffect {
            let keys = sample.outcomes.indices.map { i in sample.treated[i] ? sample.outcomes[i] : -sample.outcomes[i] }
            return qiniPoints(sample.cumulativeGroups(rankedBy: keys), thresholds: false)
        }
        try sample.requireBinaryOutcomes()
        guard let all = sample.cumulativeGroups(rankedBy: sample.scores.map { _ in 0 }).last else { return [] }
        let r = all.treatedOutcome - Double(all.treated) * all.controlOutcome / Double(all.control)
        guard r >= 0 else { throw UpliftError.negativeOverallUplift(r) }
        return [
            UpliftCurvePoint(examples: 0, value: 0),
            UpliftCurvePoint(examples: r, value: r),
            UpliftCurvePoint(examples: Double(sample.count), value: r),
        ]
    }

    static func perfectUpliftPoints(_ sample: UpliftSample) throws -> [UpliftCurvePoint] {
        try sample.requireBinaryOutcomes()
        var controlResponders = 0, treatedNonResponders = 0
        for i in sample.outcomes.indices {
            if sample.treated[i], sample.outcomes[i] == 0 { treatedNonResponders += 1 }
            if !sample.treated[i], sample.outcomes[i] == 1 { controlResponders += 1 }
        }
        let byOutcome = controlResponders > treatedNonResponders
        let keys = sample.outcomes.indices.map { i -> Double in
            let y = sample.outcomes[i], t: Double = sample.treated[i] ? 1 : 0
            return 2 * (y == t ? 1 : 0) + (byOutcome ? y : t)
        }
        return upliftPoints(sample.cumulativeGroups(rankedBy: keys), thresholds: false)
    }
}
