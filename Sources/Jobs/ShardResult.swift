import FileSafety
import Foundation
import KPIs
import Receivables
import Scoring

/// The shard result folder `arscore score --shard-result DIR` writes and `arscore merge` reads (docs/SCALE-OUT.md,
/// "The shard result folder"): everything the global step needs from one shard of the customers, unranked and uncut.
///
/// - `shard.json`: `ShardResult.Info` (the identity checks of the merge, the additive counts);
/// - `candidates.tsv`: per call candidate `customer_id`, priority (IEEE-754 bits, 16 hex digits), calls.csv cells,
///   holdout.csv cells (the cells between rank and the selection columns, as calls.csv / holdout.csv print them), then
///   today's plan's inputs (`QueueShardPlanInputs`, empty fields under `plan: week`; `ShardCandidateFields`);
/// - `promise_followups.tsv`, `disputes.tsv`, `escalations.tsv`: per row the ranking key (hex bits), the tie-breakers
///   (customer id, then promise / invoice id), the row's cells after rank;
/// - `quarantine.json`: the shard's rejected rows with the line numbers of the whole export (`ShardLineMap`).
///
/// Fields are separated by tabs; no cell arscore writes holds a tab or a line break (ids hold no control characters),
/// and writing checks it. The folder appears at once (`AtomicFolder`).
public struct ShardResult: Sendable {
    /// The version of this layout; a merge refuses others (2: candidates carry today's plan's inputs; 1, before
    /// 2026-12-03, did not, and is refused rather than read, so a merge never plans without them).
    public static let formatVersion = 2

    public struct Info: Codable, Sendable, Equatable {
        public var formatVersion: Int
        /// The partition the shard's export came from (nil for an export that was not partitioned: then it is the whole).
        public var partition: ShardPartitionInfo?
        public var bundle: BundleIdentity
        public var asOf: String
        /// SHA-256 of the effective policy's JSON without its capacity (the capacity is the merge's).
        public var policyDigest: String
        public var badRowThreshold: Double
        public var accountsScored: Int
        public var dataEnd: String
        /// Routing exclusion counts (holdout and capacity 0).
        public var exclusions: [String: Int]
        /// P(pay) counts per bin of the bundle's score distribution (nil when the bundle has no usable one).
        public var scoreBinCounts: [Int]?
        public var candidateCurrencies: [String]
        public var kpiSums: KPIWindowSums
        public var inputFiles: [FileLoadSummary]
    }

    /// Which model bundle scored the shard.
    public struct BundleIdentity: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var path: String
        /// SHA-256 of the bundle's manifest.json (it lists every model file's digest).
        public var manifestDigest: String
        public var hasCallEffect: Bool
        public var fallbacks: [String]
        /// The bundle's training P(pay) distribution: bin edges and the share of each bin.
        public var scoreEdges: [Double]
        public var scoreShares: [Double]
    }

    public var info: Info
    public var rows: QueueBuilder.ShardRows
    public var quarantine: [QuarantinedRow]

    public init(info: Info, rows: QueueBuilder.ShardRows, quarantine: [QuarantinedRow]) {
        self.info = info
        self.rows = rows
        self.quarantine = quarantine
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// Writes the folder at `path` (missing or empty) atomically.
    /// - Throws: `FileSafetyError`; `ArscoreError` when a cell holds a tab or a line break.
    public func write(to path: String) throws {
        let info = try Self.encoder.encode(self.info)
        let quarantine = try Self.encoder.encode(self.quarantine)
        let candidates = try Self.table(rows.candidates.map(ShardCandidateFields.fields(of:)), file: "candidates.tsv")
        let files = [("promise_followups.tsv", rows.promiseFollowUps), ("disputes.tsv", rows.disputes),
                     ("escalations.tsv", rows.escalations)]
        let tables = try files.map { name, rows in
            (name, try Self.table(rows.map { [Self.hex($0.key)] + $0.ties.map { Array($0.utf8) } + [$0.cells] }, file: name))
        }
        try AtomicFolder.write(at: path) { temporary in
            try AtomicFile.writeNew(info, to: temporary + "/shard.json")
            try AtomicFile.writeNew(quarantine, to: temporary + "/quarantine.json")
            try AtomicFile.writeNew(candidates, to: temporary + "/candidates.tsv")
            for (name, table) in tables { try AtomicFile.writeNew(table, to: temporary + "/" + name) }
        }
    }

    /// Reads the folder at `path`.
    /// - Throws: `ArscoreError` naming the file (and line) that is missing or malformed, or of another format version.
    public static func read(from path: String) throws -> ShardResult {
        let info: Info = try decode(Info.self, path + "/shard.json")
        guard info.formatVersion == formatVersion else {
            throw ArscoreError("\(path)/shard.json: field \"format_version\" is \(info.formatVersion); this arscore reads "
                + "shard result format \(formatVersion) only (format 1 carries no inputs of today's plan): score the shard "
                + "again with this arscore", kind: .badInput)
        }
        let quarantine: [QuarantinedRow] = try decode([QuarantinedRow].self, path + "/quarantine.json")
        let candidates = try fields(path + "/candidates.tsv", count: ShardCandidateFields.count)
            .map(ShardCandidateFields.candidate(of:at:))
        func rows(_ name: String, ties: Int) throws -> [QueueShardRow] {
            try fields(path + "/" + name, count: ties + 2).map { cells, location in
                QueueShardRow(key: try double(cells[0], at: location),
                              ties: cells[1...ties].map { String(decoding: $0, as: UTF8.self) }, cells: cells[ties + 1])
            }
        }
        let shardRows = QueueBuilder.ShardRows(
            candidates: candidates, promiseFollowUps: try rows("promise_followups.tsv", ties: 2),
            disputes: try rows("disputes.tsv", ties: 2), escalations: try rows("escalations.tsv", ties: 1),
            exclusions: info.exclusions, accountsScored: info.accountsScored, scoreBinCounts: info.scoreBinCounts,
            candidateCurrencies: info.candidateCurrencies)
        return ShardResult(info: info, rows: shardRows, quarantine: quarantine)
    }

    // MARK: - Encoding

    /// The IEEE-754 bits of `value` as 16 lower-case hex digits (exact, unlike a decimal).
    static func hex(_ value: Double) -> [UInt8] {
        let digits = String(value.bitPattern, radix: 16)
        return Array((String(repeating: "0", count: 16 - digits.count) + digits).utf8)
    }

    static func double(_ cell: [UInt8], at location: String) throws -> Double {
        guard cell.count == 16, let bits = UInt64(String(decoding: cell, as: UTF8.self), radix: 16) else {
            throw ArscoreError("\(location): \"\(String(decoding: cell, as: UTF8.self))\" is not 16 hex digits of a double",
                               kind: .badInput)
        }
        return Double(bitPattern: bits)
    }

    /// Tab-separated lines of `rows`.
    static func table(_ rows: [[[UInt8]]], file: String) throws -> Data {
        var bytes: [UInt8] = []
        for row in rows {
            for (index, cell) in row.enumerated() {
                if cell.contains(9) || cell.contains(10) || cell.contains(13) {
                    throw ArscoreError("\(file): a cell holds a tab or a line break, which the shard result cannot carry",
                                       kind: .badInput)
                }
                if index > 0 { bytes.append(9) }
                bytes.append(contentsOf: cell)
            }
            bytes.append(10)
        }
        return Data(bytes)
    }

    /// The lines of a tab-separated file, each split into exactly `count` fields, with "file:line" for errors.
    static func fields(_ path: String, count: Int) throws -> [([[UInt8]], String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArscoreError("\(path): missing or unreadable (not a shard result folder?)", kind: .badInput)
        }
        var result: [([[UInt8]], String)] = []
        for (index, line) in [UInt8](data).split(separator: 10, omittingEmptySubsequences: false).dropLast().enumerated() {
            let cells = line.split(separator: 9, omittingEmptySubsequences: false).map(Array.init)
            let location = "\(path):\(index + 1)"
            guard cells.count == count else {
                throw ArscoreError("\(location): \(cells.count) tab-separated fields, expected \(count)", kind: .badInput)
            }
            result.append((cells, location))
        }
        return result
    }

    static func decode<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArscoreError("\(path): missing or unreadable (not a shard result folder?)", kind: .badInput)
        }
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw ArscoreError("\(path): not a valid shard result file: \(error)", kind: .badInput)
        }
    }
}
