import Foundation
import Tabular

/// The quarantine file: every rejected input row as `file, line, field, reason`, in load order.
public enum QuarantineFile {
    /// CSV with columns `file, line, field, reason`; text cells are neutralised against spreadsheet formulas
    /// (a rejected row's content can be anything).
    public static func csv(_ rows: [QuarantinedRow]) -> Data {
        var writer = CSVWriter(header: ["file", "line", "field", "reason"], reservingCapacity: rows.count * 80)
        for row in rows {
            writer.appendCell(row.file)
            writer.appendCell(row.line)
            writer.appendCell(row.field ?? "")
            writer.appendCell(row.reason)
            writer.endRow()
        }
        return writer.data
    }
}
