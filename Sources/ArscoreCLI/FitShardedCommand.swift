import ArgumentParser
import Foundation
import Jobs
import Models

/// `arscore fit-sharded`: exact distributed training over shard tables (one driver, summed Newton statistics).
struct FitShardedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-sharded",
        abstract: "Fit one model over shard tables (CSV) from summed per-shard Newton statistics.",
        discussion: """
        Each shard contributes the sufficient statistics of every Newton step (see docs/SCALE-OUT.md, \
        "Exact distributed training"); the model file is the one `arscore fit` writes on the concatenated \
        table, with equal coefficients (to 1e-9), without training metrics or concordance. `call_window` fits the \
        window model over shard export folders: the call_window.json `arscore train` writes on the whole export.
        """,
        subcommands: [FitShardedLogisticCommand.self, FitShardedCoxCommand.self, FitShardedCallWindowCommand.self])
}

/// The options of both `fit-sharded` models: the shard tables, features, weights, penalty and output.
struct ShardedTableOptions: ParsableArguments {
    @Option(parsing: .upToNextOption, help: "Shard tables (CSV with a header row, the same feature columns).")
    var tables: [String]

    @Option(help: "Comma-separated feature columns (default: every numeric column but the role columns).")
    var features: String?

    @Option(help: "Column of non-negative sample weights.")
    var weight: String?

    @Option(help: "L2 penalty on standardised coefficients.")
    var l2: Double = 0

    @Option(help: "Where to write the model JSON.")
    var out: String

    @Flag(help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        guard !tables.isEmpty else { throw ValidationError("--tables names no shard table") }
        guard l2.isFinite, l2 >= 0 else { throw ValidationError("--l2 must be a non-negative number") }
    }

    /// `--features a,b,c` split into names; an empty name is an error.
    func featureList() throws -> [String]? {
        guard let features else { return nil }
        let names = features.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if names.contains(where: \.isEmpty) { throw ValidationError("--features has an empty name: \"\(features)\"") }
        return names
    }
}

/// `arscore fit-sharded logistic`.
struct FitShardedLogisticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logistic", abstract: "Fit an L2 logistic regression over shard tables.")

    @Option(help: "0/1 target column.")
    var target: String

    @OptionGroup var common: ShardedTableOptions

    func run() throws {
        let model = try DistributedTableFit.fitLogistic(shardPaths: common.tables, .init(
            tablePath: common.tables[0], target: target, features: try common.featureList(), weight: common.weight,
            l2: common.l2, outputPath: common.out))
        if !common.quiet {
            print("fitted logistic model on \(common.tables.count) shards, \(model.fit.rows) rows, "
                + "\(model.features.count) features, \(model.fit.iterations) Newton iterations, "
                + "log-likelihood \(model.fit.logLikelihood) -> \(common.out)")
        }
    }
}

/// `arscore fit-sharded cox`.
struct FitShardedCoxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cox", abstract: "Fit a Cox proportional-hazards model over shard tables.")

    @Option(help: "Duration column (time to the event or to censoring, ≥ 0).")
    var duration: String

    @Option(help: "0/1 event column (1 = the event happened at the duration, 0 = censored).")
    var event: String

    @Option(help: "Tie handling: efron or breslow.")
    var ties: String = "efron"

    @OptionGroup var common: ShardedTableOptions

    func validate() throws {
        guard CoxRegression.Ties(rawValue: ties) != nil else {
            throw ValidationError("--ties must be efron or breslow, got \"\(ties)\"")
        }
    }

    func run() throws {
        let model = try DistributedTableFit.fitCox(shardPaths: common.tables, .init(
            tablePath: common.tables[0], duration: duration, event: event, features: try common.featureList(),
            weight: common.weight, ties: CoxRegression.Ties(rawValue: ties)!, l2: common.l2, outputPath: common.out))
        if !common.quiet {
            print("fitted Cox model (\(ties) ties) on \(common.tables.count) shards, \(model.fit.rows) rows with "
                + "\(model.fit.events) events, \(model.features.count) features, \(model.fit.iterations) Newton "
                + "iterations, log partial likelihood \(model.fit.logPartialLikelihood) -> \(common.out)")
        }
    }
}
