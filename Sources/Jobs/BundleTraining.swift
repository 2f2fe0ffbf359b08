import Bundles
import Features
import FileSafety
import Foundation
import Receivables
import Scoring
import Training

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
        /// Accepted and rejected (quarantined) rows of each input file, in load order.
        public var inputFiles: [FileLoadSummary] = []
    }

    /// Loads the export, trains, writes the bundle atomically and returns what was written.
    /// - Throws: load errors (naming file, line and field), `TrainingError`, `BundleError` (the version exists).
    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> Report {
        let name = URL(fileURLWithPath: request.bundleFolder).lastPathComponent
        let version = request.version ?? ModelBundle.nextVersion(in: request.bundleFolder)
        let versionFolder = request.bundleFolder + "/" + version
        // Refuse an unusable output folder and an existing version before any work.
        try OutputFolder.prepare(request.bundleFolder)
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
        let inputFiles = export.files
        let trainer = BundleTrainer(options: request.options, progress: progress)
        let result = try trainer.train(export: consume export, data: data, name: name, version: version, createdAt: created,
                                       arscoreVersion: ArscoreVersion.current)
        progress("writing \(versionFolder)")
        try result.bundle.write(to: versionFolder)
        let metrics = result.bundle.manifest.holdoutMetrics
        var summary = "wrote \(versionFolder): \(result.trainingDates.count) training and \(result.holdoutDates.count) holdout snapshots"
        if let auc = metrics.payLikelihood?.auc { summary += "; holdout pay AUC \(String(format: "%.3f", auc))" }
        if let c = metrics.timeToPay?.concordance { summary += ", time-to-pay C \(String(format: "%.3f", c))" }
        if let auc = metrics.callWindow?.auc { summary += ", contact AUC \(String(format: "%.3f", auc))" }
        if let auc = metrics.promiseKept?.auc { summary += ", promise AUC \(String(format: "%.3f", auc))" }
        for fallback in result.bundle.manifest.fallbacks { summary += "\nfallback: " + fallback }
        return Report(versionFolder: versionFolder, bundle: result.bundle, summary: summary, inputFiles: inputFiles)
    }
}
