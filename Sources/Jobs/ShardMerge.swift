import CivilTime
import Foundation
import KPIs
import Queues
import Receivables
import Scoring

/// The library side of `arscore merge`: reads the shard results of one night, checks they are the shards of one
/// partition scored with one bundle, as-of date and policy, applies the bad-row threshold to the whole export, ranks,
/// draws, cuts to the capacity (`QueueAssembly`) and publishes one queue folder through `QueuePublisher`, with the
/// manifest `arscore score` writes for the whole export (`NightlyFacts`). Nothing is published when a check fails.
public enum ShardMerge {
    public struct Request: Sendable {
        public var resultFolders: [String]
        public var outFolder: String
        public var capacity: Int?
        public var policyPath: String?
        public var policy: QueuePolicy?
        public var createdAt: Date?
        public var faultPoint: (@Sendable (QueuePublishStep) throws -> Void)?

        public init(resultFolders: [String], outFolder: String, capacity: Int? = nil, policyPath: String? = nil,
                    policy: QueuePolicy? = nil, createdAt: Date? = nil,
                    faultPoint: (@Sendable (QueuePublishStep) throws -> Void)? = nil) {
            self.resultFolders = resultFolders
            self.outFolder = outFolder
            self.capacity = capacity
            self.policyPath = policyPath
            self.policy = policy
            self.createdAt = createdAt
            self.faultPoint = faultPoint
        }
    }

    public struct Report: Sendable {
        public var folder: String
        public var manifest: QueueManifest
        public var summary: String
        /// Accepted and rejected rows of each input file over the whole export.
        public var inputFiles: [FileLoadSummary]
    }

    /// Merges and publishes.
    /// - Throws: `ArscoreError` naming the shard result that does not belong; `ReceivablesError.tooManyBadRows` when a
    ///   file of the whole export is over the threshold; publishing errors.
    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> Report {
        guard !request.resultFolders.isEmpty else { throw ArscoreError("merge needs at least one shard result", kind: .usage) }
        let results = try request.resultFolders.map { folder in
            progress("reading \(folder)")
            return try ShardResult.read(from: folder)
        }
        try checkSameNight(results, folders: request.resultFolders)
        try checkPartition(results, folders: request.resultFolders)
        let policy = try NightlyScoring.loadPolicy(request.policy, path: request.policyPath, capacity: request.capacity)
        guard try ShardScoring.policyDigest(policy) == results[0].info.policyDigest else {
            throw ArscoreError("\(request.policyPath ?? "the default policy"): differs from the policy the shards were "
                + "scored with (only --capacity may differ): merge with the shards' --config", kind: .badInput)
        }
        let first = results[0].info
        let inputFiles = wholeFileCounts(results)
        let quarantine = wholeQuarantine(results, files: inputFiles.map(\.file))
        try checkBadRows(inputFiles, quarantine: quarantine, threshold: first.badRowThreshold)
        progress("ranking \(results.reduce(0) { $0 + $1.rows.candidates.count }) call candidates")
        let asOf = CivilDate.parse(first.asOf)!
        let queues = try QueueAssembly(policy: policy, asOf: asOf).assemble(
            candidates: results.flatMap(\.rows.candidates), promiseFollowUps: results.flatMap(\.rows.promiseFollowUps),
            disputes: results.flatMap(\.rows.disputes), escalations: results.flatMap(\.rows.escalations),
            quarantine: quarantine)
        let facts = nightlyFacts(results, policy: policy, queues: queues)
        progress("publishing \(request.outFolder)/\(first.asOf)")
        let publication = try QueuePublisher(root: request.outFolder, faultPoint: request.faultPoint)
            .publish(queues.files, manifest: facts.manifest(createdAt: request.createdAt ?? Date()))
        return Report(folder: publication.folder, manifest: publication.manifest,
                      summary: facts.summary(files: queues.files, publication: publication) + " (merged \(results.count) shards)",
                      inputFiles: inputFiles)
    }

    /// The manifest's facts of the whole: additive counts summed, the rest from the (identical) shards.
    static func nightlyFacts(_ results: [ShardResult], policy: QueuePolicy, queues: QueueAssembly.Output) -> NightlyFacts {
        let first = results[0].info
        var exclusions: [String: Int] = [:]
        for result in results { exclusions.merge(result.info.exclusions, uniquingKeysWith: +) }
        exclusions["holdout"] = queues.heldOut
        exclusions["capacity"] = queues.cutByCapacity
        exclusions["better_another_day"] = queues.betterAnotherDay
        let accounts = results.reduce(0) { $0 + $1.info.accountsScored }
        let binCounts = results.reduce(first.scoreBinCounts.map { [Int](repeating: 0, count: $0.count) }) { total, result in
            guard let total, let counts = result.info.scoreBinCounts, counts.count == total.count else { return nil }
            return zip(total, counts).map(+)
        }
        let kpiSums = results.dropFirst().reduce(first.kpiSums) { $0.adding($1.info.kpiSums) }
        let currencies = Set(results.flatMap(\.info.candidateCurrencies)).sorted()
        return NightlyFacts(
            asOf: first.asOf, modelName: first.bundle.name, modelVersion: first.bundle.version, bundlePath: first.bundle.path,
            dataEnd: results.map(\.info.dataEnd).max()!, policy: policy, accountsScored: accounts, exclusions: exclusions,
            scorePSI: QueueAssembly.scorePSI(binCounts: binCounts, accounts: accounts, expectedShares: first.bundle.scoreShares,
                                             edges: first.bundle.scoreEdges),
            draws: queues.draws,
            currencyWarning: QueueAssembly.currencyWarning(currencies, rankedInOneCurrency: !policy.exchangeRates.isEmpty),
            bundleHasCallEffect: first.bundle.hasCallEffect, modelFallbacks: first.bundle.fallbacks,
            kpis: NightlyScoring.kpiBlock(kpiSums))
    }

    /// Every shard must come from the same bundle, as-of date, policy and threshold.
    static func checkSameNight(_ results: [ShardResult], folders: [String]) throws {
        let first = results[0].info
        for (result, folder) in zip(results, folders).dropFirst() {
            let info = result.info
            var differences: [String] = []
            if info.bundle.manifestDigest != first.bundle.manifestDigest || info.bundle.name != first.bundle.name
                || info.bundle.version != first.bundle.version {
                differences.append("bundle \(info.bundle.name)/\(info.bundle.version) vs \(first.bundle.name)/\(first.bundle.version)")
            }
            if info.asOf != first.asOf { differences.append("as-of \(info.asOf) vs \(first.asOf)") }
            if info.policyDigest != first.policyDigest { differences.append("another policy") }
            if info.badRowThreshold != first.badRowThreshold {
                differences.append("--max-bad-rows \(info.badRowThreshold) vs \(first.badRowThreshold)")
            }
            if !differences.isEmpty {
                throw ArscoreError("\(folder): not the same night as \(folders[0]): "
                    + differences.joined(separator: ", ") + "; score every shard with the same --model, --as-of, --config "
                    + "and --max-bad-rows", kind: .badInput)
            }
        }
    }

    /// The shards must be every shard of one partition run, each once.
    static func checkPartition(_ results: [ShardResult], folders: [String]) throws {
        let partitions = results.map(\.info.partition)
        if partitions.contains(where: { $0 == nil }) {
            guard results.count == 1 else {
                let folder = folders[partitions.firstIndex(where: { $0 == nil })!]
                throw ArscoreError("\(folder): scored from an export that was not partitioned (no partition.json): it is a "
                    + "whole export and merges only on its own", kind: .badInput)
            }
            return
        }
        let first = partitions[0]!
        var seen: [Int: String] = [:]
        for (partition, folder) in zip(partitions.map { $0! }, folders) {
            guard partition.partitionId == first.partitionId, partition.shards == first.shards else {
                throw ArscoreError("\(folder): shard of another partition run than \(folders[0]) (partition "
                    + "\(partition.partitionId), \(partition.shards) shards vs \(first.partitionId), \(first.shards))",
                    kind: .badInput)
            }
            if let earlier = seen[partition.shard] {
                throw ArscoreError("\(folder): shard \(partition.shard) is given twice (also \(earlier))", kind: .badInput)
            }
            seen[partition.shard] = folder
        }
        let missing = (0..<first.shards).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw ArscoreError("the partition has \(first.shards) shards; missing shard result"
                + "\(missing.count == 1 ? "" : "s") for shard \(missing.map(String.init).joined(separator: ", "))",
                kind: .badInput)
        }
    }

    /// Accepted and rejected rows per input file over the whole export, in load order.
    static func wholeFileCounts(_ results: [ShardResult]) -> [FileLoadSummary] {
        var files = results[0].info.inputFiles
        for result in results.dropFirst() {
            for shardFile in result.info.inputFiles {
                guard let index = files.firstIndex(where: { $0.file == shardFile.file }) else {
                    files.append(shardFile)
                    continue
                }
                files[index].acceptedRows += shardFile.acceptedRows
                files[index].rejectedRows += shardFile.rejectedRows
                files[index].present = files[index].present || shardFile.present
            }
        }
        return files
    }

    /// The quarantine of the whole export: file by file in load order, each file's rows by line (the shards' rows
    /// carry the export's line numbers).
    static func wholeQuarantine(_ results: [ShardResult], files: [String]) -> [QuarantinedRow] {
        let rows = results.flatMap(\.quarantine)
        let order = Dictionary(uniqueKeysWithValues: files.enumerated().map { ($1, $0) })
        return rows.enumerated().sorted { a, b in
            let fileA = order[a.element.file] ?? files.count, fileB = order[b.element.file] ?? files.count
            if fileA != fileB { return fileA < fileB }
            if a.element.line != b.element.line { return a.element.line < b.element.line }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The load's bad-row rule on the whole export's counts.
    static func checkBadRows(_ files: [FileLoadSummary], quarantine: [QuarantinedRow], threshold: Double) throws {
        for file in files {
            let total = file.acceptedRows + file.rejectedRows
            if total > 0 && Double(file.rejectedRows) / Double(total) > threshold {
                throw ReceivablesError.tooManyBadRows(file: file.file, rejected: file.rejectedRows, total: total,
                                                      threshold: threshold,
                                                      first: quarantine.first { $0.file == file.file }, missingParent: nil)
            }
        }
    }
}
