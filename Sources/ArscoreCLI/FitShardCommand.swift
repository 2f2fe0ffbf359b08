import ArgumentParser
import FileSafety
import Foundation
import Jobs
import Models

/// `arscore fit-shard`: one shard's part of a distributed fit pass (moments, or statistics at the state's request).
struct FitShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-shard",
        abstract: "Compute one shard's statistics for a distributed fit (see docs/SCALE-OUT.md).",
        discussion: """
        Without --state: the shard's column moments (and Cox event times), the first pass. With --state: the \
        shard's Newton statistics at the point the state requests. Combine the shards' files with \
        `arscore fit-combine`. `call_window --data SHARD`: the shard export's date range without \
        --history-end, else its call-window statistics for the training history ending on that date.
        """)

    @Argument(help: "logistic, cox or call_window.")
    var model: String

    @Option(help: "The shard's table (CSV with a header row; logistic and cox).")
    var table: String?

    @Option(help: "call_window: the shard's export folder (from `arscore partition`).")
    var data: String?

    @Option(name: .customLong("history-end"), help: "call_window: the first holdout date (from the range pass).")
    var historyEnd: String?

    @Option(name: .customLong("max-bad-rows"), help: "call_window: largest share of bad rows per file.")
    var maxBadRows: Double = 0.01

    @Option(help: "Logistic: the 0/1 target column.")
    var target: String?

    @Option(help: "Cox: the duration column.")
    var duration: String?

    @Option(help: "Cox: the 0/1 event column.")
    var event: String?

    @Option(help: "Comma-separated feature columns (default: every numeric column but the role columns).")
    var features: String?

    @Option(help: "Column of non-negative sample weights.")
    var weight: String?

    @Option(help: "The driver's state file (omit for the moments pass).")
    var state: String?

    @Option(help: "Where to write the shard's statistics (JSON).")
    var out: String

    func validate() throws {
        if model == CallWindowFitSteps.model {
            guard data != nil else { throw ValidationError("call_window needs --data") }
            return
        }
        guard let kind = DistributedFitProtocol.ModelKind(rawValue: model) else {
            throw ValidationError("the model must be logistic, cox or call_window, got \"\(model)\"")
        }
        guard table != nil else { throw ValidationError("\(model) needs --table") }
        if kind == .logistic && target == nil { throw ValidationError("logistic needs --target") }
        if kind == .cox && (duration == nil || event == nil) { throw ValidationError("cox needs --duration and --event") }
    }

    func run() throws {
        if model == CallWindowFitSteps.model {
            try CallWindowFitSteps.shard(data: data!, historyEnd: historyEnd, badRowThreshold: maxBadRows, out: out)
            return
        }
        let names = try features.map { list -> [String] in
            let names = list.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if names.contains(where: \.isEmpty) { throw ValidationError("--features has an empty name: \"\(list)\"") }
            return names
        }
        let shard = DistributedFitProtocol.ShardTable(
            model: DistributedFitProtocol.ModelKind(rawValue: model)!, path: table!, features: names, weight: weight,
            target: target, duration: duration, event: event)
        let stateFile = try state.map { try DistributedFitProtocol.read(DistributedFitProtocol.State.self, path: $0) }
        let statistics = try DistributedFitProtocol.shardStatistics(shard, state: stateFile, statePath: state ?? "")
        try DistributedFitProtocol.write(statistics, path: out)
    }
}

/// `arscore fit-combine`: the driver's step of a distributed fit.
struct FitCombineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-combine",
        abstract: "Combine shard statistics into the next state of a distributed fit, or the model at convergence.",
        discussion: """
        Without --state: the moments files give the first state. With --state: the shards' statistics for it \
        give the next state; prints "step" (run fit-shard again with the new state) or "converged" (the model \
        is written to --model-out, the format `arscore fit` writes). `call_window`: range files give the \
        history end (printed "history-end DATE"); statistics files give call_window.json at --out ("converged").
        """)

    @Argument(help: "logistic, cox or call_window.")
    var model: String

    @Option(parsing: .upToNextOption, help: "The shards' statistics files.")
    var stats: [String]

    @Option(help: "The state the statistics answer (omit to combine the moments pass).")
    var state: String?

    @Option(help: "L2 penalty on standardised coefficients (moments pass only; kept in the state).")
    var l2: Double = 0

    @Option(help: "Cox tie handling: efron or breslow (moments pass only).")
    var ties: String = "efron"

    @Option(help: "Where to write the next state (JSON).")
    var out: String

    @Option(help: "Where to write the model at convergence.")
    var modelOut: String?

    @OptionGroup var split: WindowSplitOptions

    func validate() throws {
        guard model == CallWindowFitSteps.model || DistributedFitProtocol.ModelKind(rawValue: model) != nil else {
            throw ValidationError("the model must be logistic, cox or call_window, got \"\(model)\"")
        }
        guard CoxRegression.Ties(rawValue: ties) != nil else { throw ValidationError("--ties must be efron or breslow") }
        guard l2.isFinite, l2 >= 0 else { throw ValidationError("--l2 must be a non-negative number") }
        guard !stats.isEmpty else { throw ValidationError("--stats names no file") }
    }

    func run() throws {
        if model == CallWindowFitSteps.model {
            try CallWindowFitSteps.combine(stats: stats, split: split, out: out)
            return
        }
        let kind = DistributedFitProtocol.ModelKind(rawValue: model)!
        let shards = try stats.map { try DistributedFitProtocol.read(DistributedFitProtocol.ShardStatistics.self, path: $0) }
        guard let state else {
            let first = try DistributedFitCombine.start(shards, sources: stats, model: kind, l2: l2,
                                                        ties: CoxRegression.Ties(rawValue: ties)!)
            try DistributedFitProtocol.write(first, path: out)
            print("step")
            return
        }
        let current = try DistributedFitProtocol.read(DistributedFitProtocol.State.self, path: state)
        guard current.model == kind else { throw ValidationError("\(state): a \(current.model.rawValue) state") }
        switch try DistributedFitCombine.step(current, shards, sources: stats) {
        case .next(let next):
            try DistributedFitProtocol.write(next, path: out)
            print("step")
        case .converged(let final, let modelJSON):
            guard let modelOut else { throw ValidationError("converged: --model-out is needed to write the model") }
            try AtomicFile.write(modelJSON, to: modelOut)
            try DistributedFitProtocol.write(final, path: out)
            print("converged")
        }
    }
}
