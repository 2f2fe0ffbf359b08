import ArgumentParser
import Features
import Foundation
import Jobs
import Logging
import Training

/// `arscore train`: history export → versioned model bundle.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the four models on an export's history and write a versioned model bundle.",
        discussion: """
        Builds snapshots over the history (features at T use only rows dated before T), holds out the newest \
        --holdout snapshot dates, fits pay likelihood (logistic), time to pay (Cox), call window and promise kept, \
        and writes Models/NAME/vN/ (bundle.json, one JSON per model, model_card.md). The bundle appears only when \
        complete; an existing version is never overwritten.
        """)

    @Option(help: "Export folder (customers.csv, invoices.csv, payments.csv, calls.csv, promises.csv).")
    var data: String

    @Option(help: "Bundle folder, e.g. Models/demo; the version goes in a vN folder under it.")
    var out: String

    @Option(help: "Version folder name (default: the next free vN).")
    var version: String?

    @Option(help: "Outcome horizon in days: P(pay within H days).")
    var horizon: Int = 30

    @Option(help: "Snapshot spacing: monthly, or every-N-days (e.g. every-14-days).")
    var snapshots: String = "monthly"

    @Option(help: "Newest snapshot dates held out for out-of-time metrics.")
    var holdout: Int = 2

    @Option(help: "Where to write rejected input rows (CSV: file, line, field, reason).")
    var quarantine: String?

    @Option(name: .customLong("max-bad-rows"), help: "Largest share of bad rows per file before the run fails.")
    var maxBadRows: Double = 0.01

    @Option(name: .customLong("max-training-rows"),
            help: "Training snapshot row budget: above it each row is kept with probability budget/rows (seeded by customer_id and date) and weighted by its inverse.")
    var maxTrainingRows: Int = TrainingOptions.defaultMaxTrainingRows

    @Option(name: .customLong("sampling-seed"), help: "Seed of the training row sampling.")
    var samplingSeed: UInt64 = TrainingOptions.defaultSamplingSeed

    @Flag(help: "No progress on stderr and no summary on stdout.")
    var quiet = false

    @OptionGroup var operations: OperationsOptions

    func validate() throws {
        guard horizon >= 1, horizon <= 366 else { throw ValidationError("--horizon must be 1 to 366 days") }
        guard holdout >= 1 else { throw ValidationError("--holdout must be at least 1") }
        guard maxTrainingRows >= TrainingOptions.minimumTrainingRowBudget else {
            throw ValidationError("--max-training-rows must be at least \(TrainingOptions.minimumTrainingRowBudget), got \(maxTrainingRows)")
        }
        guard SnapshotSchedule(name: snapshots) != nil else {
            throw ValidationError("--snapshots must be monthly or every-N-days, got \"\(snapshots)\"")
        }
        if let version {
            guard !version.isEmpty, !version.contains("/"), !version.hasPrefix(".") else {
                throw ValidationError("--version must be a plain folder name, got \"\(version)\"")
            }
        }
    }

    func run() throws {
        var options = TrainingOptions()
        options.horizonDays = horizon
        options.holdoutSnapshots = holdout
        options.schedule = SnapshotSchedule(name: snapshots)!
        options.maxTrainingRows = maxTrainingRows
        options.samplingSeed = samplingSeed
        let started = Date()
        let log = RunLog.logger(command: "train", format: operations.logFormat, quiet: quiet)
        let report = try BundleTraining.run(.init(
            exportFolder: data, bundleFolder: out, version: version, options: options, quarantinePath: quarantine,
            badRowThreshold: maxBadRows), progress: { log.info("\($0)") })
        let seconds = Date().timeIntervalSince(started)
        if let path = operations.metricsFile { try RunMetrics.train(report, seconds: seconds).write(to: path) }
        log.info("trained", metadata: ["folder": "\(report.versionFolder)", "seconds": "\(seconds)"])
        if !quiet { print(report.summary) }
    }
}
