/// An input problem reported by ``ClassificationMetrics`` and ``BinaryClassificationSummary``
/// (and, for lengths, empty inputs and bad elements, by ``UpliftMetrics`` and ``OffPolicyValue``).
///
/// Inputs are checked in this order and the first problem found is thrown:
/// 1. the bin count (``invalidBinCount(_:)``, calibration only);
/// 2. array lengths (``lengthMismatch(argument:expected:actual:)``);
/// 3. no rows at all (``empty``);
/// 4. row by row, in index order: a non-finite score, probability or weight
///    (``nonFinite(index:)``), a probability outside `[0, 1]`
///    (``probabilityOutOfRange(index:)``, probability-based metrics only), a negative weight
///    (``negativeWeight(index:)``);
/// 5. a total weight of zero (``empty``);
/// 6. a class with zero total weight (``singleClass``, ranking metrics only: AUC, Gini, KS,
///    ROC curve and the summary).
public enum MetricsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No rows, or every row has weight zero.
    case empty
    /// `argument` has `actual` elements where `expected` (the length of the scores or
    /// probabilities) were required.
    case lengthMismatch(argument: String, expected: Int, actual: Int)
    /// Only one class carries weight (all labels equal, or every row of one class has weight
    /// zero); ranking metrics are undefined.
    case singleClass
    /// Row `index` has a NaN or infinite score, probability or weight.
    case nonFinite(index: Int)
    /// Row `index` has a negative weight.
    case negativeWeight(index: Int)
    /// Row `index` has a probability outside `[0, 1]`.
    case probabilityOutOfRange(index: Int)
    /// The requested number of calibration bins is not at least 1.
    case invalidBinCount(Int)
    /// Element `index` of the array `argument` is NaN or infinite (the uplift and off-policy
    /// metrics, which take several numeric arrays, name the one at fault).
    case nonFiniteElement(argument: String, index: Int)
    /// Element `index` of the array `argument` is `value`, outside the interval `allowed`
    /// (written like `"(0, 1]"`).
    case outOfRange(argument: String, index: Int, value: Double, allowed: String)

    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case .empty:
            return "no rows with non-zero weight"
        case let .lengthMismatch(argument, expected, actual):
            return "\(argument) has \(actual) elements, expected \(expected)"
        case .singleClass:
            return "only one class is present (with non-zero weight); the metric is undefined"
        case let .nonFinite(index):
            return "row \(index) has a non-finite score, probability or weight"
        case let .negativeWeight(index):
            return "row \(index) has a negative weight"
        case let .probabilityOutOfRange(index):
            return "row \(index) has a probability outside [0, 1]"
        case let .invalidBinCount(bins):
            return "calibration needs at least 1 bin, got \(bins)"
        case let .nonFiniteElement(argument, index):
            return "\(argument)[\(index)] is not a finite number"
        case let .outOfRange(argument, index, value, allowed):
            return "\(argument)[\(index)] is \(value), outside \(allowed)"
        }
    }
}
