import ArgumentParser
import CivilTime
import Foundation
import Jobs
import KPIs

/// `arscore kpi`: collection KPIs (DSO, CEI, contact and promise rates, roll rates) per period and group.
struct KpiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi",
        abstract: "Collection KPIs over time and by segment or country from an export.",
        discussion: """
        The KPIs of ../shared/DESIGN.md ("Collection KPIs") over [--from, --to), per --period and --by group, \
        with the counts beside every rate; an undefined value is n/a (null in JSON) with its reason. Formulas \
        and edge cases: docs/KPIS.md.
        """)

    @Option(help: "Export folder (customers.csv, invoices.csv, payments.csv, calls.csv, promises.csv).")
    var data: String

    @Option(help: "First day of the window, YYYY-MM-DD.")
    var from: String

    @Option(help: "First day after the window, YYYY-MM-DD.")
    var to: String

    @Option(help: "Period length: month, week (ISO, Monday first) or day.")
    var period: String = "month"

    @Option(help: "Break the rows down by segment or country (every table has the all-customers rows).")
    var by: String?

    @Option(help: "Output format: text, json or csv.")
    var format: String = "text"

    @Option(help: "Write the table to this file instead of stdout.")
    var out: String?

    @Option(help: "Write the self-contained HTML report (charts per KPI, roll-rate heat maps) to this file.")
    var report: String?

    @Option(name: .customLong("grace-days"), help: "Days after the promised date a payment still keeps a promise.")
    var graceDays: Int = 3

    @Option(name: .customLong("max-bad-rows"), help: "Largest share of bad rows per file before the run fails.")
    var maxBadRows: Double = 0.01

    @Flag(help: "Print nothing but the table.")
    var quiet = false

    func validate() throws {
        guard let start = CivilDate.parseExact(from) else { throw ValidationError("--from must be a date YYYY-MM-DD, got \"\(from)\"") }
        guard let end = CivilDate.parseExact(to) else { throw ValidationError("--to must be a date YYYY-MM-DD, got \"\(to)\"") }
        _ = try CivilDate.parseOption(from, option: "--from").mapError { ValidationError($0.message) }.get()
        _ = try CivilDate.parseOption(to, option: "--to").mapError { ValidationError($0.message) }.get()
        guard start < end else { throw ValidationError("--from \(from) must be before --to \(to)") }
        guard ["month", "week", "day"].contains(period) else {
            throw ValidationError("--period must be month, week or day, got \"\(period)\"")
        }
        if let by, !["segment", "country"].contains(by) {
            throw ValidationError("--by must be segment or country, got \"\(by)\"")
        }
        guard KPIReport.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be text, json or csv, got \"\(format)\"")
        }
        guard (0...365).contains(graceDays) else { throw ValidationError("--grace-days must be 0 to 365 days, got \(graceDays)") }
    }

    func run() throws {
        let report = try KPIReport.run(.init(
            exportFolder: data, from: CivilDate.parseExact(from)!, to: CivilDate.parseExact(to)!,
            period: KPIPeriod(rawValue: period)!, grouping: by.flatMap(KPIGrouping.init(rawValue:)) ?? .all,
            format: KPIReport.Format(rawValue: format)!, outputPath: out, reportPath: self.report,
            badRowThreshold: maxBadRows, options: KPIOptions(graceDays: graceDays)))
        if out == nil { FileHandle.standardOutput.write(report.output) }
        if !quiet && out != nil { FileHandle.standardError.write(Data((report.summary + "\n").utf8)) }
    }
}
