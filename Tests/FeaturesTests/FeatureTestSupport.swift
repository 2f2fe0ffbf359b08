import CivilTime
@testable import Features
import Foundation
import Receivables
import TestSupport

/// Day number of a `YYYY-MM-DD` literal.
func day(_ text: String) -> Int32 {
    guard let value = CivilDate.parse(text) else { fatalError("bad date \(text)") }
    return value
}

/// A generated history (TestSupport's `GeneratedHistory`) with a feature builder whose data end is the first day
/// after the history. Its folder is removed at once (the builder needs only the loaded export): the shared ones
/// live until the process ends, when no deinitialiser runs.
final class GeneratedExport: Sendable {
    let history: GeneratedHistory
    let builder: FeatureBuilder
    /// First day after the history.
    let end: Int32

    init(customers: Int, months: Int, seed: UInt64, end: String = "2026-11-01") throws {
        history = try GeneratedHistory(customers: customers, months: months, seed: seed, end: end, keepFolder: false)
        self.end = day(end)
        builder = FeatureBuilder(export: history.export, options: FeatureOptions(dataEnd: self.end))
    }

    var export: ReceivablesExport { history.export }
    /// The five CSV files' text, by file name.
    var files: [String: String] { history.files }

    /// truth.json, parsed.
    func truth() throws -> [String: Any] { try history.truth() }
}

/// The export most generated-data tests share: 300 customers over 12 months (generated once per test run).
let smallGenerated: GeneratedExport = {
    do { return try GeneratedExport(customers: 300, months: 12, seed: 20_261_123) } catch {
        fatalError("cannot generate the test export: \(error)")
    }
}()

/// A larger one (several parallel chunks in every pass).
let mediumGenerated: GeneratedExport = {
    do { return try GeneratedExport(customers: 3000, months: 12, seed: 77) } catch {
        fatalError("cannot generate the test export: \(error)")
    }
}()

/// Writes the export `files` (file name → CSV text) to `target`, keeping only rows dated before `cutoff`: invoices by
/// invoice_date, payments by payment_date, calls by the UTC day of started_at, promises by created_date.
/// customers.csv is copied whole. A kept promise whose call was dropped (its call lies on a later UTC day,
/// e.g. a morning call in Tokyo, made on the local created_date) keeps the promise with an empty call_id.
/// The filter is textual: the files are read as lines and cells, not through the loader.
func truncate(_ files: [String: String], into target: String, before cutoff: Int32) throws -> (kept: Int, dropped: Int) {
    var kept = 0, dropped = 0
    func lines(_ file: String) throws -> [Substring] {
        guard let text = files[file] else { fatalError("no \(file)") }
        return text.split(separator: "\n", omittingEmptySubsequences: true)
    }
    func write(_ file: String, _ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: target + "/" + file))
    }
    func dateOf(_ cell: Substring) -> Int32 {
        guard let value = CivilDate.parse(String(cell)) else { fatalError("bad date cell \(cell)") }
        return value
    }
    func utcDayOf(_ cell: Substring) -> Int32 {
        var text = String(cell)
        let parsed = text.withUTF8 { Timestamp.parse($0) }
        guard case .success(let seconds) = parsed else { fatalError("bad timestamp cell \(cell)") }
        return Timestamp.utcDay(seconds)
    }
    try write("customers.csv", try lines("customers.csv").map(String.init))
    var droppedCalls = Set<Substring>()
    for (file, column, isTimestamp) in [("invoices.csv", "invoice_date", false), ("payments.csv", "payment_date", false),
                                        ("calls.csv", "started_at", true)] {
        let all = try lines(file)
        let header = all[0].split(separator: ",", omittingEmptySubsequences: false)
        guard let index = header.firstIndex(of: Substring(column)) else { fatalError("no \(column) in \(file)") }
        var out = [String(all[0])]
        for line in all.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            let date = isTimestamp ? utcDayOf(cells[index]) : dateOf(cells[index])
            if date < cutoff {
                out.append(String(line))
                kept += 1
            } else {
                dropped += 1
                if file == "calls.csv" { droppedCalls.insert(cells[0]) }
            }
        }
        try write(file, out)
    }
    let promises = try lines("promises.csv")
    let header = promises[0].split(separator: ",", omittingEmptySubsequences: false)
    let created = header.firstIndex(of: "created_date")!, call = header.firstIndex(of: "call_id")!
    var out = [String(promises[0])]
    for line in promises.dropFirst() {
        var cells = line.split(separator: ",", omittingEmptySubsequences: false)
        if dateOf(cells[created]) < cutoff {
            if droppedCalls.contains(cells[call]) { cells[call] = "" }
            out.append(cells.joined(separator: ","))
            kept += 1
        } else {
            dropped += 1
        }
    }
    try write("promises.csv", out)
    return (kept, dropped)
}

/// Whether two tables hold bit-identical rows, columns and window counts.
func identical(_ a: FeatureTable, _ b: FeatureTable) -> Bool {
    a.columnNames == b.columnNames && a.customers == b.customers && a.asOf == b.asOf
        && a.values.map(\.bitPattern) == b.values.map(\.bitPattern) && a.windowCounts == b.windowCounts
}

/// The first difference between two tables, for messages.
func firstDifference(_ a: FeatureTable, _ b: FeatureTable) -> String {
    if a.customers != b.customers { return "customers differ: \(a.rowCount) vs \(b.rowCount) rows" }
    for column in 0..<a.columnCount {
        for row in 0..<a.rowCount where a.value(row: row, column: column).bitPattern != b.value(row: row, column: column).bitPattern {
            return "\(a.columnNames[column]) of customer \(a.customers[row]): \(a.value(row: row, column: column)) vs \(b.value(row: row, column: column))"
        }
    }
    if a.windowCounts != b.windowCounts { return "window counts differ" }
    return "no difference"
}
