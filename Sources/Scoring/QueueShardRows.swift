import Foundation
import Metrics
import Queues

/// One row of a ranked queue file as a shard renders it, before the global ranking: the sort key, the tie-breakers
/// and the row's cells after `rank`, exactly as `QueueFiles` writes them.
///
/// Rows of the whole file are sorted by `key` descending, then `ties` ascending in byte order, element by element
/// (the order `QueueBuilder.rank` and `rankInvoices` give on one machine); the merge then numbers them from 1.
public struct QueueShardRow: Sendable, Equatable {
    /// The ranking key (priority, expected shortfall, open amount or past-due balance, by file).
    public var key: Double
    /// The tie-breakers, compared in order (customer id, then promise or invoice id where the file has one).
    public var ties: [String]
    /// The row's cells after `rank`, comma-separated, without the line break.
    public var cells: [UInt8]

    public init(key: Double, ties: [String], cells: [UInt8]) {
        self.key = key
        self.ties = ties
        self.cells = cells
    }

    /// Whether `self` comes before `other` in the file.
    public func precedes(_ other: QueueShardRow) -> Bool {
        if key != other.key { return key > other.key }
        for (a, b) in zip(ties, other.ties) where !a.utf8.elementsEqual(b.utf8) {
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        return ties.count < other.ties.count
    }
}

/// One call candidate of a shard (an account routed to calls, before the holdout, the selection and the capacity
/// cut): its customer id, its exact priority, and its cells as calls.csv and as holdout.csv print them.
public struct QueueShardCandidate: Sendable, Equatable {
    public var customerId: String
    public var priority: Double
    /// calls.csv cells after `rank` and before `selection` / `selection_probability` under `plan: week` (empty under
    /// `plan: today`, where the merge writes the row from `plan`).
    public var callCells: [UInt8]
    /// holdout.csv cells after `rank` and before `selection_probability`.
    public var holdoutCells: [UInt8]
    /// Today's plan's inputs under `plan: today`; nil under `plan: week`.
    public var plan: QueueShardPlanInputs?

    public init(customerId: String, priority: Double, callCells: [UInt8], holdoutCells: [UInt8],
                plan: QueueShardPlanInputs? = nil) {
        self.customerId = customerId
        self.priority = priority
        self.callCells = callCells
        self.holdoutCells = holdoutCells
        self.plan = plan
    }
}

extension QueueBuilder {
    /// The per-account part of the nightly queues for one shard of the customers: everything `build` computes from a
    /// single account (routing, scores, windows, rendered cells), and nothing that needs the other shards (the holdout
    /// and exploration draws, ranks, the capacity cut, the score PSI).
    public struct ShardRows: Sendable {
        /// The call candidates (held out or not), by priority within the shard.
        public var candidates: [QueueShardCandidate]
        public var promiseFollowUps: [QueueShardRow]
        public var disputes: [QueueShardRow]
        public var escalations: [QueueShardRow]
        /// The routing exclusion counts (`holdout` and `capacity` are 0: the merge draws and cuts).
        public var exclusions: [String: Int]
        public var accountsScored: Int
        /// Today's P(pay) counted per bin of the bundle's training distribution; nil when it has no usable one.
        public var scoreBinCounts: [Int]?
        /// The distinct invoice currencies of the call candidates (sorted; "" = not given).
        public var candidateCurrencies: [String]

        public init(candidates: [QueueShardCandidate], promiseFollowUps: [QueueShardRow], disputes: [QueueShardRow],
                    escalations: [QueueShardRow], exclusions: [String: Int], accountsScored: Int, scoreBinCounts: [Int]?,
                    candidateCurrencies: [String]) {
            self.candidates = candidates
            self.promiseFollowUps = promiseFollowUps
            self.disputes = disputes
            self.escalations = escalations
            self.exclusions = exclusions
            self.accountsScored = accountsScored
            self.scoreBinCounts = scoreBinCounts
            self.candidateCurrencies = candidateCurrencies
        }
    }

    /// The shard's rows: `build` with no holdout, no exploration, no capacity and no plan, so every candidate is
    /// rendered, then each file's rows taken apart into key, tie-breakers and cells (`QueueShardRow`). Under
    /// `plan: today` each candidate carries the plan's inputs instead of its calls.csv cells (`QueueShardPlanInputs`):
    /// the plan is global and runs in the merge.
    /// - Throws: what `build` throws (missing exchange rate, non-finite scores, window errors).
    public func buildShard(_ scored: ScoredAccounts) throws -> ShardRows {
        var uncut = self
        uncut.policy.capacity = nil
        uncut.policy.explorationShare = 0
        uncut.policy.holdoutShare = 0
        uncut.policy.plan = .week
        return try uncut.renderShard(scored, planToday: policy.plan == .today)
    }

    private func renderShard(_ scored: ScoredAccounts, planToday: Bool) throws -> ShardRows {
        var scored = scored
        scored.blockDoNotCallTimes(export.customers)
        let columns = QueueColumns(scored.table)
        let balances = CallableBalances(columns: columns, customers: scored.table.customers, builder: builder, asOf: asOf,
                                        excludeDisputed: policy.excludeDisputed)
        let clock = WindowClock(asOfDay: Int(asOf))
        let files = QueueFiles(export: export, scored: scored, columns: columns, balances: balances, bundle: bundle,
                               policy: policy, clock: clock)
        let followUps = try promiseFollowUps(scored)
        let routes = QueueRouting(policy: policy, columns: columns, balances: balances, customers: scored.table.customers,
                                  cashShare: scored.cashShare, pContact: scored.pContact,
                                  followUpCustomers: Set(followUps.customers), recentAttempts: recentAttempts(),
                                  recentConversations: recentConversations(),
                                  customerTable: export.customers).routeAll()
        let ranked = try rankQueues(routes, scored: scored, balances: balances, clock: clock)
        let id = { (row: Int) in self.export.customers.ids.id(Int(scored.table.customers[row])) }
        var asHoldout = ranked
        asHoldout.heldOut = ranked.calls
        let callLines = planToday ? [[UInt8]](repeating: [], count: ranked.calls.count)
            : try Self.lines(try files.calls(ranked), count: ranked.calls.count, dropLast: 2, file: "calls.csv")
        let holdoutLines = try Self.lines(files.holdout(asHoldout), count: ranked.calls.count, dropLast: 1, file: "holdout.csv")
        let candidates = ranked.calls.indices.map { index in
            let row = ranked.calls[index]
            return QueueShardCandidate(customerId: id(row), priority: ranked.priority[row], callCells: callLines[index],
                                       holdoutCells: holdoutLines[index],
                                       plan: planToday ? planInputs(ofRow: row, ranked: ranked, scored: scored, files: files) : nil)
        }
        let promiseLines = try Self.lines(try files.promiseFollowUps(followUps), count: followUps.order.count, dropLast: 0,
                                          file: "promise_followups.csv")
        let promises = followUps.order.enumerated().map { rank, index in
            QueueShardRow(key: followUps.shortfall[index],
                          ties: [export.customers.ids.id(Int(followUps.promises[index].customer)),
                                 export.promises.ids.id(Int(followUps.promises[index].promiseRow))],
                          cells: promiseLines[rank])
        }
        let disputeLines = try Self.lines(files.disputes(ranked.disputedInvoices), count: ranked.disputedInvoices.count,
                                          dropLast: 0, file: "disputes.csv")
        let disputes = ranked.disputedInvoices.enumerated().map { rank, index in
            let entry = balances.disputedInvoices[index]
            return QueueShardRow(key: entry.invoice.openAmount, ties: [id(entry.row), entry.invoice.disputedInvoiceId ?? ""],
                                 cells: disputeLines[rank])
        }
        let escalationLines = try Self.lines(files.escalations(ranked.escalations, ranked: ranked),
                                             count: ranked.escalations.count, dropLast: 0, file: "escalations.csv")
        let escalations = ranked.escalations.enumerated().map { rank, row in
            QueueShardRow(key: balances.pastDue[row], ties: [id(row)], cells: escalationLines[rank])
        }
        let distribution = bundle.manifest.scoreDistribution
        let usable = distribution.shares.count == distribution.edges.count + 1
        return ShardRows(
            candidates: candidates, promiseFollowUps: promises, disputes: disputes, escalations: escalations,
            exclusions: routes.exclusions, accountsScored: scored.count,
            scoreBinCounts: usable ? ScoreBins.counts(of: scored.pPay, edges: distribution.edges) : nil,
            candidateCurrencies: Set(routes.calls.map { export.customers.currencyCode(ofCustomer: Int(scored.table.customers[$0])) })
                .sorted())
    }

    /// Today's plan's inputs of call candidate `row`: the planner's values (`planCandidate`) with the zone by name,
    /// and the plan-independent cells of its calls.csv row.
    private func planInputs(ofRow row: Int, ranked: RankedQueues, scored: ScoredAccounts, files: QueueFiles) -> QueueShardPlanInputs {
        let candidate = planCandidate(row: row, priority: ranked.priority, scored: scored)
        return QueueShardPlanInputs(zone: export.customers.timezoneNames[candidate.zone], windowContact: candidate.windowContact,
                                    account: files.plannedAccount(ofRow: row, ranked: ranked))
    }

    /// The data rows of a rendered queue file, each without its first cell (`rank`) and its last `dropLast` cells
    /// (numbers or words arscore wrote, never quoted), and without the line break.
    /// - Throws: `QueueShardError` when the file does not have `count` rows of single lines (a cell with a line break).
    static func lines(_ contents: Data, count: Int, dropLast: Int, file: String) throws -> [[UInt8]] {
        let bytes = [UInt8](contents)
        var rows: [[UInt8]] = []
        rows.reserveCapacity(count)
        var start = (bytes.firstIndex(of: 10) ?? bytes.count) + 1
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            var line = bytes[start..<end]
            guard let rankEnd = line.firstIndex(of: UInt8(ascii: ",")) else {
                throw QueueShardError(file: file, reason: "a row without cells after rank")
            }
            line = line[(rankEnd + 1)...]
            for _ in 0..<dropLast {
                guard let cut = line.lastIndex(of: UInt8(ascii: ",")) else {
                    throw QueueShardError(file: file, reason: "a row with too few cells")
                }
                line = line[..<cut]
            }
            rows.append(Array(line))
            start = end + 1
        }
        guard rows.count == count else {
            throw QueueShardError(file: file, reason: "\(rows.count) lines for \(count) rows (a cell holds a line break)")
        }
        return rows
    }
}

/// A queue file of a shard could not be taken apart into rows.
public struct QueueShardError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String
    public var description: String { "\(file) of the shard: \(reason)" }
}
