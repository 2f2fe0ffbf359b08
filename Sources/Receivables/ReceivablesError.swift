import Foundation
import Tabular

/// Why an export folder could not be loaded. Each description is one line naming the file.
public enum ReceivablesError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The export folder itself is missing or not a folder.
    case missingFolder(String)
    /// A required file is absent.
    case missingFile(folder: String, file: String)
    /// A required column is absent from a file's header.
    case missingColumn(file: String, column: String)
    /// More rows of a file were rejected than the threshold allows; nothing may be published. `file` is the
    /// file's path; `missingParent` says when most rejections point at rows missing from the file they refer to.
    case tooManyBadRows(file: String, rejected: Int, total: Int, threshold: Double, first: QuarantinedRow?,
                        missingParent: MissingParentRows?)
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
        case .tooManyBadRows(let file, let rejected, let total, let threshold, let first, let missingParent):
            let share = total == 0 ? 0 : 100 * Double(rejected) / Double(total)
            let (shareText, thresholdText) = Self.percents(share, over: 100 * threshold)
            var text = "\(file): \(rejected) of \(total) rows rejected (\(shareText)%), over the "
                + "\(thresholdText)% bad-row threshold"
            if let missingParent {
                text += "; \(missingParent.rows) of them refer to \(missingParent.field) values that are not in "
                    + "\(missingParent.parentFile): \(missingParent.parentFile) lost rows they depend on "
                    + "(truncated, or its rows were rejected: see the quarantine); check it first"
            }
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

    /// A share and the threshold it exceeds, as percentages with as many decimals (up to 6) as it takes for the
    /// share to read larger than the threshold: 119 of 11854 over 1% reads "1.004" and "1", never "1" and "1".
    static func percents(_ share: Double, over threshold: Double) -> (String, String) {
        var decimals = 0
        while decimals < 6 {
            let scale = pow(10, Double(decimals))
            if (share * scale).rounded(.down) > (threshold * scale).rounded() { break }
            decimals += 1
        }
        return (decimalText(share, decimals, roundingDown: true), Self.percent(threshold))
    }

    /// `value` with `decimals` decimals, trailing zeros dropped (rounded down for a share that must not read larger).
    private static func decimalText(_ value: Double, _ decimals: Int, roundingDown: Bool) -> String {
        let scale = pow(10, Double(decimals))
        let scaled = roundingDown ? (value * scale).rounded(.down) : (value * scale).rounded()
        var text = String(format: "%.\(decimals)f", scaled / scale)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

/// Rejected rows of a file that refer to a parent row (a customer, an invoice, a call) missing from its file.
public struct MissingParentRows: Equatable, Sendable {
    /// The parent file, e.g. "invoices.csv".
    public let parentFile: String
    /// The referring column, e.g. "invoice_id".
    public let field: String
    /// How many rejected rows it explains.
    public let rows: Int

    public init(parentFile: String, field: String, rows: Int) {
        self.parentFile = parentFile
        self.field = field
        self.rows = rows
    }
}
