import ArgumentParser
import Foundation
import Jobs
import Queues

/// `arscore merge`: the shard results of one night → one published queue folder.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard results of `arscore score --shard-result` into one queue folder (as `arscore score` would).",
        discussion: """
        Reads every shard result, checks they are all the shards of one partition scored with one bundle, as-of date \
        and policy, applies the bad-row threshold to the whole export, ranks, draws the holdout and exploration, cuts \
        to the capacity and publishes <out>/<as-of>/ atomically, byte for byte the files a one-machine `arscore score` \
        writes (see docs/SCALE-OUT.md).
        """)

    @Option(help: "Queue root folder; the run writes <out>/<as-of>/ and switches <out>/latest.")
    var out: String

    @Option(help: "Daily capacity: at most this many rows in calls.csv (overrides the policy file).")
    var capacity: Int?

    @Option(help: "Policy JSON file: the one the shards were scored with (only --capacity may differ).")
    var config: String?

    @Flag(help: "No progress on stderr and no summary on stdout.")
    var quiet = false

    @Argument(help: "The shard result folders.")
    var shardResults: [String]

    /// A publishing step at which the process exits at once, as a crash would (set by `ArscoreMain`, never parsed).
    var faultPointName: String?

    func validate() throws {
        if let capacity, capacity < 0 { throw ValidationError("--capacity must be ≥ 0") }
        if shardResults.isEmpty { throw ValidationError("give at least one shard result folder") }
    }

    func run() throws {
        let progress = ProgressLines(enabled: !quiet)
        let fault = faultPointName
        let report = try ShardMerge.run(
            .init(resultFolders: shardResults, outFolder: out, capacity: capacity, policyPath: config,
                  faultPoint: fault.map { name -> @Sendable (QueuePublishStep) throws -> Void in
                      { step in if step.name == name { _exit(86) } }
                  }),
            progress: { progress.write($0) })
        if !quiet { print(report.summary) }
    }
}
