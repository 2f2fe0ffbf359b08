import Bundles
import Features
import Foundation
import Receivables
import Scoring
import TestSupport
import Testing

// MARK: - Paths and the committed bundle

/// Models/demo (its newest version), trained on Datasets/demo and committed: loaded once per test process.
let demoBundle: ModelBundle = {
    do { return try ModelBundle.load(path: packageRoot + "/Models/demo") } catch {
        fatalError("cannot load the committed bundle Models/demo: \(error)")
    }
}()

// MARK: - Building queues in-process

/// The queue files of one as-of date, built by the library exactly as `arscore score` does (without publishing).
struct BuiltQueues {
    let export: ReceivablesExport
    let scored: ScoredAccounts
    let output: QueueBuilder.Output

    init(folder: String, asOf: Int, bundle: ModelBundle = demoBundle, policy: QueuePolicy = QueuePolicy()) throws {
        export = try ExportLoader.load(folder: folder)
        let builder = FeatureBuilder(export: export)
        let table = builder.snapshot(asOf: Int32(asOf))
        scored = try AccountScorer.score(table, bundle: bundle, expectedDaysHorizon: policy.expectedDaysHorizon)
        output = try QueueBuilder(export: export, builder: builder, bundle: bundle, policy: policy, asOf: Int32(asOf)).build(scored)
    }

    /// Writes `hand` into a scratch folder and builds its queues as of its as-of date.
    init(_ hand: HandExport, policy: QueuePolicy = QueuePolicy()) throws {
        let folder = try TemporaryFolder("hand")
        try hand.write(to: folder.path)
        try self.init(folder: folder.path, asOf: hand.asOf, policy: policy)
    }

    func file(_ name: String) -> CSVTable {
        guard let file = output.files.first(where: { $0.name == name }) else {
            Issue.record("no \(name) in the output")
            return CSVTable(Data())
        }
        return CSVTable(file.contents)
    }

    /// Snapshot row of a customer id.
    func row(of customer: String) -> Int? {
        guard let index = export.customers.ids.find(customer) else { return nil }
        return scored.table.customers.firstIndex(of: index)
    }

    /// The customer's IANA zone.
    func zone(of customer: String) -> String {
        let index = Int(export.customers.ids.find(customer)!)
        return export.customers.timezoneNames[Int(export.customers.timezone[index])]
    }
}

/// The exclusion rules every run counts, in routing order (QueueBuilder's documentation).
let allExclusionRules = ["below_minimum_past_due", "do_not_call", "do_not_call_times", "dispute", "escalation", "open_promise_not_due",
                         "promise_follow_up", "contact_cap", "recent_conversation", "holdout", "better_another_day", "capacity"]
