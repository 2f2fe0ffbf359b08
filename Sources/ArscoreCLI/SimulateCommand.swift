import ArgumentParser
import CivilTime
import Foundation
import Jobs
import Scoring
import Simulation

/// `arscore simulate`: the closed loop — policies decide each day's calls on a synthetic world, the world answers.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Closed loop on a synthetic world: the cash each policy's calls cause, side by side.",
        discussion: """
        Generates the world's history before --start (as arscore generate would), then runs it day by day: on each \
        of --days weekdays a policy chooses up to --capacity calls and the world answers (outcomes, promises, \
        payments), then --tail days without calls let late effects land. Every policy sees the same world and the \
        same random numbers per customer and day, so they differ only by their calls. Cash caused = the book's cash \
        under the policy minus under no calls (none). Policies: none, random, aging (past-due × days past due, \
        today's practice), oracle (knows the world: the limit), queue (trains a bundle on the history, then runs \
        the real scoring path every day and calls the top of calls.csv in its planned window), retrained (the queue,         retrained once --retrain-after days into the loop on the history as it stands, with the queue's logged         selections). See docs/SIMULATION.md.
        """)

    @Option(help: "Synthetic world: \(WorldKind.knownNames) (Datasets/README.md compares them).")
    var world: String = WorldKind.lift.rawValue

    @Option(help: "Number of customers.")
    var customers: Int = 3000

    @Option(help: "Months of history before --start (the queue's bundle trains on it).")
    var months: Int = 12

    @Option(help: "Seed of the world (same seed, same world, same random numbers).")
    var seed: UInt64 = 1

    @Option(help: "First day of the loop, YYYY-MM-DD.")
    var start: String = "2026-11-02"

    @Option(help: "Calling days (weekdays).")
    var days: Int = 60

    @Option(help: "Days without calls after the calling period.")
    var tail: Int = 30

    @Option(help: "Calls a day.")
    var capacity: Int = 75

    @Option(help: "Runs of the world with seeds --seed, --seed + 1, …: means and standard errors over them.")
    var runs: Int = 1

    @Option(help: "Comma-separated policies, run in this order: none, random, aging, oracle, queue, queue:MODE, retrained, retrained:MODE (MODE: expected_cash, pay_likelihood, aging, incremental_cash).")
    var policies: String = ClosedLoopSimulation.defaultPolicies.joined(separator: ",")

    @Option(name: .customLong("retrain-after"), help: "Calendar days into the loop after which the retrained policies retrain (default: the middle calling day).")
    var retrainAfter: Int?

    @Option(help: "Comma-separated priority modes the queue policies also work out each day (not called), for their true value on the logged days in --json (shadow_values): the check of compare's off-policy values.")
    var shadow: String?

    @Option(name: .customLong("config"), help: "Policy file for the queue policy (docs/POLICY.md).")
    var config: String?

    @Option(help: "Write the comparison as JSON to this file.")
    var json: String?

    @Option(name: .customLong("work"), help: "Keep the history export, the bundle and the last daily export here.")
    var work: String?

    @Flag(help: "Print nothing but the table.")
    var quiet = false

    func validate() throws {
        do {
            _ = try ExportGeneration.world(named: world)
        } catch {
            throw ValidationError("--world: \(error.description)")
        }
        guard CivilDate.parseExact(start) != nil else { throw ValidationError("--start must be a date YYYY-MM-DD, got \"\(start)\"") }
        let names = policyList
        guard !names.isEmpty else { throw ValidationError("--policies names no policy") }
        if let retrainAfter, retrainAfter < 1 || retrainAfter > 3650 {
            throw ValidationError("--retrain-after must be between 1 and 3650 days, got \(retrainAfter)")
        }
        _ = try shadowModes()
        if let unknown = names.first(where: { !ClosedLoopSimulation.policyNames.contains($0) }) {
            throw ValidationError("--policies: unknown policy \"\(unknown)\"; known: \(ClosedLoopSimulation.policyNames.joined(separator: ", "))")
        }
    }

    private func shadowModes() throws -> [QueuePriority] {
        try (shadow ?? "").split(separator: ",").map { name in
            guard let mode = QueuePriority(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--shadow: unknown priority mode \"\(name)\"; known: \(QueuePriority.names)")
            }
            return mode
        }
    }

    private var policyList: [String] {
        policies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        let configuration = ClosedLoopConfiguration(world: try ExportGeneration.world(named: world), customers: customers, historyMonths: months, seed: seed, start: start,
                                                    callingDays: days, tailDays: tail, capacity: capacity)
        let progress = ProgressLines(enabled: !quiet)
        var request = ClosedLoopSimulation.Request(configuration: configuration, policies: policyList,
                                                   queuePolicy: try config.map(QueuePolicy.load(path:)), runs: runs,
                                                   workFolder: work, retrainAfterDays: retrainAfter)
        request.shadowPriorities = try shadowModes()
        let summary = try ClosedLoopSimulation.run(request, progress: progress.write)
        if let json {
            try ClosedLoopSimulation.writeJSON(summary, to: json)
        }
        FileHandle.standardOutput.write(Data(ClosedLoopSimulation.table(summary).utf8))
    }
}
