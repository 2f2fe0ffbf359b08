import ArgumentParser
import CivilTime
import Foundation
import Jobs

/// `arscore features`: the snapshot feature table (and labels) of an export as of one date.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write the snapshot features (one row per customer with an open balance) and labels as of a date.",
        discussion: """
        Features at --as-of use only rows dated before it (see docs/FEATURES.md). Label columns \
        (what happened in the --horizon days from --as-of) are filled when the export covers them. \
        Rejected input rows go to --quarantine when given.
        """)

    @Option(help: "Export folder (customers.csv, invoices.csv, payments.csv, calls.csv, promises.csv).")
    var data: String

    @Option(name: .customLong("as-of"), help: "Snapshot date, YYYY-MM-DD (features use rows dated before it).")
    var asOf: String

    @Option(help: "Where to write the feature table (CSV).")
    var out: String

    @Option(help: "Label horizon in days.")
    var horizon: Int = 30

    @Option(help: "Where to write rejected input rows (CSV: file, line, field, reason).")
    var quarantine: String?

    @Option(name: .customLong("max-bad-rows"), help: "Largest share of bad rows per file before the run fails.")
    var maxBadRows: Double = 0.01

    @Flag(help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        _ = try CivilDate.parseOption(asOf, option: "--as-of").mapError { ValidationError($0.message) }.get()
        guard horizon >= 1 else { throw ValidationError("--horizon must be at least 1 day") }
    }

    func run() throws {
        let report = try FeatureExtraction.run(.init(
            exportFolder: data, asOf: CivilDate.parse(asOf)!, horizonDays: horizon, outputPath: out,
            quarantinePath: quarantine, badRowThreshold: maxBadRows))
        if !quiet {
            print(report.summary)
        }
    }
}
