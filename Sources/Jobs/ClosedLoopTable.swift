import FileSafety
import Foundation
import Simulation
import StableJSON

extension ClosedLoopSimulation {
    /// The comparison as a text table: one row per policy, money in whole US dollars.
    ///
    /// `cash caused` is the book's cash under the policy minus under no calls; `× aging` divides it by aging's.
    public static func table(_ comparison: ClosedLoopComparison) -> String {
        let c = comparison.configuration
        var lines = ["closed loop: world \(comparison.world), \(c.customers) customers, seed \(c.seed), \(c.callingDays) calling days "
            + "from \(c.start) and a \(c.tailDays)-day tail, \(c.capacity) calls a day; money in US dollars"]
        let header = ["policy", "cash collected", "cash caused", "× aging", "calls", "RPCs", "promises", "kept", "past due at end"]
        var rows = [header]
        for row in comparison.rows {
            let tally = row.outcome.tally
            rows.append([row.outcome.policy, dollars(tally.cashUSD), row.cashCausedUSD.map(dollars) ?? "n/a",
                         row.ratioToAging.map { String(format: "%.2f", $0) } ?? "n/a", String(tally.calls),
                         String(tally.rightPartyContacts), String(tally.promises), String(tally.keptPromises),
                         dollars(row.outcome.pastDueAtEndUSD)])
        }
        lines += aligned(rows)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary over runs as a text table (the single run's table when there is one run).
    public static func table(_ summary: ClosedLoopSummary) -> String {
        guard summary.runs.count > 1, let first = summary.runs.first else { return summary.runs.first.map(table) ?? "" }
        let c = first.configuration
        let lines = ["closed loop: world \(summary.world), \(c.customers) customers, \(summary.runs.count) runs (seeds \(c.seed)…"
            + "\(c.seed + UInt64(summary.runs.count - 1))), \(c.callingDays) calling days from \(c.start) and a \(c.tailDays)-day tail, "
            + "\(c.capacity) calls a day; money in US dollars, means per run"]
        let header = ["policy", "cash caused", "± s.e.", "× aging", "per-run × aging", "calls", "RPCs", "promises", "kept"]
        var rows = [header]
        for row in summary.rows {
            var range = "n/a"
            if let low = row.lowestRunRatio, let high = row.highestRunRatio { range = ratio(low) + "–" + ratio(high) }
            let cash = row.meanCashCausedUSD.map(dollars) ?? "n/a", error = row.standardErrorUSD.map(dollars) ?? "n/a"
            let counts = [row.meanCalls, row.meanRightPartyContacts, row.meanPromises, row.meanKeptPromises]
                .map { String(format: "%.0f", $0) }
            rows.append([row.policy, cash, error, row.ratioToAging.map(ratio) ?? "n/a", range] + counts)
        }
        return (lines + aligned(rows)).joined(separator: "\n") + "\n"
    }

    /// Rows padded to their columns' widths: the first column left-aligned, the others right-aligned.
    static func aligned(_ rows: [[String]]) -> [String] {
        let widths = (rows.first ?? []).indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
    }

    /// Writes the summary (every run and the means) as JSON (stable key order) atomically to `path`.
    public static func writeJSON(_ comparison: ClosedLoopSummary, to path: String) throws {
        let data = try StableJSON.encoder().encode(comparison)
        try AtomicFile.write(data + Data("\n".utf8), to: path)
    }

    /// A ratio with two decimals.
    static func ratio(_ value: Double) -> String { String(format: "%.2f", value) }

    /// Whole dollars with thousands separators (negative with a minus sign).
    static func dollars(_ value: Double) -> String {
        let whole = Int(value.rounded())
        let digits = String(abs(whole))
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (whole < 0 ? "-" : "") + grouped
    }
}
