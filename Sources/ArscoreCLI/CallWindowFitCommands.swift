import ArgumentParser
import CivilTime
import Features
import Foundation
import Jobs
import Training

/// The split options of `arscore train` that decide where the call-window training history ends.
struct WindowSplitOptions: ParsableArguments {
    @Option(help: "call_window: the outcome horizon in days, as given to `arscore train`.")
    var horizon: Int = 30

    @Option(help: "call_window: the snapshot spacing, as given to `arscore train`.")
    var snapshots: String = "monthly"

    @Option(help: "call_window: the newest snapshot dates held out, as given to `arscore train`.")
    var holdout: Int = 2

    func validate() throws {
        guard horizon >= 1, horizon <= 366 else { throw ValidationError("--horizon must be 1 to 366 days") }
        guard holdout >= 1 else { throw ValidationError("--holdout must be at least 1") }
        guard SnapshotSchedule(name: snapshots) != nil else {
            throw ValidationError("--snapshots must be monthly or every-N-days, got \"\(snapshots)\"")
        }
    }

    /// `arscore train`'s options with these split settings.
    var trainingOptions: TrainingOptions {
        var options = TrainingOptions()
        options.horizonDays = horizon
        options.holdoutSnapshots = holdout
        options.schedule = SnapshotSchedule(name: snapshots)!
        return options
    }
}

/// `arscore fit-sharded call_window`: the call-window model over shard export folders, both passes in one process.
struct FitShardedCallWindowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call_window",
        abstract: "Fit the call-window model over shard exports (the call_window.json `arscore train` writes).")

    @Option(parsing: .upToNextOption, help: "Shard export folders (of one `arscore partition` run).")
    var data: [String]

    @OptionGroup var split: WindowSplitOptions

    @Option(name: .customLong("max-bad-rows"), help: "Largest share of bad rows per file before a shard fails.")
    var maxBadRows: Double = 0.01

    @Option(help: "Where to write call_window.json.")
    var out: String

    @Flag(help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("--data names no shard folder") }
    }

    func run() throws {
        let result = try CallWindowDistributedFit.run(shardFolders: data, options: split.trainingOptions,
                                                      badRowThreshold: maxBadRows)
        try CallWindowDistributedFit.writeModel(result.model, path: out)
        if !quiet {
            print("fitted the call-window model on \(data.count) shards, history to \(CivilDate.format(result.historyEnd)), "
                + "\(result.model.fit.accounts) sampled accounts, \(result.model.fit.attempts) attempts -> \(out)")
        }
    }
}

/// The call-window halves of `arscore fit-shard` and `arscore fit-combine`.
enum CallWindowFitSteps {
    /// The model argument that selects them.
    static let model = "call_window"

    /// `fit-shard call_window --data SHARD [--history-end DATE] --out FILE`: the range pass without a date, else the
    /// shard's statistics for the history ending then.
    static func shard(data: String, historyEnd: String?, badRowThreshold: Double, out: String) throws {
        let end = try historyEnd.map { text -> Int32 in
            guard let day = CivilDate.parseExact(text) else {
                throw ValidationError("--history-end must be a YYYY-MM-DD date, got \"\(text)\"")
            }
            return day
        }
        let statistics = try CallWindowShardStatistics.compute(exportFolder: data, historyEnd: end,
                                                               badRowThreshold: badRowThreshold)
        try CallWindowDistributedFit.write(statistics, path: out)
    }

    /// `fit-combine call_window --stats FILES --out FILE`: range files give the history end (printed as
    /// `history-end DATE`, written to FILE as JSON); statistics files give call_window.json (printed `converged`).
    static func combine(stats: [String], split: WindowSplitOptions, out: String) throws {
        let shards = try stats.map { try CallWindowDistributedFit.read(path: $0) }
        let options = split.trainingOptions
        if shards.allSatisfy({ $0.historyEnd == nil }) {
            let end = CivilDate.format(try CallWindowDistributedFit.historyEnd(shards, sources: stats, options: options))
            try CallWindowDistributedFit.writeHistoryEnd(end, path: out)
            print("history-end \(end)")
            return
        }
        let model = try CallWindowDistributedFit.combine(shards, sources: stats, options: options)
        try CallWindowDistributedFit.writeModel(model, path: out)
        print("converged")
    }
}
