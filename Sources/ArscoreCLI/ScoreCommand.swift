import ArgumentParser
import CivilTime
import Foundation
import Jobs
import Logging
import Queues

/// `arscore score`: the nightly job, export + bundle → queue folder with an atomic `latest`.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score every account and publish tomorrow's queues (calls, promise follow-ups, disputes, escalations).",
        discussion: """
        Features use only rows dated before --as-of (default: today, UTC), so a past date replays that day. The queue \
        folder <out>/<as-of>/ is written under a temporary name, flushed and verified, then renamed, and <out>/latest is \
        switched to it atomically; a failed run leaves the previous latest untouched. See docs/QUEUES.md and \
        docs/POLICY.md.
        """)

    @Option(help: "Export folder (customers.csv, invoices.csv, payments.csv, calls.csv, promises.csv).")
    var data: String

    @Option(help: "Model bundle: Models/NAME (newest version) or Models/NAME/VERSION.")
    var model: String

    @Option(help: "Queue root folder; the run writes <out>/<as-of>/ and switches <out>/latest.")
    var out: String?

    @Option(name: .customLong("shard-result"),
            help: "Instead of --out: write this shard's unranked, uncut shard result folder for `arscore merge`.")
    var shardResult: String?

    @Option(name: .customLong("as-of"), help: "Calling day, YYYY-MM-DD (default: today, UTC); data before it is used.")
    var asOf: String?

    @Option(help: "Daily capacity: at most this many rows in calls.csv (overrides the policy file).")
    var capacity: Int?

    @Option(help: "Policy JSON file (see docs/POLICY.md); defaults apply to missing keys.")
    var config: String?

    @Option(name: .customLong("max-bad-rows"), help: "Largest share of bad rows per file before the run fails.")
    var maxBadRows: Double = 0.01

    @Flag(help: "No progress on stderr and no summary on stdout.")
    var quiet = false

    @OptionGroup var operations: OperationsOptions

    /// A publishing step at which the process exits at once, as a crash would (`ARSCORE_FAULT_POINT`, for the
    /// crash-safety tests); set by `ArscoreMain.run(_:environment:)`, never parsed from arguments.
    var faultPointName: String?

    func validate() throws {
        if let asOf { _ = try CivilDate.parseOption(asOf, option: "--as-of").mapError { ValidationError($0.message) }.get() }
        if let capacity, capacity < 0 { throw ValidationError("--capacity must be ≥ 0") }
        guard (out == nil) != (shardResult == nil) else { throw ValidationError("give exactly one of --out and --shard-result") }
        if shardResult != nil && capacity != nil {
            throw ValidationError("--capacity applies at `arscore merge`, not to a shard result")
        }
    }

    func run() throws {
        let day = asOf.flatMap(CivilDate.parse) ?? NightlyScoring.today()
        let started = Date()
        let log = RunLog.logger(command: "score", format: operations.logFormat, quiet: quiet)
        if let shardResult {
            let report = try ShardScoring.run(
                .init(exportFolder: data, modelPath: model, resultFolder: shardResult, asOf: day, policyPath: config,
                      badRowThreshold: maxBadRows),
                progress: { log.info("\($0)") })
            if !quiet { print(report.summary) }
            return
        }
        guard let out else { return }
        let fault = faultPointName
        let report = try NightlyScoring.run(
            .init(exportFolder: data, modelPath: model, outFolder: out, asOf: day, capacity: capacity, policyPath: config,
                  badRowThreshold: maxBadRows,
                  faultPoint: fault.map { name -> @Sendable (QueuePublishStep) throws -> Void in
                      { step in if step.name == name { _exit(86) } }
                  }),
            progress: { log.info("\($0)") })
        let seconds = Date().timeIntervalSince(started)
        if let path = operations.metricsFile { try RunMetrics.score(report, seconds: seconds).write(to: path) }
        log.info("published", metadata: [
            "folder": "\(report.folder)", "as_of": "\(report.manifest.asOf)", "seconds": "\(seconds)",
            "rows": .dictionary(report.manifest.files.mapValues { "\($0.rows)" })])
        if !quiet { print(report.summary) }
    }
}
