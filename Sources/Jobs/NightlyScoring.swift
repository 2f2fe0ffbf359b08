import Bundles
import CivilTime
import Features
import KPIs
import Foundation
import Queues
import Receivables
import Scoring

/// The library side of `arscore score`.
public enum NightlyScoring {
    public struct Request: Sendable {
        public var exportFolder: String
        public var modelPath: String
        public var outFolder: String
        /// Calling day (day number); features use rows dated before it.
        public var asOf: Int32
        public var capacity: Int?
        public var policyPath: String?
        public var policy: QueuePolicy?
        public var badRowThreshold: Double
        /// Manifest creation time (default: now).
        public var createdAt: Date?
        public var faultPoint: (@Sendable (QueuePublishStep) throws -> Void)?

        public init(exportFolder: String, modelPath: String, outFolder: String, asOf: Int32, capacity: Int? = nil,
                    policyPath: String? = nil, policy: QueuePolicy? = nil, badRowThreshold: Double = 0.01,
                    createdAt: Date? = nil, faultPoint: (@Sendable (QueuePublishStep) throws -> Void)? = nil) {
            self.exportFolder = exportFolder
            self.modelPath = modelPath
            self.outFolder = outFolder
            self.asOf = asOf
            self.capacity = capacity
            self.policyPath = policyPath
            self.policy = policy
            self.badRowThreshold = badRowThreshold
            self.createdAt = createdAt
            self.faultPoint = faultPoint
        }
    }

    public struct Report: Sendable {
        /// The published folder (`<out>/<as-of>`).
        public var folder: String
        public var manifest: QueueManifest
        public var summary: String
        /// The as-of date `<out>/latest` points to after the run, and whether this run moved it there (a replay
        /// of a day older than `latest` publishes its folder and leaves `latest` where it was).
        public var latestAsOf: String
        public var movedLatest: Bool
        /// Accepted and rejected (quarantined) rows of each input file, in load order.
        public var inputFiles: [FileLoadSummary] = []
    }

    /// Today's date (UTC) as a day number.
    public static func today() -> Int32 {
        Int32(floor(Date().timeIntervalSince1970 / 86_400))
    }

    /// Loads, scores, builds and publishes. Nothing is published unless every step succeeds.
    /// - Throws: bundle, policy and export errors naming the file (and line and field), publishing errors.
    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> Report {
        progress("loading the bundle \(request.modelPath)")
        let versionFolder = try ModelBundle.resolveVersionFolder(request.modelPath)
        let bundle = try ModelBundle.load(path: versionFolder)
        try AccountScorer.checkFeatures(of: bundle, source: versionFolder)
        var policy = try request.policy ?? request.policyPath.map(QueuePolicy.load(path:)) ?? QueuePolicy()
        if let capacity = request.capacity { policy.capacity = capacity }
        try policy.validate(source: request.policyPath ?? "policy")
        let night = try build(exportFolder: request.exportFolder, bundle: bundle, policy: policy, asOf: request.asOf,
                              badRowThreshold: request.badRowThreshold, progress: progress)
        let queues = night.queues, builder = night.builder, export = night.export
        let asOfText = CivilDate.format(request.asOf)
        var extra = ["accounts_scored": String(queues.accountsScored),
                     "bundle_path": versionFolder,
                     "data_end": CivilDate.format(builder.dataEnd)]
        if let capacity = policy.capacity { extra["capacity"] = String(capacity) }
        extra["priority"] = policy.priority.rawValue
        extra["escalation"] = policy.escalation ? "on" : "off"
        extra.merge(queues.draws.manifestExtra) { _, draw in draw }
        if let warning = queues.currencyWarning { extra["currency_warning"] = warning }
        if policy.priority == .incrementalCash && bundle.callEffect == nil {
            extra["priority_fallback"] = "the bundle has no call-effect model: incremental_cash ranks by expected cash"
        }
        if !bundle.manifest.fallbacks.isEmpty { extra["model_fallbacks"] = bundle.manifest.fallbacks.joined(separator: "; ") }
        let manifest = QueueManifest(asOf: asOfText, createdAt: request.createdAt ?? Date(), modelName: bundle.manifest.name,
                                     modelVersion: bundle.manifest.version, exclusions: queues.exclusions,
                                     scorePSI: queues.scorePSI, extra: extra,
                                     kpis: kpiBlock(builder: builder, export: export, asOf: request.asOf))
        progress("publishing \(request.outFolder)/\(asOfText)")
        let publication = try QueuePublisher(root: request.outFolder, faultPoint: request.faultPoint)
            .publish(queues.files, manifest: manifest)
        let rows = Dictionary(uniqueKeysWithValues: queues.files.map { ($0.name, $0.rows) })
        var summary = "published \(publication.folder): \(rows["calls.csv"] ?? 0) calls, "
            + "\(rows["promise_followups.csv"] ?? 0) promise follow-ups, \(rows["disputes.csv"] ?? 0) disputed invoices, "
            + "\(rows["escalations.csv"] ?? 0) escalations from \(queues.accountsScored) accounts"
        if queues.draws.exploreCalls > 0 || queues.draws.heldOut > 0 {
            summary += " (\(queues.draws.exploreCalls) calls drawn to explore, \(queues.draws.heldOut) accounts held out)"
        }
        if let psi = queues.scorePSI { summary += String(format: "; score PSI %.3f", psi) }
        if let warning = queues.currencyWarning { summary += "; " + warning }
        if psi(queues.scorePSI) > 0.25 { summary += " (large shift from the training data: consider retraining)" }
        if !publication.movedLatest {
            summary += "; latest stays on \(publication.latestAsOf) (this replay of an older day does not move it)"
        }
        return Report(folder: publication.folder, manifest: publication.manifest, summary: summary,
                      latestAsOf: publication.latestAsOf, movedLatest: publication.movedLatest, inputFiles: export.files)
    }

    /// One night's queues before publishing: the export as loaded, its feature index, the scores and the queues.
    public struct Night {
        public var export: ReceivablesExport
        public var builder: FeatureBuilder
        public var scored: ScoredAccounts
        public var queues: QueueBuilder.Output

        /// The export id of the customer on snapshot row `row`.
        public func customerID(ofRow row: Int) -> String {
            export.customers.ids.id(Int(scored.table.customers[row]))
        }
    }

    /// Loads the export, builds the snapshot as of `asOf`, scores it with `bundle` and builds the queues under
    /// `policy`: every step of `run` before the manifest and publishing (the closed-loop simulator's queue policy
    /// calls this too).
    /// - Throws: export errors naming the file, line and field; scoring errors naming the model file.
    public static func build(exportFolder: String, bundle: ModelBundle, policy: QueuePolicy, asOf: Int32,
                             badRowThreshold: Double = 0.01, progress: (String) -> Void = { _ in }) throws -> Night {
        progress("loading \(exportFolder)")
        var export = try ExportLoader.load(folder: exportFolder, options: ExportLoadOptions(badRowThreshold: badRowThreshold))
        progress("indexing \(export.customers.count) customers")
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        try builder.checkAsOf(asOf, source: exportFolder)
        progress("building the snapshot as of \(CivilDate.format(asOf))")
        let table = builder.snapshot(asOf: asOf)
        progress("scoring \(table.rowCount) accounts")
        let scored = try AccountScorer.score(table, bundle: bundle, expectedDaysHorizon: policy.expectedDaysHorizon)
        progress("routing and writing the queues")
        let queues = try QueueBuilder(export: export, builder: builder, bundle: bundle, policy: policy, asOf: asOf).build(scored)
        return Night(export: export, builder: builder, scored: scored, queues: queues)
    }

    /// The collection KPIs of the 30 days before `asOf` (docs/KPIS.md), for the manifest, from rows dated before `asOf`
    /// only (as the scores), so a replay of an old day gives the same block as the night itself.
    static func kpiBlock(builder: FeatureBuilder, export: ReceivablesExport, asOf: Int32) -> QueueManifest.KPIBlock {
        let from = asOf - Int32(kpiWindowDays)
        let row = KPIs.table(builder: builder, customers: export.customers, callLog: export.hasCallLog,
                             promiseLog: export.hasPromises, from: from, to: asOf, period: .window, grouping: .all,
                             options: KPIOptions(observedBefore: asOf)).rows[0]
        return .init(from: CivilDate.format(from), to: CivilDate.format(asOf), kpis: row.values, counts: row.counts,
                     nullReasons: row.nullReasons)
    }

    /// Days of the manifest's KPI window.
    public static let kpiWindowDays = 30

    private static func psi(_ value: Double?) -> Double { value ?? 0 }
}
