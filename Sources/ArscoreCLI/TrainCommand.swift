import ArgumentParser
import Bundles
import Features
import Foundation
import Receivables
import Scoring
import Tabular
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

    @Flag(help: "No progress on stderr and no summary on stdout.")
    var quiet = false

    func validate() throws {
        guard horizon >= 1, horizon <= 366 else { throw ValidationError("--horizon must be 1 to 366 days") }
        guard holdout >= 1 else { throw ValidationError("--holdout must be at least 1") }
        guard BundleTraining.schedule(snapshots) != nil else {
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
        options.schedule = BundleTraining.schedule(snapshots)!
        let progress = ProgressLines(enabled: !quiet)
        let report = try BundleTraining.run(.init(
            exportFolder: data, bundleFolder: out, version: version, options: options, quarantinePath: quarantine,
            badRowThreshold: maxBadRows), progress: progress.write)
        if !quiet { print(report.summary) }
    }
}

/// The library side of `arscore train`.
public enum BundleTraining {
    public struct Request: Sendable {
        public var exportFolder: String
        public var bundleFolder: String
        public var version: String?
        public var options: TrainingOptions
        public var quarantinePath: String?
        public var badRowThreshold: Double
        /// Creation time written into bundle.json (default: now).
        public var createdAt: Date?

        public init(exportFolder: String, bundleFolder: String, version: String? = nil,
                    options: TrainingOptions = TrainingOptions(), quarantinePath: String? = nil,
                    badRowThreshold: Double = 0.01, createdAt: Date? = nil) {
            self.exportFolder = exportFolder
            self.bundleFolder = bundleFolder
            self.version = version
            self.options = options
            self.quarantinePath = quarantinePath
            self.badRowThreshold = badRowThreshold
            self.createdAt = createdAt
        }
    }

    public struct Report: Sendable {
        /// The version folder written.
        public var versionFolder: String
        public var bundle: ModelBundle
        public var summary: String
    }

    /// `monthly` or `every-N-days`.
    public static func schedule(_ text: String) -> SnapshotSchedule? {
        if text == "monthly" { return .monthly }
        let parts = text.split(separator: "-")
        if parts.count == 3, parts[0] == "every", parts[2] == "days", let step = Int(parts[1]), step >= 1 {
            return .everyDays(step)
        }
        return nil
    }

    /// Loads the export, trains, writes the bundle atomically and returns what was written.
    /// - Throws: load errors (naming file, line and field), `TrainingError`, `BundleError` (the version exists).
    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> Report {
        let name = URL(fileURLWithPath: request.bundleFolder).lastPathComponent
        let version = request.version ?? ModelBundle.nextVersion(in: request.bundleFolder)
        let versionFolder = request.bundleFolder + "/" + version
        // Refuse an existing version before any work.
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: versionFolder), !contents.isEmpty {
            throw BundleError.versionExists(versionFolder)
        }
        progress("loading \(request.exportFolder)")
        let export = try ExportLoader.load(
            folder: request.exportFolder, options: ExportLoadOptions(badRowThreshold: request.badRowThreshold))
        if let path = request.quarantinePath {
            try AtomicFile.write(QuarantineFile.csv(export.quarantine), to: path)
        }
        progress("fingerprinting the export")
        let data = try ExportFingerprint.summarise(export)
        let created = ISO8601DateFormatter().string(from: request.createdAt ?? Date())
        let trainer = BundleTrainer(options: request.options, progress: progress)
        let result = try trainer.train(export: consume export, data: data, name: name, version: version, createdAt: created,
                                       arscoreVersion: ArscoreCommand.configuration.version)
        progress("writing \(versionFolder)")
        try FileManager.default.createDirectory(atPath: request.bundleFolder, withIntermediateDirectories: true)
        try result.bundle.write(to: versionFolder)
        let metrics = result.bundle.manifest.holdoutMetrics
        var summary = "wrote \(versionFolder): \(result.trainingDates.count) training and \(result.holdoutDates.count) holdout snapshots"
        if let auc = metrics.payLikelihood?.auc { summary += "; holdout pay AUC \(String(format: "%.3f", auc))" }
        if let c = metrics.timeToPay?.concordance { summary += ", time-to-pay C \(String(format: "%.3f", c))" }
        if let auc = metrics.callWindow?.auc { summary += ", contact AUC \(String(format: "%.3f", auc))" }
        if let auc = metrics.promiseKept?.auc { summary += ", promise AUC \(String(format: "%.3f", auc))" }
        for fallback in result.bundle.manifest.fallbacks { summary += "\nfallback: " + fallback }
        return Report(versionFolder: versionFolder, bundle: result.bundle, summary: summary)
    }
}

/// Stage lines on stderr ("arscore: fitting ..."), only when stderr is a terminal and not --quiet.
struct ProgressLines: Sendable {
    let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
    }

    /// Writes `arscore: [elapsed s] line`, elapsed since this value was made.
    var write: @Sendable (String) -> Void {
        let enabled = self.enabled
        let start = Date()
        return { line in
            guard enabled else { return }
            let elapsed = String(format: "%6.1f s", Date().timeIntervalSince(start))
            FileHandle.standardError.write(Data("arscore: [\(elapsed)] \(line)\n".utf8))
        }
    }
}
