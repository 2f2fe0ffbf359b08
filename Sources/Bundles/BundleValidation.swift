import Foundation
import Metrics
import Models

/// The checks of a loaded bundle that tie bundle.json to its folder and its model files: each failure is a
/// `BundleError.invalid` naming the file and the key.
enum BundleValidation {
    /// Longest horizon H a bundle may declare, in days (two years).
    static let maximumHorizonDays = 730
    /// What each `fallbacks` note may be about: the models, and the call features of an export without calls.csv.
    static let fallbackSubjects = ["pay_likelihood", "time_to_pay", "call_window", "promise_kept", "cash_share", "call_effect",
                                   "call features"]

    /// Checks bundle.json on its own and against the folder it was read from.
    static func checkManifest(_ manifest: BundleManifest, folder: String) throws {
        let source = folder + "/" + ModelBundle.FileName.manifest
        func invalid(_ reason: String) -> BundleError { .invalid(source, reason: reason) }
        let folderName = URL(fileURLWithPath: folder).lastPathComponent
        if folderName.hasPrefix("v"), Int(folderName.dropFirst()) != nil, manifest.version != folderName {
            throw invalid("key \"version\" is \"\(manifest.version)\" but the bundle's folder is \"\(folderName)\"")
        }
        let horizon = manifest.training.horizonDays
        guard (1...maximumHorizonDays).contains(horizon) else {
            throw invalid("key \"training.horizon_days\" is \(horizon); it must be 1 … \(maximumHorizonDays) days")
        }
        for note in manifest.fallbacks where !fallbackSubjects.contains(where: { note.hasPrefix($0 + ":") }) {
            throw invalid("key \"fallbacks\" holds an unknown fallback \"\(note.prefix(60))\" (each note starts with the model "
                + "it is about: \(fallbackSubjects.joined(separator: ", ")))")
        }
        try checkDistribution(manifest.scoreDistribution, key: "score_distribution", source: source)
        for (name, distribution) in (manifest.featureDistributions ?? [:]).sorted(by: { $0.key < $1.key }) {
            try checkDistribution(distribution, key: "feature_distributions.\(name)", source: source)
        }
    }

    /// Ascending finite edges, one more share than edges, shares finite, non-negative and adding up to 1.
    static func checkDistribution(_ distribution: ScoreDistribution, key: String, source: String) throws {
        func invalid(_ reason: String) -> BundleError { .invalid(source, reason: "key \"\(key)\": " + reason) }
        let edges = distribution.edges, shares = distribution.shares
        guard edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw invalid("\"edges\" must be finite and strictly ascending")
        }
        guard shares.count == edges.count + 1 else {
            throw invalid("\"shares\" has \(shares.count) values for \(edges.count) edges; it needs \(edges.count + 1)")
        }
        guard shares.allSatisfy({ $0.isFinite && $0 >= 0 }), abs(shares.reduce(0, +) - 1) < 1e-6 else {
            throw invalid("\"shares\" must be non-negative and add up to 1")
        }
    }

    /// Each `models.<role>` entry agrees with the file it describes: its kind, its feature count, its fallback.
    static func checkEntry(_ entry: BundleManifest.ModelEntry, role: String, kind: String, features: Int,
                           fallback: String?, folder: String) throws {
        let source = folder + "/" + ModelBundle.FileName.manifest
        func invalid(_ reason: String) -> BundleError { .invalid(source, reason: "key \"models.\(role).\(reason)") }
        guard entry.kind == kind else {
            throw invalid("kind\" is \"\(entry.kind)\" but \(entry.file) holds a \"\(kind)\" model")
        }
        guard entry.features == features else {
            throw invalid("features\" is \(entry.features) but \(entry.file) has \(features)")
        }
        guard entry.fallback == fallback else {
            throw entry.fallback == nil
                ? invalid("fallback\" is missing but \(entry.file) is a fallback (\(fallback!.prefix(60)))")
                : invalid("fallback\" is set but \(entry.file) is not that fallback")
        }
    }

    /// Checks every model entry of a loaded bundle against its model.
    static func checkEntries(_ bundle: ModelBundle, folder: String) throws {
        let models = bundle.manifest.models
        try checkEntry(models.payLikelihood, role: "pay_likelihood", kind: LogisticRegressionModel.kind,
                       features: bundle.payLikelihood.features.count, fallback: nil, folder: folder)
        try checkEntry(models.timeToPay, role: "time_to_pay", kind: CoxModel.kind, features: bundle.timeToPay.features.count,
                       fallback: nil, folder: folder)
        try checkEntry(models.callWindow, role: "call_window", kind: CallWindowModel.kind, features: bundle.callWindow.windows.count,
                       fallback: bundle.callWindow.fallback, folder: folder)
        switch bundle.promiseKept {
        case .logistic(let model):
            try checkEntry(models.promiseKept, role: "promise_kept", kind: LogisticRegressionModel.kind,
                           features: model.features.count, fallback: nil, folder: folder)
        case .populationRate(let rate):
            try checkEntry(models.promiseKept, role: "promise_kept", kind: PromiseKeptModel.PopulationRate.kind, features: 0,
                           fallback: rate.reason, folder: folder)
        }
        if let entry = models.cashShare, let model = bundle.cashShare {
            try checkEntry(entry, role: "cash_share", kind: LogisticRegressionModel.kind, features: model.features.count,
                           fallback: nil, folder: folder)
        }
        if let entry = models.callEffect, let model = bundle.callEffect {
            try checkEntry(entry, role: "call_effect", kind: LogisticRegressionModel.kind, features: model.outcome.features.count,
                           fallback: nil, folder: folder)
        }
    }
}
