/// Why a training run stopped, in one line an analyst can act on.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Too few snapshot dates with fully observed outcomes for the holdout and a training set.
    case historyTooShort(detail: String)
    /// The training snapshots have only one outcome for a model that needs both.
    case singleClass(model: String, detail: String)
    /// A model fit failed (non-convergence, separation, singular Hessian, ...).
    case fitFailed(model: String, reason: String)
    /// Options outside their valid range.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .historyTooShort(let detail):
            return "history too short: \(detail)"
        case .singleClass(let model, let detail):
            return "\(model): \(detail)"
        case .fitFailed(let model, let reason):
            return "\(model): fit failed: \(reason)"
        case .invalidOption(let detail):
            return "invalid training option: \(detail)"
        }
    }
}
