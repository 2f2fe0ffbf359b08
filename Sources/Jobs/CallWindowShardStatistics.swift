import CallGrid
import CivilTime
import Features
import Foundation
import Receivables
import Training

/// One shard's part of the distributed call-window fit: its date range, and at the training history's end (the first
/// holdout date) its population sums per window and its candidate sample rows.
///
/// Candidates are the shard's accounts with at least one attempt that come first in `AccountSampleOrder`, at most
/// `maximumAccounts` of them: the whole export's sample is the first `maximumAccounts` of every shard's candidates
/// merged in that order, so no shard can miss an account the one-machine sample has. Counts are whole numbers, so
/// the sums add exactly. Without a history end (the range pass) only the date range is filled in.
public struct CallWindowShardStatistics: Codable, Sendable, Equatable {
    /// One candidate account: its customer_id, sample key (16 hex digits) and attempts and contacts per window.
    public struct Candidate: Codable, Sendable, Equatable {
        public var customerId: String
        public var key: String
        public var attempts: [Int]
        public var contacts: [Int]
    }

    public var format = "arscore-call-window-statistics"
    /// The shard's `partition.json`, when it has one.
    public var partition: ShardPartitionInfo?
    /// The shard's earliest invoice date (nil without invoices) and data end (the day after its newest dated row;
    /// nil without dated rows), YYYY-MM-DD.
    public var firstInvoiceDate: String?
    public var dataEnd: String?
    /// The training history's end (first holdout date, YYYY-MM-DD); nil in the range pass.
    public var historyEnd: String?
    /// The sample rule's seed and size.
    public var seed: UInt64
    public var maximumAccounts: Int
    public var windows: [String]
    /// Accounts (snapshot rows at the history end), of them those with attempts, and the per-window sums.
    public var accounts: Int = 0
    public var activeAccounts: Int = 0
    public var populationAttempts: [Int] = []
    public var populationContacts: [Int] = []
    public var candidates: [Candidate] = []

    /// The range pass of the shard export `folder`: its dates only.
    /// - Throws: load errors naming the file, line and field.
    public static func range(exportFolder folder: String, options: TrainingOptions = TrainingOptions(),
                             badRowThreshold: Double = 0.01) throws -> CallWindowShardStatistics {
        try compute(exportFolder: folder, historyEnd: nil, options: options, badRowThreshold: badRowThreshold)
    }

    /// The statistics of the shard export `folder` for a training history ending at `historyEnd` (day number; the
    /// first holdout date of the whole export's split, `CallWindowDistributedFit.historyEnd`).
    /// - Throws: load errors naming the file, line and field.
    public static func compute(exportFolder folder: String, historyEnd: Int32?, options: TrainingOptions = TrainingOptions(),
                               badRowThreshold: Double = 0.01) throws -> CallWindowShardStatistics {
        var export = try ExportLoader.load(folder: folder, options: ExportLoadOptions(badRowThreshold: badRowThreshold))
        let partition = try ShardPartitionInfo.read(exportFolder: folder)
        let ids = export.customers.ids
        let hasInvoices = export.invoices.count > 0
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        var result = CallWindowShardStatistics(
            partition: partition, firstInvoiceDate: hasInvoices ? CivilDate.format(builder.firstInvoiceDate) : nil,
            dataEnd: builder.dataEnd > 0 ? CivilDate.format(builder.dataEnd) : nil,
            historyEnd: historyEnd.map(CivilDate.format), seed: options.callWindow.seed,
            maximumAccounts: options.callWindow.maximumAccounts, windows: CallWindows.names)
        guard let historyEnd else { return result }
        let table = builder.snapshots(asOf: [historyEnd], columns: [.openBalance], windowCounts: true, keeping: { _, _ in true })
        result.fill(from: table, ids: ids)
        return result
    }

    /// Fills the sums and candidates from the history snapshot `table` (every row at the history end).
    private mutating func fill(from table: FeatureTable, ids: IDIndex) {
        let w = CallWindows.count, counts = table.windowCounts
        populationAttempts = [Int](repeating: 0, count: w)
        populationContacts = [Int](repeating: 0, count: w)
        var active: [Int] = []
        for row in 0..<table.rowCount {
            var any = false
            for window in 0..<w {
                let n = Int(counts.attempts[row * w + window])
                populationAttempts[window] += n
                populationContacts[window] += Int(counts.rightPartyContacts[row * w + window])
                if n > 0 { any = true }
            }
            if any { active.append(row) }
        }
        accounts = table.rowCount
        activeAccounts = active.count
        let keys = active.map { row in
            ids.withIDBytes(Int(table.customers[row])) {
                AccountSampleOrder.key(seed: seed, customerHash: SnapshotRowSampling.customerIDHash($0))
            }
        }
        let order = AccountSampleOrder.order(keys: keys) { ids.withIDBytes(Int(table.customers[active[$0]])) { Array($0) } }
        candidates = order.prefix(maximumAccounts).map { position in
            let row = active[position]
            return Candidate(customerId: ids.id(Int(table.customers[row])), key: Self.hex(keys[position]),
                             attempts: (0..<w).map { Int(counts.attempts[row * w + $0]) },
                             contacts: (0..<w).map { Int(counts.rightPartyContacts[row * w + $0]) })
        }
    }

    /// A key as 16 lower-case hex digits (JSON numbers cannot carry every UInt64 exactly).
    static func hex(_ key: UInt64) -> String {
        let digits = String(key, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
