import ArgumentParser
import FileSafety
import Foundation
import Simulation

/// `arscore generate`: a synthetic export folder with known ground truth.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic export folder (customers, invoices, payments, calls, promises) and truth.json.",
        discussion: """
        The history covers --months months before --end. Output is deterministic per --seed. \
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

    @Flag(help: "Print nothing on success and no progress.")
    var quiet = false

    func run() throws {
        let configuration = GeneratorConfiguration(customers: customers, months: months, seed: seed, end: end)
        let progress = ProgressReporter(enabled: !quiet, label: "generating")
        let summary = try AtomicFolder.write(at: out) { temporary in
            try HistoryGenerator.generate(configuration, into: temporary) { done, total in
                progress.update(done, of: total)
            }
        }
        progress.finish()
        if !quiet {
            print("wrote \(summary.customers) customers, \(summary.invoices) invoices, \(summary.payments) payments, "
                + "\(summary.calls) calls, \(summary.promises) promises (\(summary.bytesWritten / 1_000_000) MB) -> \(out)")
        }
    }
}

/// Progress on stderr, only when stderr is a terminal.
final class ProgressReporter: @unchecked Sendable {
    private let enabled: Bool
    private let label: String
    private var lastPercent = -1

    init(enabled: Bool, label: String) {
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        FileHandle.standardError.write(Data("\r\(label) \(percent)%".utf8))
    }

    func finish() {
        if enabled && lastPercent >= 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
