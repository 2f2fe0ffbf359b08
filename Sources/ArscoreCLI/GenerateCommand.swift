import ArgumentParser
import Foundation
import Jobs
import Simulation

/// `arscore generate`: a synthetic export folder with known ground truth.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic export folder (customers, invoices, payments, calls, promises) and truth.json.",
        discussion: """
        The history covers --months months before --end. Output is deterministic per --seed. \
        --world picks the causal story: lift (the default: a contact lifts the payment hazard) or archetypes \
        (self-payers, call-responsive, promise-driven and lost customers; instalments; disputes raised in calls). \
        The folder is written under a temporary name and renamed when complete.
        """)

    @Option(help: "Output folder (must not exist, or be empty).")
    var out: String

    @Option(help: "Number of customers.")
    var customers: Int = 1000

    @Option(help: "Months of history.")
    var months: Int = 12

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "End of the history (exclusive), YYYY-MM-DD.")
    var end: String = "2026-11-01"

    @Option(help: "Synthetic world: \(WorldKind.knownNames).")
    var world: String = WorldKind.lift.rawValue

    @Flag(help: "Print nothing on success and no progress.")
    var quiet = false

    func validate() throws {
        do {
            _ = try ExportGeneration.world(named: world)
        } catch {
            throw ValidationError("--world: \(error.description)")
        }
    }

    func run() throws {
        let configuration = GeneratorConfiguration(customers: customers, months: months, seed: seed, end: end,
                                                   world: try ExportGeneration.world(named: world))
        let progress = ProgressLines(enabled: !quiet)
        let summary = try ExportGeneration.run(configuration, into: out, progress: progress.percent(label: "generating"))
        progress.clearPercent()
        if !quiet {
            print("wrote \(summary.customers) customers, \(summary.invoices) invoices, \(summary.payments) payments, "
                + "\(summary.calls) calls, \(summary.promises) promises (\(summary.bytesWritten / 1_000_000) MB) -> \(out)")
        }
    }
}
