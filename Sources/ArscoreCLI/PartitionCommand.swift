import ArgumentParser
import Foundation
import Jobs

/// `arscore partition`: an export folder split by customer into shard export folders.
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract: "Split an export folder by customer into --shards export folders (DIR/shard-0000, ...).",
        discussion: """
        Each row goes to shard FNV-1a-64(customer_id, spaces and tabs around it removed) mod --shards, copied \
        byte for byte under the input's header, in input order; a row whose customer_id cannot be read goes to \
        shard 0. Absent optional files stay absent. --out must not exist or be empty; it appears only when every \
        shard is written. Beside each file a shard holds <file>.lines (its rows' lines in the input, for the quarantine of \
        `arscore merge`) and partition.json (which shard of which run), both ignored by the loader (see docs/SCALE-OUT.md).
        """)

    @Option(help: "Export folder (customers.csv, invoices.csv, payments.csv; calls.csv, promises.csv, selections.csv when present).")
    var data: String

    @Option(help: "Number of shards (1 to \(ExportPartition.maximumShards)).")
    var shards: Int

    @Option(help: "Output folder (must not exist, or be empty).")
    var out: String

    @Flag(help: "Print nothing on success and no progress.")
    var quiet = false

    func validate() throws {
        guard shards >= 1 && shards <= ExportPartition.maximumShards else {
            throw ValidationError("--shards must be between 1 and \(ExportPartition.maximumShards), got \(shards)")
        }
    }

    func run() throws {
        let progress = ProgressLines(enabled: !quiet)
        let report = try ExportPartition.run(.init(exportFolder: data, shards: shards, outputFolder: out)) { name in
            progress.write("partitioned \(name)")
        }
        if !quiet {
            print(report.summary)
        }
    }
}
