/// Why an out-of-time holdout could not be cut or evaluated, in one line an analyst can act on.
public enum HoldoutError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Too few snapshot dates with fully observed outcomes for the holdout (and a training set).
    case historyTooShort(detail: String)
    /// The holdout has only one outcome for a model that needs both.
    case singleClass(model: String, detail: String)
    /// A bundle's snapshot schedule that is neither `monthly` nor `every-N-days`.
    case unknownSchedule(String)

    public var description: String {
        switch self {
        case .historyTooShort(let detail):
            return "history too short: \(detail)"
        case .singleClass(let model, let detail):
            return "\(model): \(detail)"
        case .unknownSchedule(let text):
            return "bundle.json: training.schedule: expected monthly or every-N-days, found \"\(text)\""
        }
    }
}
