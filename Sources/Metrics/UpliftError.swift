/// The two arms of a treatment-effect experiment: examples that received the treatment (e.g. were
/// called) and examples that did not.
public enum TreatmentGroup: String, Codable, Equatable, Sendable {
    /// Examples that received the treatment (`treated[i] == true`).
    case treated
    /// Examples that did not (`treated[i] == false`).
    case control
}

/// A problem specific to ``UpliftMetrics`` (lengths, empty inputs and non-finite elements are
/// ``MetricsError`` values).
public enum UpliftError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No example belongs to `group`; an uplift compares the two groups, so it is undefined.
    case missingGroup(TreatmentGroup)
    /// Outcome `index` is neither 0 nor 1, but the metric (the perfect uplift curve, the perfect
    /// Qini curve without negative effects) is defined for binary outcomes only.
    case nonBinaryOutcome(index: Int)
    /// The top share `k` is not a finite number in `(0, 1)` (scikit-uplift's range).
    case invalidShare(Double)
    /// The top count `k` is not in `1..<examples` (scikit-uplift's range).
    case invalidCount(Int, examples: Int)
    /// With the `byGroup` strategy, the top count `top` exceeds the `groupSize` examples of `group`.
    case topExceedsGroup(TreatmentGroup, top: Int, groupSize: Int)
    /// The top `top` examples contain no example of `group`, so its mean outcome is undefined.
    case groupMissingFromTop(TreatmentGroup, top: Int)
    /// The perfect curve's area above the random line is zero (e.g. every outcome is 0), so the
    /// normalised coefficient would divide by zero.
    case undefinedCoefficient
    /// The overall incremental response `r` is negative, so the perfect Qini curve without negative
    /// effects, `(0, 0) → (r, r) → (n, r)`, does not exist (scikit-uplift fails here as well).
    case negativeOverallUplift(Double)

    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case let .missingGroup(group):
            return "no \(group) examples; an uplift needs both treated and control examples"
        case let .nonBinaryOutcome(index):
            return "outcome \(index) is not 0 or 1; this metric needs binary outcomes"
        case let .invalidShare(k):
            return "top share \(k) must lie in (0, 1)"
        case let .invalidCount(k, examples):
            return "top count \(k) must lie in 1..<\(examples)"
        case let .topExceedsGroup(group, top, size):
            return "top \(top) exceeds the \(size) \(group) examples"
        case let .groupMissingFromTop(group, top):
            return "the top \(top) examples hold no \(group) example"
        case .undefinedCoefficient:
            return "the perfect curve has no area above the random line; the coefficient is undefined"
        case let .negativeOverallUplift(r):
            return "the overall incremental response is \(r) < 0; no perfect Qini curve without negative effects"
        }
    }
}
