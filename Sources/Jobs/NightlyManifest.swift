import Foundation
import Queues
import Scoring

/// The facts of one night that go into the queue manifest and the run's summary line, gathered by `arscore score` on
/// one machine or by `arscore merge` from the shard results, and turned into the manifest by one function, so both
/// write the same manifest for the same data.
struct NightlyFacts {
    var asOf: String
    var modelName: String
    var modelVersion: String
    var bundlePath: String
    /// The export's newest row date (YYYY-MM-DD).
    var dataEnd: String
    var policy: QueuePolicy
    var accountsScored: Int
    var exclusions: [String: Int]
    var scorePSI: Double?
    var draws: QueueBuilder.Draws
    var currencyWarning: String?
    var bundleHasCallEffect: Bool
    var modelFallbacks: [String]
    var kpis: QueueManifest.KPIBlock

    /// The manifest template `QueuePublisher` completes with the files' entries.
    func manifest(createdAt: Date) -> QueueManifest {
        var extra = ["accounts_scored": String(accountsScored), "bundle_path": bundlePath, "data_end": dataEnd]
        if let capacity = policy.capacity { extra["capacity"] = String(capacity) }
        extra["priority"] = policy.priority.rawValue
        extra["escalation"] = policy.escalation ? "on" : "off"
        extra.merge(draws.manifestExtra) { _, draw in draw }
        if let currencyWarning { extra["currency_warning"] = currencyWarning }
        if policy.priority == .incrementalCash && !bundleHasCallEffect {
            extra["priority_fallback"] = "the bundle has no call-effect model: incremental_cash ranks by expected cash"
        }
        if !modelFallbacks.isEmpty { extra["model_fallbacks"] = modelFallbacks.joined(separator: "; ") }
        return QueueManifest(asOf: asOf, createdAt: createdAt, modelName: modelName, modelVersion: modelVersion,
                             exclusions: exclusions, scorePSI: scorePSI, extra: extra, kpis: kpis)
    }

    /// The one-line summary of a published night.
    func summary(files: [QueueFile], publication: QueuePublication) -> String {
        let rows = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.rows) })
        var summary = "published \(publication.folder): \(rows["calls.csv"] ?? 0) calls, "
            + "\(rows["promise_followups.csv"] ?? 0) promise follow-ups, \(rows["disputes.csv"] ?? 0) disputed invoices, "
            + "\(rows["escalations.csv"] ?? 0) escalations from \(accountsScored) accounts"
        if draws.exploreCalls > 0 || draws.heldOut > 0 {
            summary += " (\(draws.exploreCalls) calls drawn to explore, \(draws.heldOut) accounts held out)"
        }
        if let scorePSI { summary += String(format: "; score PSI %.3f", scorePSI) }
        if let currencyWarning { summary += "; " + currencyWarning }
        if (scorePSI ?? 0) > 0.25 { summary += " (large shift from the training data: consider retraining)" }
        if !publication.movedLatest {
            summary += "; latest stays on \(publication.latestAsOf) (this replay of an older day does not move it)"
        }
        return summary
    }
}
