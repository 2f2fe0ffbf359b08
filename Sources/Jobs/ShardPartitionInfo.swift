import FileSafety
import Foundation

/// `partition.json` of a shard export folder: which shard of which `arscore partition` run it is, so the merge can
/// refuse a missing shard, a shard given twice or shards of two partition runs.
public struct ShardPartitionInfo: Codable, Sendable, Equatable {
    /// A random id of the partition run (every shard of one run has the same).
    public var partitionId: String
    /// This shard's number (0 ..< shards) and the run's shard count.
    public var shard: Int
    public var shards: Int

    public static let fileName = "partition.json"

    public init(partitionId: String, shard: Int, shards: Int) {
        self.partitionId = partitionId
        self.shard = shard
        self.shards = shards
    }

    /// Writes `partition.json` into the (not yet published) shard folder.
    func write(toShard folder: String) throws {
        try AtomicFile.writeNew(try ShardResult.encoder.encode(self), to: folder + "/" + Self.fileName)
    }

    /// The info of the export folder `folder`, nil when it has none (an export that was not partitioned).
    /// - Throws: `ArscoreError` when the file exists but is not valid.
    public static func read(exportFolder folder: String) throws -> ShardPartitionInfo? {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try ShardResult.decode(ShardPartitionInfo.self, path)
    }
}
