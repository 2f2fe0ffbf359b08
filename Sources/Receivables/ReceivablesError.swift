import Tabular

/// Why an export folder could not be loaded. Each description is one line naming the file.
public enum ReceivablesError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The export folder itself is missing or not a folder.
    case missingFolder(String)
    /// A required file is absent.
    case missingFile(folder: String, file: String)
    /// A required column is absent from a file's header.
    case missingColumn(file: String, column: String)
    /// More rows of a file were rejected than the threshold allows; nothing may be published.
    case tooManyBadRows(file: String, rejected: Int, total: Int, threshold: Double, first: QuarantinedRow?)
    /// The file cannot be read as CSV at all (unreadable, empty, broken quoting).
    case unreadable(CSVError)
    /// An option is out of range.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .missingFolder(let folder):
            return "\(folder): export folder not found"
        case .missingFile(let folder, let file):
            return "\(folder)/\(file): required file is missing"
        case .missingColumn(let file, let column):
            return "\(file): missing required column \"\(column)\""
        case .tooManyBadRows(let file, let rejected, let total, let threshold, let first):
            let share = total == 0 ? 0 : 100 * Double(rejected) / Double(total)
            var text = "\(file): \(rejected) of \(total) rows rejected (\(Self.percent(share))%), over the "
                + "\(Self.percent(100 * threshold))% bad-row threshold"
            if let first {
                text += "; first: line \(first.line)"
                if let field = first.field { text += ", column \"\(field)\"" }
                text += ": \(first.reason)"
            }
            return text
        case .unreadable(let error):
            return error.description
        case .invalidOption(let detail):
            return detail
        }
    }

    static func percent(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
