import Foundation
import Jobs
import Simulation
import TestSupport
import Testing

@Suite("arscore simulate")
struct SimulateCommandTests {
    static let small = ClosedLoopConfiguration(customers: 300, historyMonths: 6, seed: 9, start: "2026-11-02",
                                               callingDays: 6, tailDays: 5, capacity: 10)

    /// The queue policy trains on the history and runs the real scoring path each calling day, within capacity.
    @Test func theQueuePolicyRunsTheScoringPathEveryCallingDay() throws {
        let folder = try TemporaryFolder("simulate-queue")
        let summary = try ClosedLoopSimulation.run(.init(configuration: Self.small, policies: ["none", "aging", "queue"],
                                                         workFolder: folder.path))
        let rows = Dictionary(uniqueKeysWithValues: summary.runs[0].rows.map { ($0.outcome.policy, $0) })
        let queue = try #require(rows["queue"])
        #expect(queue.outcome.tally.calls > 0 && queue.outcome.tally.calls <= 60)
        #expect(rows["none"]?.cashCausedUSD == 0)
        #expect(queue.cashCausedUSD != nil && rows["aging"]?.ratioToAging == 1)
        // The bundle trained on the history, and the last day's export as the queue saw it.
        #expect(folder.exists("models/seed-9/v1/bundle.json"))
        #expect(folder.exists("today/calls.csv") && !folder.exists("today/truth.json"))
    }

    @Test func runsSummariseSeveralSeeds() throws {
        let summary = try ClosedLoopSimulation.run(.init(configuration: Self.small, policies: ["none", "random", "aging"], runs: 2))
        #expect(summary.runs.map(\.configuration.seed) == [9, 10])
        let aging = try #require(summary.rows.first { $0.policy == "aging" })
        #expect(aging.ratioToAging == 1 && aging.standardErrorUSD != nil)
        let table = ClosedLoopSimulation.table(summary)
        #expect(table.contains("2 runs (seeds 9…10)") && table.contains("random"))
    }

    @Test func theCommandPrintsTheTableAndWritesJSON() throws {
        let folder = try TemporaryFolder("simulate-cli")
        let json = folder.path("closed-loop.json")
        #expect(runCommand(["simulate", "--customers", "200", "--months", "4", "--days", "3", "--tail", "2", "--capacity", "5",
                            "--policies", "none,aging", "--json", json, "--quiet"]) == nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { $0["policy"] as? String } == ["none", "aging"])
        #expect(rows.last?["ratio_to_aging"] as? Double == 1)
        let runs = try #require(object["runs"] as? [[String: Any]])
        let configuration = try #require(runs.first?["configuration"] as? [String: Any])
        #expect(configuration["customers"] as? Int == 200)
        let tally = try #require((runs.first?["rows"] as? [[String: Any]])?.last?["outcome"] as? [String: Any])
        #expect((tally["tally"] as? [String: Any])?["cash_usd"] is Double)
    }

    @Test func badArgumentsAreRefused() {
        #expect(runCommand(["simulate", "--policies", "none,smart"])?.contains("unknown policy \"smart\"") == true)
        #expect(runCommand(["simulate", "--start", "2026-02-30"])?.contains("--start") == true)
        #expect(runCommand(["simulate", "--customers", "0", "--policies", "none"])?.contains("customers must be") == true)
        #expect(runCommand(["simulate", "--runs", "0", "--policies", "none"])?.contains("runs must be") == true)
    }
}
