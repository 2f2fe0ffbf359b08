import FileSafety
import Foundation
import Receivables
import Tabular
#if canImport(Glibc)
import Glibc
#endif

/// The library side of `arscore partition`: an export folder split by customer into shard export folders.
///
/// One streaming pass per file sends each row to shard `ShardHash.shard(customer_id)`, copying its bytes unchanged
/// and in input order under the input's header. A row whose customer_id cannot be read (wrong field count, blank
/// cell) goes to shard 0, where the loader quarantines it as the whole export's load does. Shards are
/// `DIR/shard-0000` ... and the whole DIR appears at once (`AtomicFolder`): a failed run leaves nothing under it.
/// Beside each file the shard holds `<file>.lines` (`ShardLineMap`: each row's line in the shard file and in the
/// input), and `partition.json` (`ShardPartitionInfo`: which shard of which partition run it is); the loader reads
/// neither, and `arscore score --shard-result` uses both so the merge's quarantine carries the input's line numbers
/// and the merge can tell a missing or repeated shard (docs/SCALE-OUT.md).
public enum ExportPartition {
    /// The largest shard count accepted: more shards than this would be mostly empty folders.
    public static let maximumShards = 4096

    public struct Request: Sendable {
        public var exportFolder: String
        public var shards: Int
        public var outputFolder: String

        public init(exportFolder: String, shards: Int, outputFolder: String) {
            self.exportFolder = exportFolder
            self.shards = shards
            self.outputFolder = outputFolder
        }
    }

    /// What one input file contributed.
    public struct FileCounts: Sendable, Equatable {
        public var fileName: String
        /// Data rows per shard (header excluded).
        public var rowsPerShard: [Int]
        public var rows: Int { rowsPerShard.reduce(0, +) }
    }

    public struct Report: Sendable {
        /// The shard folders, in shard order.
        public var shardFolders: [String]
        /// The files present in the input, in export order (absent optional files are not listed).
        public var files: [FileCounts]
        public var summary: String
    }

    /// The files partitioned, in order, with the columns each must have and whether the export may lack it.
    static let inputFiles: [(name: String, columns: [String], optional: Bool)] =
        ExportFile.allCases.map { ($0.fileName, $0.requiredColumns, $0.isOptional) }
        + [(SelectionLog.fileName, SelectionLog.columns, true)]

    /// Partitions the export.
    /// - Parameter progress: called with each file's name once it is written to every shard.
    /// - Throws: `ArscoreError` for a bad shard count or a missing file or column; `CSVError` for an unreadable file;
    ///   `FileSafetyError` when the output exists and is not empty or cannot be written.
    public static func run(_ request: Request, progress: (String) -> Void = { _ in }) throws -> Report {
        guard request.shards >= 1 && request.shards <= maximumShards else {
            throw ArscoreError("--shards must be between 1 and \(maximumShards), got \(request.shards)", kind: .badInput)
        }
        let readers = try openInputs(request.exportFolder)
        let names = (0..<request.shards).map { String(format: "shard-%04d", $0) }
        var files: [FileCounts] = []
        try AtomicFolder.write(at: request.outputFolder) { temporary in
            let folders = names.map { temporary + "/" + $0 }
            for folder in folders where mkdir(folder, 0o755) != 0 {
                throw FileSafetyError(path: folder, operation: "create the folder", code: errno)
            }
            for (name, reader) in readers {
                files.append(try split(reader, fileName: name, into: folders))
                progress(name)
            }
            let partitionId = UUID().uuidString.lowercased()
            for (shard, folder) in folders.enumerated() {
                try ShardPartitionInfo(partitionId: partitionId, shard: shard, shards: folders.count).write(toShard: folder)
            }
        }
        let rows = files.map { "\($0.rows) \($0.fileName.replacingOccurrences(of: ".csv", with: ""))" }
        return Report(
            shardFolders: names.map { request.outputFolder + "/" + $0 }, files: files,
            summary: "wrote \(request.shards) shard\(request.shards == 1 ? "" : "s") (\(rows.joined(separator: ", "))) -> \(request.outputFolder)")
    }

    /// Opens every present input file and checks its header, before anything is written.
    static func openInputs(_ folder: String) throws -> [(String, CSVReader)] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ArscoreError("\(folder): no such export folder", kind: .badInput)
        }
        var readers: [(String, CSVReader)] = []
        for file in inputFiles {
            let path = folder + "/" + file.name
            var status = stat()
            if lstat(path, &status) != 0 && errno == ENOENT {
                if file.optional { continue }
                throw ArscoreError("\(path): required file is missing", kind: .badInput)
            }
            let reader = try CSVReader(path: path)
            for column in file.columns where reader.columnIndex(column) == nil {
                throw ArscoreError("\(path): missing required column \"\(column)\"", kind: .badInput)
            }
            readers.append((file.name, reader))
        }
        return readers
    }

    /// Copies every record of `reader` to its shard's file, under the input's header bytes.
    static func split(_ reader: CSVReader, fileName: String, into folders: [String]) throws -> FileCounts {
        let idColumn = reader.columnIndex("customer_id")!
        var header = try headerBytes(reader)
        if header.last != 0x0A { header.append(0x0A) }
        let writer = try ShardWriter(shardFolders: folders, fileName: fileName, header: header)
        let lines = try ShardWriter(shardFolders: folders, fileName: fileName + ShardLineMap.suffix,
                                    header: Array(ShardLineMap.header.utf8))
        let firstLine = 1 + header.lazy.filter { $0 == 0x0A }.count
        var inputLine = firstLine
        var shardLine = [Int](repeating: firstLine, count: folders.count)
        try reader.forEachRawRecord { raw, record in
            let shard = record.flatMap { record in
                record.withFieldBytes(idColumn) { ShardHash.shard(ofCell: $0, shards: folders.count) }
            } ?? 0
            try writer.append(raw, to: shard)
            try lines.append(line: Array("\(shardLine[shard]),\(inputLine)\n".utf8), to: shard)
            let breaks = raw.lazy.filter { $0 == 0x0A }.count + (raw.last == 0x0A ? 0 : 1)
            shardLine[shard] += breaks
            inputLine += breaks
        }
        try writer.finish()
        try lines.finish()
        return FileCounts(fileName: fileName, rowsPerShard: writer.rowCounts)
    }

    /// The header row's bytes exactly as in the file (line break included when there is one).
    static func headerBytes(_ reader: CSVReader) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: reader.path) else {
            throw ArscoreError("\(reader.path): cannot read the header", kind: .badInput)
        }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: reader.dataStartOffset) ?? Data()
        return [UInt8](data)
    }
}
