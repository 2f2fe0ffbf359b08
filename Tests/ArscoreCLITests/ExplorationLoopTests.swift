import Foundation
import Jobs
import Reports
import Scoring
import Simulation
import TestSupport
import Testing

/// The loop of issue 12: the queue explores and holds out, the selections are logged into the export, a retrained
/// bundle learns the call effect from them, and compare values a policy off-policy from the same log.
@Suite("Exploration, retraining and off-policy values in the closed loop")
struct ExplorationLoopTests {
    static let configuration = ClosedLoopConfiguration(customers: 1000, historyMonths: 9, seed: 4, start: "2026-11-02",
                                                       callingDays: 30, tailDays: 30, capacity: 30)

    /// One run of `retrained` (exploration 0.2, holdout 0.1) keeping its work folder.
    static func run() throws -> (folder: TemporaryFolder, summary: ClosedLoopSummary) {
        let folder = try TemporaryFolder("exploration-loop")
        var policy = QueuePolicy()
        policy.explorationShare = 0.2
        policy.holdoutShare = 0.1
        let summary = try ClosedLoopSimulation.run(.init(configuration: configuration, policies: ["retrained"],
                                                         queuePolicy: policy, workFolder: folder.path, retrainAfterDays: 35))
        return (folder, summary)
    }

    @Test func theRetrainedBundleLearnsFromTheLoggedSelectionsAndCompareValuesPolicies() throws {
        let (folder, summary) = try Self.run()
        // The log holds each calling day's picks by rank (probability 1), explore picks and held-out accounts.
        let log = try CSVTable(path: folder.path("end-retrained-seed-4/selections.csv"))
        let selections = log.column("selection"), probabilities = log.numbers("selection_probability")
        #expect(Set(selections) == ["priority", "explore", "holdout"])
        #expect(zip(selections, probabilities).allSatisfy { $0 != "priority" || $1 == 1 })
        #expect(zip(selections, probabilities).allSatisfy { $1 > 0 && $1 <= 1 })
        #expect(Set(log.column("as_of_date")).count == 30)
        // The first bundle (history before the loop: no log) is observational; the retrained one is randomised.
        let first = try bundleJSON(folder.path("models/seed-4/v1/bundle.json"))
        let retrained = try bundleJSON(folder.path("models/retrained-seed-4/v1/bundle.json"))
        #expect(first["design"] as? String == "observational")
        #expect(retrained["design"] as? String == "randomized")
        let model = try String(contentsOfFile: folder.path("models/retrained-seed-4/v1/call_effect.json"), encoding: .utf8)
        #expect(model.contains("\"called_x_") && !model.contains("\"reached"))
        #expect(summary.rows.first?.meanCalls == 900)

        // compare on the export as it stood after the loop: the first bundle's policy off-policy.
        let result = try ModelComparison.run(.init(exportFolder: folder.path("end-retrained-seed-4"),
                                                   bundlePaths: [folder.path("models/seed-4")]))
        let summaryOfLog = try #require(result.selectionLog)
        #expect(summaryOfLog.called > 0 && summaryOfLog.heldOut > 0)
        let offPolicy = try #require(result.bundles[0].callEffect?.offPolicy)
        let value = offPolicy.estimate.selfNormalized
        #expect(value.lower95 < value.value && value.value < value.upper95 && offPolicy.matchingRows > 0)
        #expect(result.bundles[0].callEffect?.qini != nil)
        // The value recomputed here from the files and from `arscore score`'s own calls.csv of each logged day.
        let expected = try Self.offPolicyValue(folder: folder.path("end-retrained-seed-4"), bundle: folder.path("models/seed-4"),
                                               from: summaryOfLog.firstDay, to: summaryOfLog.lastDay,
                                               horizonDays: result.data.horizonDays)
        #expect(abs(value.value - expected) <= 1e-9 * abs(expected))
        #expect(ComparisonTable.text(result).contains("off-policy values from selections.csv"))
    }

    /// SNIPS of the bundle's policy straight from selections.csv and payments.csv (amounts as written): the policy's
    /// calls of a day are those of a published `arscore score` run as of that day with the day's logged number of
    /// calls, no exploration and no holdout; a row counts when that policy takes its logged action.
    static func offPolicyValue(folder: String, bundle: String, from: String, to: String, horizonDays: Int) throws -> Double {
        let log = try CSVTable(path: folder + "/selections.csv")
        let payments = try CSVTable(path: folder + "/payments.csv")
        let paidDays = payments.column("payment_date").map { Days.number($0) }
        let paidAmounts = payments.numbers("amount"), payers = payments.column("customer_id")
        let days = log.column("as_of_date"), customers = log.column("customer_id")
        let kinds = log.column("selection"), printed = log.numbers("selection_probability")
        var holdoutProbability: [String: Double] = [:], callsOfDay: [String: Int] = [:]
        for i in days.indices {
            if kinds[i] == "holdout" { holdoutProbability[days[i]] = printed[i] } else { callsOfDay[days[i], default: 0] += 1 }
        }
        let queues = try TemporaryFolder("off-policy-queues")
        var policyCalls: [String: Set<String>] = [:]
        for day in Set(days) where day >= from && day <= to {
            var policy = QueuePolicy()
            policy.capacity = callsOfDay[day] ?? 0
            policy.explorationShare = 0
            policy.holdoutShare = 0
            let report = try NightlyScoring.run(.init(exportFolder: folder, modelPath: bundle, outFolder: queues.path,
                                                      asOf: Int32(Days.number(day)), policy: policy))
            policyCalls[day] = Set(try CSVTable(path: report.folder + "/calls.csv").column("customer_id"))
        }
        var weighted = 0.0, weights = 0.0
        for i in days.indices where days[i] >= from && days[i] <= to {
            let called = kinds[i] != "holdout"
            guard policyCalls[days[i]]!.contains(customers[i]) == called else { continue }
            let q = holdoutProbability[days[i]] ?? 0
            let p = called ? (1 - q) * printed[i] : printed[i]
            let day = Days.number(days[i])
            let cash = paidDays.indices.filter { payers[$0] == customers[i] && paidDays[$0] >= day && paidDays[$0] < day + horizonDays }
                .reduce(0) { $0 + paidAmounts[$1] }
            weighted += cash / p
            weights += 1 / p
        }
        return weighted / weights
    }

    /// bundle.json's `call_effect` object.
    func bundleJSON(_ path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return try #require(object?["call_effect"] as? [String: Any])
    }
}
