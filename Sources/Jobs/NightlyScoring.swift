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
        let (versionFolder, bundle) = try loadBundle(request.modelPath)
        let policy = try loadPolicy(request.policy, path: request.policyPath, capacity: request.capacity)
        let night = try build(exportFolder: request.exportFolder, bundle: bundle, policy: policy, asOf: request.asOf,
                              badRowThreshold: request.badRowThreshold, progress: progress)
        let queues = night.queues, builder = night.builder, export = night.export
        let asOfText = CivilDate.format(request.asOf)
        let facts = NightlyFacts(
            asOf: asOfText, modelName: bundle.manifest.name, modelVersion: bundle.manifest.version, bundlePath: versionFolder,
            dataEnd: CivilDate.format(builder.dataEnd), policy: policy, accountsScored: queues.accountsScored,
            exclusions: queues.exclusions, scorePSI: queues.scorePSI, draws: queues.draws,
            currencyWarning: queues.currencyWarning, bundleHasCallEffect: bundle.callEffect != nil,
            modelFallbacks: bundle.manifest.fallbacks, kpis: kpiBlock(builder: builder, export: export, asOf: request.asOf))
        progress("publishing \(request.outFolder)/\(asOfText)")
        let publication = try QueuePublisher(root: request.outFolder, faultPoint: request.faultPoint)
            .publish(queues.files, manifest: facts.manifest(createdAt: request.createdAt ?? Date()))
        let summary = facts.summary(files: queues.files, publication: publication)
        return Report(folder: publication.folder, manifest: publication.manifest, summary: summary,
                      latestAsOf: publication.latestAsOf, movedLatest: publication.movedLatest, inputFiles: export.files)
    }

    /// The bundle's version folder and the bundle, checked for scoring.
    static func loadBundle(_ modelPath: String) throws -> (String, ModelBundle) {
        let versionFolder = try ModelBundle.resolveVersionFolder(modelPath)
        let bundle = try ModelBundle.load(path: versionFolder)
        try AccountScorer.checkFeatures(of: bundle, source: versionFolder)
        return (versionFolder, bundle)
    }

    /// The policy given, or loaded from `path`, or the defaults, with `capacity` when given, validated.
    static func loadPolicy(_ policy: QueuePolicy?, path: String?, capacity: Int?) throws -> QueuePolicy {
        var policy = try policy ?? path.map(QueuePolicy.load(path:)) ?? QueuePolicy()
        if let capacity { policy.capacity = capacity }
        try policy.validate(source: path ?? "policy")
        return policy
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
        let loaded = try loadAndScore(exportFolder: exportFolder, bundle: bundle, policy: policy, asOf: asOf,
                                      badRowThreshold: badRowThreshold, progress: progress)
        progress("routing and writing the queues")
        let queues = try QueueBuilder(export: loaded.export, builder: loaded.builder, bundle: bundle, policy: policy, asOf: asOf)
            .build(loaded.scored)
        return Night(export: loaded.export, builder: loaded.builder, scored: loaded.scored, queues: queues)
    }

    /// The steps of `build` before the queues: loads the export, builds the snapshot as of `asOf` and scores it (a
    /// shard's `ShardScoring` runs them too).
    static func loadAndScore(exportFolder: String, bundle: ModelBundle, policy: QueuePolicy, asOf: Int32,
                             badRowThreshold: Double, progress: (String) -> Void)
        throws -> (export: ReceivablesExport, builder: FeatureBuilder, scored: ScoredAccounts) {
        progress("loading \(exportFolder)")
        var export = try ExportLoader.load(folder: exportFolder, options: ExportLoadOptions(badRowThreshold: badRowThreshold))
        progress("indexing \(export.customers.count) customers")
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        try builder.checkAsOf(asOf, source: exportFolder)
        progress("building the snapshot as of \(CivilDate.format(asOf))")
        let table = builder.snapshot(asOf: asOf)
        progress("scoring \(table.rowCount) accounts")
        var scored = try AccountScorer.score(table, bundle: bundle, expectedDaysHorizon: policy.expectedDaysHorizon)
        // The queues apply it too (QueueBuilder); here so `Night.scored` shows the windows the queues chose from.
        scored.blockDoNotCallTimes(export.customers)
        return (export, builder, scored)
    }

    /// The collection KPIs of the 30 days before `asOf` (docs/KPIS.md), for the manifest, from rows dated before `asOf`
    /// only (as the scores), so a replay of an old day gives the same block as the night itself.
    static func kpiBlock(builder: FeatureBuilder, export: ReceivablesExport, asOf: Int32) -> QueueManifest.KPIBlock {
        kpiBlock(kpiSums(builder: builder, export: export, asOf: asOf))
    }

    /// The additive sums behind the manifest's KPI block (a shard ships its own; the merge adds them).
    static func kpiSums(builder: FeatureBuilder, export: ReceivablesExport, asOf: Int32) -> KPIWindowSums {
        KPIWindowSums(builder: builder, customers: export.customers, callLog: export.hasCallLog,
                      promiseLog: export.hasPromises, from: asOf - Int32(kpiWindowDays), to: asOf,
                      options: KPIOptions(observedBefore: asOf))
    }

    /// The manifest's KPI block of `sums`.
    static func kpiBlock(_ sums: KPIWindowSums) -> QueueManifest.KPIBlock {
        let row = sums.row
        return .init(from: CivilDate.format(sums.from), to: CivilDate.format(sums.to), kpis: row.values, counts: row.counts,
                     nullReasons: row.nullReasons)
    }

    /// Days of the manifest's KPI window.
    public static let kpiWindowDays = 30
}
