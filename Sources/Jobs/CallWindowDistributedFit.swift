import CallGrid
import CivilTime
import Evaluation
import Features
import FileSafety
import Foundation
import LinearAlgebra
import Models
import Training

/// Exact distributed training of the call-window model over the shard exports of one `arscore partition` run.
///
/// Two passes over the shards:
/// 1. Range: each shard's earliest invoice date and data end (`CallWindowShardStatistics.range`). The driver's
///    `historyEnd` applies the one-machine holdout split to the whole export's range (earliest of the firsts,
///    latest of the ends) and gives the first holdout date, where the training history ends.
/// 2. Statistics: each shard's population sums per window and candidate sample rows at that date
///    (`CallWindowShardStatistics.compute`). `combine` adds the sums, merges the candidates in
///    `AccountSampleOrder`, keeps the first `maximumAccounts` and runs `CallWindowFitter.fit(statistics:...)`, the
///    code `arscore train` runs on the same statistics, so the model equals the one-machine `call_window.json`.
public enum CallWindowDistributedFit {
    /// The first holdout date of the whole export whose shards have these ranges (`range` statistics, any pass).
    /// - Throws: `ArscoreError` when the shards are not each shard of one partition exactly once or none has invoices,
    ///   or `HoldoutError` when the history is too short.
    public static func historyEnd(_ shards: [CallWindowShardStatistics], sources: [String], options: TrainingOptions) throws
        -> Int32 {
        try checkPartition(shards, sources: sources)
        let firsts = try zip(shards, sources).compactMap { shard, source in try day(shard.firstInvoiceDate, source, "firstInvoiceDate") }
        let ends = try zip(shards, sources).compactMap { shard, source in try day(shard.dataEnd, source, "dataEnd") }
        guard let first = firsts.min(), let end = ends.max() else {
            throw ArscoreError("\(sources.joined(separator: ", ")): no shard has invoices; nothing to train on", kind: .badInput)
        }
        let plan = HoldoutPlan(horizonDays: options.horizonDays, schedule: options.schedule,
                               holdoutSnapshots: options.holdoutSnapshots, followUpDays: options.followUpDays)
        return try plan.split(firstInvoiceDate: first, dataEnd: end).holdout[0]
    }

    /// The model from the shards' statistics (`sources` name them in errors).
    /// - Throws: `ArscoreError` naming the file when statistics are of another format, rule, window grid or history end
    ///   than `options` and the shards' own ranges give, when shards repeat or miss a shard of their partition, or
    ///   when one customer is in two shards; `ModelFitError` from the fit.
    public static func combine(_ shards: [CallWindowShardStatistics], sources: [String], options: TrainingOptions) throws
        -> CallWindowModel {
        precondition(shards.count == sources.count, "one source name per shard")
        guard !shards.isEmpty else { throw ArscoreError("no call-window statistics to combine") }
        try checkPartition(shards, sources: sources)
        let end = try historyEnd(shards, sources: sources, options: options)
        for (shard, source) in zip(shards, sources) { try check(shard, source: source, historyEnd: end, options: options) }
        let sample = try mergedSample(shards, sources: sources, maximum: options.callWindow.maximumAccounts)
        let w = CallWindows.count
        var attempts = [Double](repeating: 0, count: w), contacts = [Double](repeating: 0, count: w)
        for shard in shards {
            for window in 0..<w {
                attempts[window] += Double(shard.populationAttempts[window])
                contacts[window] += Double(shard.populationContacts[window])
            }
        }
        let statistics = CallWindowStatistics(
            populationAttempts: attempts, populationContacts: contacts,
            sampleAttempts: try Matrix(rows: sample.count, columns: w, rowMajor: sample.flatMap { $0.attempts.map(Double.init) }),
            sampleContacts: try Matrix(rows: sample.count, columns: w, rowMajor: sample.flatMap { $0.contacts.map(Double.init) }))
        return try CallWindowFitter.fit(statistics: statistics, windowNames: CallWindows.names,
                                        options: options.callWindow.onTheWindowGrid)
    }

    /// Both passes in one process over the shard export folders; returns the model and the history end used.
    /// - Throws: as `CallWindowShardStatistics.compute` and `combine`, naming the shard folder.
    public static func run(shardFolders: [String], options: TrainingOptions = TrainingOptions(), badRowThreshold: Double = 0.01)
        throws -> (model: CallWindowModel, historyEnd: Int32) {
        let ranges = try shardFolders.map {
            try CallWindowShardStatistics.range(exportFolder: $0, options: options, badRowThreshold: badRowThreshold)
        }
        let end = try historyEnd(ranges, sources: shardFolders, options: options)
        let statistics = try shardFolders.map {
            try CallWindowShardStatistics.compute(exportFolder: $0, historyEnd: end, options: options,
                                                  badRowThreshold: badRowThreshold)
        }
        return (try combine(statistics, sources: shardFolders, options: options), end)
    }

    /// Reads a statistics file, naming it in any error.
    public static func read(path: String) throws -> CallWindowShardStatistics {
        try DistributedFitProtocol.read(CallWindowShardStatistics.self, path: path)
    }

    /// Writes a statistics file atomically.
    public static func write(_ statistics: CallWindowShardStatistics, path: String) throws {
        try DistributedFitProtocol.write(statistics, path: path)
    }

    /// Writes the range pass's result, `{"format": "arscore-call-window-history-end", "historyEnd": DATE}`, atomically.
    public static func writeHistoryEnd(_ date: String, path: String) throws {
        try DistributedFitProtocol.write(["format": "arscore-call-window-history-end", "historyEnd": date], path: path)
    }

    /// Writes the model as `arscore train` writes `call_window.json` (`ModelBundle.write`: the JSON and a newline),
    /// atomically.
    public static func writeModel(_ model: CallWindowModel, path: String) throws {
        try AtomicFile.write(try model.jsonData() + Data("\n".utf8), to: path)
    }

    // MARK: - Steps

    /// A YYYY-MM-DD field as a day number (nil stays nil).
    private static func day(_ text: String?, _ source: String, _ field: String) throws -> Int32? {
        guard let text else { return nil }
        guard let day = CivilDate.parseExact(text) else {
            throw ArscoreError("\(source): \(field) \"\(text)\" is not a YYYY-MM-DD date", kind: .badInput)
        }
        return day
    }

    /// The statistics answer the same rule, grid and history end as the driver's.
    private static func check(_ shard: CallWindowShardStatistics, source: String, historyEnd: Int32,
                              options: TrainingOptions) throws {
        let w = CallWindows.count
        guard shard.format == "arscore-call-window-statistics" else {
            throw ArscoreError("\(source): format \"\(shard.format)\", not arscore-call-window-statistics", kind: .badInput)
        }
        guard let text = shard.historyEnd else {
            throw ArscoreError("\(source): a range-pass file; compute the statistics with the history end "
                + "\(CivilDate.format(historyEnd))", kind: .badInput)
        }
        guard try day(text, source, "historyEnd") == historyEnd else {
            throw ArscoreError("\(source): statistics for a history ending \(text), but the shards' split ends it on "
                + "\(CivilDate.format(historyEnd))", kind: .badInput)
        }
        guard shard.seed == options.callWindow.seed, shard.maximumAccounts == options.callWindow.maximumAccounts else {
            throw ArscoreError("\(source): sample seed \(shard.seed) and size \(shard.maximumAccounts) differ from the "
                + "driver's \(options.callWindow.seed) and \(options.callWindow.maximumAccounts)", kind: .badInput)
        }
        guard shard.windows == CallWindows.names, shard.populationAttempts.count == w, shard.populationContacts.count == w,
              shard.candidates.allSatisfy({ $0.attempts.count == w && $0.contacts.count == w }),
              shard.candidates.count <= shard.maximumAccounts else {
            throw ArscoreError("\(source): not the \(w) call windows of this arscore version", kind: .badInput)
        }
    }

    /// Shards of one partition run: each of its shards exactly once.
    private static func checkPartition(_ shards: [CallWindowShardStatistics], sources: [String]) throws {
        let infos = shards.compactMap(\.partition)
        guard !infos.isEmpty else { return }
        guard infos.count == shards.count, Set(infos.map(\.partitionId)).count == 1 else {
            throw ArscoreError("\(sources.joined(separator: ", ")): statistics of shards of different partition runs",
                               kind: .badInput)
        }
        let numbers = infos.map(\.shard).sorted()
        guard numbers == Array(0..<infos[0].shards) else {
            throw ArscoreError("\(sources.joined(separator: ", ")): shards \(numbers) of a \(infos[0].shards)-shard "
                + "partition; each shard is needed exactly once", kind: .badInput)
        }
    }

    /// Every shard's candidates merged in `AccountSampleOrder`, the first `maximum` of them.
    private static func mergedSample(_ shards: [CallWindowShardStatistics], sources: [String], maximum: Int) throws
        -> [CallWindowShardStatistics.Candidate] {
        var all: [(key: UInt64, id: [UInt8], source: Int, candidate: CallWindowShardStatistics.Candidate)] = []
        for (index, shard) in shards.enumerated() {
            for candidate in shard.candidates {
                guard candidate.key.count == 16, let key = UInt64(candidate.key, radix: 16) else {
                    throw ArscoreError("\(sources[index]): candidate \"\(candidate.customerId)\": key \"\(candidate.key)\" "
                        + "is not 16 hex digits", kind: .badInput)
                }
                guard key == AccountSampleOrder.key(seed: shard.seed, customerID: candidate.customerId) else {
                    throw ArscoreError("\(sources[index]): candidate \"\(candidate.customerId)\": key \(candidate.key) is "
                        + "not its sample key", kind: .badInput)
                }
                all.append((key, Array(candidate.customerId.utf8), index, candidate))
            }
        }
        all.sort { AccountSampleOrder.precedes(key: $0.key, id: $0.id, $1.key, $1.id) }
        for (a, b) in zip(all, all.dropFirst()) where a.id == b.id {
            throw ArscoreError("customer \"\(a.candidate.customerId)\" is in both \(sources[a.source]) and "
                + "\(sources[b.source]); shards must not share customers", kind: .badInput)
        }
        return all.prefix(maximum).map(\.candidate)
    }
}
