import ArgumentParser
import Foundation
import Simulation
import Tabular

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
        let summary = try ExportPublishing.writeFolder(at: out) { temporary in
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

/// Writing a whole output folder so it appears under its final name only when complete.
enum ExportPublishing {
    /// Runs `body` on a temporary sibling folder, flushes every file in it to disk, then renames it
    /// to `path` (atomically replacing an empty folder there) and flushes the parent folder.
    ///
    /// A crash or an error leaves no folder under `path` (an existing empty one stays as it was);
    /// temporary folders left by earlier crashed runs for the same `path` are removed first.
    /// - Throws: `ArscoreError` when `path` exists and is not an empty folder; whatever `body` throws.
    static func writeFolder<T>(at path: String, _ body: (String) throws -> T) throws -> T {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            let contents = isFolder.boolValue ? ((try? manager.contentsOfDirectory(atPath: path)) ?? ["?"]) : ["?"]
            guard contents.isEmpty else { throw ArscoreError("\(path): already exists and is not empty") }
        }
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let prefix = "." + url.lastPathComponent + ".partial-"
        for stale in (try? manager.contentsOfDirectory(atPath: parent)) ?? [] where stale.hasPrefix(prefix) {
            try? manager.removeItem(atPath: parent + "/" + stale)
        }
        let temporary = parent + "/" + prefix + "\(ProcessInfo.processInfo.processIdentifier)"
        try manager.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        do {
            let result = try body(temporary)
            for file in try manager.contentsOfDirectory(atPath: temporary) {
                try flush(temporary + "/" + file)
            }
            AtomicFile.syncFolder(temporary)
            guard rename(temporary, path) == 0 else {
                throw ArscoreError("\(path): cannot publish the output folder: \(String(cString: strerror(errno)))")
            }
            AtomicFile.syncFolder(parent)
            return result
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
    }

    /// `fsync` of one file, so its contents are on disk before the folder is published.
    static func flush(_ file: String) throws {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw ArscoreError("\(file): cannot flush to disk: \(reason)")
        }
        close(descriptor)
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
