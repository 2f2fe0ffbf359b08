import ArgumentParser
import CivilTime
import Foundation
import Jobs

/// Output formats of the analyst commands.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

/// `arscore backtest`: replays past calling days.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay past days: cash paid by the accounts the queue would have called vs aging and random choice.",
        discussion: """
        For each day from --from to --to (every --step days) the queue is built exactly as arscore score --as-of that \
        day would build it (only rows dated before it), and each called account is credited with the cash it actually \
        paid in the --horizon days from that day. The aging heuristic calls the same candidates in order of past-due \
        balance × days past due; random choice is the candidates' average cash times the calls made. This is a passive \
        measure: it credits the cash the called accounts paid, called or not, and cannot see what the calls caused; \
        arscore simulate measures the cash calls cause, in a closed loop on a synthetic world.
        """)

    @Option(help: "Export folder.")
    var data: String

    @Option(help: "Model bundle (Models/NAME or Models/NAME/VERSION).")
    var model: String

    @Option(help: "First calling day, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last calling day, YYYY-MM-DD (inclusive).")
    var to: String

    @Option(help: "Calls per day.")
    var capacity: Int

    @Option(help: "Days between replayed days.")
    var step: Int = 1

    @Option(help: "Days of payments credited to a call.")
    var horizon: Int = 30

    @Option(help: "Policy JSON file (see docs/POLICY.md).")
    var config: String?

    @Option(help: "Output format: text, json or csv.")
    var format: ReportFormat = .text

    @Option(name: .customLong("max-bad-rows"), help: "Largest share of bad rows per file before the run fails.")
    var maxBadRows: Double = 0.01

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        let first = try CivilDate.parseOption(from, option: "--from").mapError { ValidationError($0.message) }.get()
        let last = try CivilDate.parseOption(to, option: "--to").mapError { ValidationError($0.message) }.get()
        guard first <= last else { throw ValidationError("--from must not be after --to") }
        guard capacity >= 1 else { throw ValidationError("--capacity must be at least 1") }
        guard step >= 1 else { throw ValidationError("--step must be at least 1 day") }
        guard horizon >= 1 else { throw ValidationError("--horizon must be at least 1 day") }
    }

    func run() throws {
        let report = try PolicyBacktest.run(.init(
            exportFolder: data, modelPath: model, from: CivilDate.parse(from)!, to: CivilDate.parse(to)!, capacity: capacity,
            stepDays: step, horizonDays: horizon, policyPath: config, badRowThreshold: maxBadRows),
            progress: ProgressLines(enabled: !quiet).write)
        switch format {
        case .text: print(report.text, terminator: "")
        case .json: FileHandle.standardOutput.write(try report.jsonData() + Data("\n".utf8))
        case .csv: FileHandle.standardOutput.write(report.csv())
        }
    }
}
