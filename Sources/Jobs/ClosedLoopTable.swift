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
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            lines.append(cells.joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the comparison as JSON (stable key order) atomically to `path`.
    public static func writeJSON(_ comparison: ClosedLoopComparison, to path: String) throws {
        let data = try StableJSON.encoder().encode(comparison)
        try AtomicFile.write(data + Data("\n".utf8), to: path)
    }

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
