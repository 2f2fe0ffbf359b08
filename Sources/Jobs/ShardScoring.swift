import Bundles
import CivilTime
import FileSafety
import Foundation
import Receivables
import Scoring

/// The library side of `arscore score --shard-result DIR`: scores one shard of the customers and writes its unranked,
/// uncut shard result (`ShardResult`) for `arscore merge`.
///
/// The shard is loaded with no bad-row threshold (the merge applies it to the whole export's counts), scored and routed
/// as `arscore score` does (`NightlyScoring.loadAndScore`, `QueueBuilder.buildShard`); its quarantine gets the whole
/// export's line numbers from the partition's sidecars (`ShardLineMap`).
public enum ShardScoring {
    public struct Request: Sendable {
        public var exportFolder: String
        public var modelPath: String
        public var resultFolder: String
        public var asOf: Int32
        public var policyPath: String?
        public var policy: QueuePolicy?
        /// The threshold the merge applies to the whole export (recorded, not applied to the shard).
        public var badRowThreshold: Double

        public init(exportFolder: String, modelPath: String, resultFolder: String, asOf: Int32, policyPath: String? = nil,
                    policy: QueuePolicy? = nil, badRowThreshold: Double = 0.01) {
            self.exportFolder = exportFolder
            self.modelPath = modelPath
            self.resultFolder = resultFolder
            self.asOf = asOf
            self.policyPath = policyPath
            self.policy = policy
            self.badRowThreshold = badRowThreshold
        }
    }

    public struct Report: Sendable {
        public var result: ShardResult
        public var summary: String
    }

    /// Scores the shard and writes the result folder (missing or empty) atomically.
    /// - Throws: bundle, policy and export errors naming the file; `FileSafetyError` when the folder cannot be written.
    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> Report {
        guard request.badRowThreshold >= 0 && request.badRowThreshold <= 1 else {
            throw ReceivablesError.invalidOption("bad-row threshold must be between 0 and 1, got \(request.badRowThreshold)")
        }
        progress("loading the bundle \(request.modelPath)")
        let (versionFolder, bundle) = try NightlyScoring.loadBundle(request.modelPath)
        let policy = try NightlyScoring.loadPolicy(request.policy, path: request.policyPath, capacity: nil)
        let partition = try ShardPartitionInfo.read(exportFolder: request.exportFolder)
        let loaded = try NightlyScoring.loadAndScore(exportFolder: request.exportFolder, bundle: bundle, policy: policy,
                                                     asOf: request.asOf, badRowThreshold: 1, progress: progress)
        progress("routing and rendering the shard's rows")
        let rows = try QueueBuilder(export: loaded.export, builder: loaded.builder, bundle: bundle, policy: policy,
                                    asOf: request.asOf).buildShard(loaded.scored)
        let info = ShardResult.Info(
            formatVersion: ShardResult.formatVersion, partition: partition,
            bundle: .init(name: bundle.manifest.name, version: bundle.manifest.version, path: versionFolder,
                          manifestDigest: try SHA256.hash(fileAt: versionFolder + "/" + ModelBundle.FileName.manifest),
                          hasCallEffect: bundle.callEffect != nil, fallbacks: bundle.manifest.fallbacks,
                          scoreEdges: bundle.manifest.scoreDistribution.edges,
                          scoreShares: bundle.manifest.scoreDistribution.shares),
            asOf: CivilDate.format(request.asOf), policyDigest: try policyDigest(policy),
            badRowThreshold: request.badRowThreshold, accountsScored: rows.accountsScored,
            dataEnd: CivilDate.format(loaded.builder.dataEnd), exclusions: rows.exclusions,
            scoreBinCounts: rows.scoreBinCounts, candidateCurrencies: rows.candidateCurrencies,
            kpiSums: NightlyScoring.kpiSums(builder: loaded.builder, export: loaded.export, asOf: request.asOf),
            inputFiles: loaded.export.files)
        let quarantine = try ShardLineMap.exportLines(of: loaded.export.quarantine, folder: request.exportFolder)
        let result = ShardResult(info: info, rows: rows, quarantine: quarantine)
        progress("writing \(request.resultFolder)")
        try result.write(to: request.resultFolder)
        let shard = partition.map { " (shard \($0.shard) of \($0.shards))" } ?? ""
        return Report(result: result, summary: "wrote \(request.resultFolder)\(shard): \(rows.accountsScored) accounts, "
            + "\(rows.candidates.count) call candidates, \(quarantine.count) quarantined rows")
    }

    /// SHA-256 of the policy's JSON (sorted keys) without its capacity: what every shard and the merge must agree on.
    static func policyDigest(_ policy: QueuePolicy) throws -> String {
        var uncapped = policy
        uncapped.capacity = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(try encoder.encode(uncapped))
    }
}
