/// Why a training run stopped, in one line an analyst can act on (a history too short for the holdout is
/// `Evaluation.HoldoutError.historyTooShort`).
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The training snapshots have only one outcome for a model that needs both.
    case singleClass(model: String, detail: String)
    /// A model fit failed (non-convergence, separation, singular Hessian, ...).
    case fitFailed(model: String, reason: String)
    /// Options outside their valid range.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .singleClass(let model, let detail):
            return "\(model): \(detail)"
        case .fitFailed(let model, let reason):
            return "\(model): fit failed: \(reason)"
        case .invalidOption(let detail):
            return "invalid training option: \(detail)"
        }
    }
}
