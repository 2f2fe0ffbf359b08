/// Why a model could not be fitted, in words an analyst can act on.
public enum ModelFitError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No rows (or zero total weight) to fit on.
    case noData
    /// Shapes of features, labels, weights or names disagree.
    case shapeMismatch(String)
    /// A label is not 0 or 1 (row index is 0-based in the data given to the fit).
    case invalidLabel(row: Int, value: Double)
    /// A fractional target (share) is NaN, infinite or outside [0, 1] (row index is 0-based in the data given to the fit).
    case invalidShare(row: Int, value: Double)
    /// Every fractional target of positive weight is the same bound (0 or 1), so the fit has no finite optimum.
    case constantShare(Double)
    /// A weight is negative, NaN or infinite.
    case invalidWeight(row: Int, value: Double)
    /// A feature value is NaN or infinite.
    case nonFiniteFeature(row: Int, feature: String)
    /// All rows have the same label, so there is nothing to separate.
    case singleClass(label: Double)
    /// Every feature is constant.
    case noUsableFeatures(dropped: [String])
    /// The classes are (quasi-)perfectly separated: the maximum-likelihood estimate does not exist.
    case perfectSeparation(features: [String])
    /// The Hessian became singular: collinear features or divergence.
    case singularHessian(features: [String])
    /// Newton's method did not meet the gradient tolerance.
    case didNotConverge(iterations: Int, gradientMaxAbs: Double)
    /// The l2 strength is negative or not finite.
    case invalidPenalty(Double)
    /// A duration is negative, NaN or infinite (row index is 0-based in the data given to the fit).
    case invalidDuration(row: Int, value: Double)
    /// An event indicator is not 0 or 1.
    case invalidEvent(row: Int, value: Double)
    /// No row with non-zero weight has an event: the partial likelihood is empty.
    case noEvents
    /// Monotone likelihood: these features (nearly) order the event times, so the unpenalised estimate does not exist.
    case monotoneLikelihood(features: [String])
    /// A call-window count that is negative, not finite, or has more contacts than attempts.
    case invalidCount(row: Int, window: Int, attempts: Double, contacts: Double)
    /// Options outside their valid range.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .noData:
            return "no rows to fit on"
        case .shapeMismatch(let detail):
            return "inconsistent inputs: \(detail)"
        case .invalidLabel(let row, let value):
            return "target must be 0 or 1, found \(value) in data row \(row + 1)"
        case .invalidShare(let row, let value):
            return "target share must be a finite number in [0, 1], found \(value) in data row \(row + 1)"
        case .constantShare(let value):
            return "every target share is \(Int(value)); the fractional fit needs some shares above 0 and some below 1"
        case .invalidWeight(let row, let value):
            return "weights must be finite and non-negative, found \(value) in data row \(row + 1)"
        case .nonFiniteFeature(let row, let feature):
            return "feature \"\(feature)\" is not finite in data row \(row + 1)"
        case .singleClass(let label):
            return "target has a single class (every row is \(Int(label))); need both 0 and 1"
        case .noUsableFeatures(let dropped):
            return "every feature is constant (\(dropped.joined(separator: ", "))); nothing to fit"
        case .perfectSeparation(let features):
            let named = features.isEmpty ? "the features" : features.map { "\"\($0)\"" }.joined(separator: ", ")
            return "perfect separation: \(named) predict the target exactly for some or all rows, so the maximum-likelihood estimate does not exist; add a penalty with --l2 (for example --l2 1)"
        case .singularHessian(let features):
            let named = features.isEmpty ? "" : " among " + features.map { "\"\($0)\"" }.joined(separator: ", ")
            return "the Hessian is singular: features are collinear\(named); remove redundant features or use --l2"
        case .didNotConverge(let iterations, let gradient):
            return "did not converge after \(iterations) Newton iterations (max |gradient| \(gradient)); try --l2 or fewer features"
        case .invalidPenalty(let value):
            return "l2 must be finite and non-negative, got \(value)"
        case .invalidDuration(let row, let value):
            return "duration must be finite and non-negative, found \(value) in data row \(row + 1)"
        case .invalidEvent(let row, let value):
            return "event must be 0 or 1, found \(value) in data row \(row + 1)"
        case .noEvents:
            return "no events (every row is censored or has weight 0); nothing to fit"
        case .invalidCount(let row, let window, let attempts, let contacts):
            return "call-window counts must be finite with 0 ≤ contacts ≤ attempts, found \(contacts) contacts "
                + "of \(attempts) attempts in data row \(row + 1), window \(window + 1)"
        case .invalidOption(let detail):
            return "invalid option: \(detail)"
        case .monotoneLikelihood(let features):
            let named = features.isEmpty ? "the features" : features.map { "\"\($0)\"" }.joined(separator: ", ")
            return "monotone likelihood: \(named) order the event times (almost) perfectly, so the unpenalised fit diverges; add a penalty with --l2 (for example --l2 1)"
        }
    }
}
