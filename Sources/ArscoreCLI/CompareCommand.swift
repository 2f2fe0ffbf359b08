import ArgumentParser
import FileSafety
import Foundation
import Jobs
import Reports

/// `arscore compare`: bundles side by side on the same holdout.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Evaluate two or more model bundles on the same out-of-time holdout, side by side.",
        discussion: """
        The holdout is the newest --holdout snapshot dates of the export whose --horizon-day outcome is known, on the \
        first bundle's snapshot schedule, cut and scored exactly as arscore train does for its own card. Pay AUCs come with DeLong 95% intervals and a paired DeLong test for every pair. \
        --report writes a self-contained HTML report with plots. See docs/COMPARE.md for the JSON keys.
        """)

    @Option(help: "Export folder to evaluate on.")
    var data: String

    @Argument(help: "Bundles (Models/NAME for the newest version, or Models/NAME/VERSION).")
    var bundles: [String]

    @Option(help: "Output format on stdout (or --out): text, json or csv.")
    var format: ReportFormat = .text

    @Option(help: "Write the table (in --format) to this file instead of stdout.")
    var out: String?

    @Option(help: "Write a self-contained HTML report with plots to this file.")
    var report: String?

    @Option(help: "Holdout snapshot dates (default: as many as the first bundle held out in training).")
    var holdout: Int?

    @Option(help: "Outcome horizon in days (default: the first bundle's training horizon).")
    var horizon: Int?

    @Option(name: .customLong("backtest-capacity"),
            help: "Also replay calling days over the holdout with this many calls a day (0: no backtest).")
    var backtestCapacity: Int = 0

    @Option(name: .customLong("config"),
            help: "Policy file the bundles' queues are evaluated under off-policy, from selections.csv (docs/POLICY.md).")
    var config: String?

    @Option(name: .customLong("max-bad-rows"), help: "Largest share of bad rows per file before the run fails.")
    var maxBadRows: Double = 0.01

    @Flag(help: "Also compute the export's SHA-256 fingerprint (reads every file once more).")
    var fingerprint = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard bundles.count >= 1 else { throw ValidationError("give at least one bundle (two or more to compare)") }
        if let holdout, holdout < 1 { throw ValidationError("--holdout must be at least 1") }
        if let horizon, !(1...366).contains(horizon) { throw ValidationError("--horizon must be 1 to 366 days") }
        guard backtestCapacity >= 0 else { throw ValidationError("--backtest-capacity must be ≥ 0") }
    }

    func run() throws {
        let progress = ProgressLines(enabled: !quiet)
        let result = try ModelComparison.run(.init(
            exportFolder: data, bundlePaths: bundles, holdoutSnapshots: holdout, horizonDays: horizon,
            backtestCapacity: backtestCapacity, badRowThreshold: maxBadRows, fingerprint: fingerprint,
            policyPath: config), progress: progress.write)
        let output: Data
        switch format {
        case .text: output = Data(ComparisonTable.text(result).utf8)
        case .json: output = try result.jsonData() + Data("\n".utf8)
        case .csv: output = ComparisonTable.csv(result)
        }
        if let report {
            let html = HTMLReport.render(result, title: "arscore compare: " + result.bundles.map(\.label).joined(separator: " vs "),
                                         generatedAt: ISO8601DateFormatter().string(from: Date()))
            try AtomicFile.write(Data(html.utf8), to: report)
        }
        if let out {
            try AtomicFile.write(output, to: out)
        } else {
            FileHandle.standardOutput.write(output)
        }
    }
}
