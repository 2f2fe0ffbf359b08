import Bundles
import FileSafety
import Models
import Receivables
import Scoring
import Tabular

/// The kinds of failure a job reports, each with its own exit status (README: "Exit status").
public enum FailureKind: Sendable, Equatable {
    /// Options or a configuration file the command cannot use (a bad `--config`, an existing `--version`).
    case usage
    /// Input data that cannot be used: a missing or malformed file or column, too many bad rows.
    case badInput
    /// A model bundle or model file that is missing, malformed or inconsistent, or gives non-finite scores.
    case bundleInvalid
    /// Output that could not be written or published (queue folder, `latest`, bundle, predictions, metrics file).
    case outputFailed
    /// Anything else (a model that cannot be fitted, an internal error).
    case other

    /// The kind of `error`, from its type (and, for `ArscoreError`, from its `kind`).
    public static func of(_ error: Error) -> FailureKind {
        switch error {
        case let error as ArscoreError: return error.kind
        case let error as ReceivablesError:
            if case .invalidOption = error { return .usage }
            return .badInput
        case is CSVError: return .badInput
        case let error as BundleError:
            switch error {
            case .missing, .invalid: return .bundleInvalid
            case .versionExists: return .usage
            case .unwritable: return .outputFailed
            }
        case is ModelFileError: return .bundleInvalid
        case is FileSafetyError: return .outputFailed
        case is PolicyError: return .usage
        default: return .other
        }
    }
}
