import Bundles
import Evaluation
import Features
import Foundation
import Receivables
import Reports
import Scoring
import Training

/// The library side of `arscore compare`.
public enum ModelComparison {
    public struct Request: Sendable {
        public var exportFolder: String
        public var bundlePaths: [String]
        /// Newest snapshot dates held out; nil: as many as the first bundle held out in training.
        public var holdoutSnapshots: Int?
        /// Outcome horizon of the holdout (days); nil: the first bundle's training horizon.
        public var horizonDays: Int?
        public var backtestCapacity: Int
        public var badRowThreshold: Double
        /// Whether to hash the export's files for `data.fingerprint` (empty otherwise).
        public var fingerprint: Bool
        /// Policy file the bundles' queues are evaluated under off-policy (nil: the defaults of docs/POLICY.md).
        public var policyPath: String?

        public init(exportFolder: String, bundlePaths: [String], holdoutSnapshots: Int? = nil, horizonDays: Int? = nil,
                    backtestCapacity: Int = 0, badRowThreshold: Double = 0.01, fingerprint: Bool = false,
                    policyPath: String? = nil) {
            self.policyPath = policyPath
            self.exportFolder = exportFolder
            self.bundlePaths = bundlePaths
            self.holdoutSnapshots = holdoutSnapshots
            self.horizonDays = horizonDays
            self.backtestCapacity = backtestCapacity
            self.badRowThreshold = badRowThreshold
            self.fingerprint = fingerprint
        }
    }

    /// Loads the bundles (all of them first: a bad bundle fails before the export is read), the export, and
    /// evaluates every bundle on the same holdout.
    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> Reports.ComparisonResult {
        var bundles: [(label: String, path: String, bundle: ModelBundle)] = []
        for path in request.bundlePaths {
            let folder = try ModelBundle.resolveVersionFolder(path)
            let bundle = try ModelBundle.load(path: folder)
            try AccountScorer.checkFeatures(of: bundle, source: folder)
            bundles.append((bundle.manifest.name + "/" + bundle.manifest.version, folder, bundle))
        }
        // Two bundles with the same name/version get their folder as label.
        let labels = bundles.map(\.label)
        for index in bundles.indices where labels.filter({ $0 == labels[index] }).count > 1 { bundles[index].label = bundles[index].path }
        let policy = try request.policyPath.map(QueuePolicy.load(path:)) ?? QueuePolicy()
        progress("loading \(request.exportFolder)")
        var export = try ExportLoader.load(folder: request.exportFolder,
                                           options: ExportLoadOptions(badRowThreshold: request.badRowThreshold))
        if request.fingerprint { progress("fingerprinting the export") }
        let fingerprint = request.fingerprint ? try ExportFingerprint.summarise(export).fingerprint : ""
        let customerIDs = export.customers.ids
        let selections = try SelectionLog.load(folder: request.exportFolder, customerIndex: { customerIDs.find($0) })
        progress("indexing \(export.customers.count) customers")
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        let trained = bundles[0].bundle.manifest.training
        var plan = try HoldoutPlan(trainedWith: trained,
                                   holdoutSnapshots: request.holdoutSnapshots ?? max(1, trained.holdoutDates.count))
        if let horizon = request.horizonDays { plan.horizonDays = horizon }
        guard plan.horizonDays <= plan.followUpDays else {
            throw ArscoreError("--horizon \(plan.horizonDays) is longer than the time-to-pay follow-up "
                + "(\(plan.followUpDays) days) that training uses")
        }
        var comparison = BundleComparison(export: export, builder: builder, fingerprint: fingerprint, plan: plan,
                                          backtestCapacity: request.backtestCapacity)
        comparison.selections = selections
        comparison.policy = policy
        progress("evaluating \(bundles.count) bundle(s) on the holdout")
        return try comparison.evaluate(bundles, progress: progress)
    }
}
