import CallGrid
import Foundation
import Metrics
import Queues
import Receivables
import Tabular

/// The global part of the nightly queues, over the rows of every shard: the holdout and exploration draws, the
/// ranking, the capacity cut (or today's plan) and the files, with the same steps `QueueBuilder.build` runs on one
/// machine (`QueueHoldout`, `QueueBuilder.rank`, `QueueSelection`, `TodayPlan.planDay`, `PlannedCallRow`), so the files
/// are byte for byte the one-machine ones.
///
/// The draws are order-independent: each sorts its pool by customer id before drawing (`QueueDraw.sample`), so the
/// shard a candidate came from, and the order shards are read in, change nothing.
public struct QueueAssembly {
    public var policy: QueuePolicy
    /// Day number of the as-of date (the draws' day).
    public var asOf: Int32

    public init(policy: QueuePolicy, asOf: Int32) {
        self.policy = policy
        self.asOf = asOf
    }

    /// The assembled files and the global facts for the manifest.
    public struct Output: Sendable {
        public var files: [QueueFile]
        public var heldOut: Int
        public var cutByCapacity: Int
        /// Candidates deferred by today's plan (the manifest's `better_another_day`; 0 under `plan: week`).
        public var betterAnotherDay: Int
        public var draws: QueueBuilder.Draws
    }

    /// Assembles every queue file from the shards' rows (in any order) and the whole export's quarantine.
    /// - Throws: `QueueShardError` when a customer id is a call candidate in two shards.
    public func assemble(candidates: [QueueShardCandidate], promiseFollowUps: [QueueShardRow], disputes: [QueueShardRow],
                         escalations: [QueueShardRow], quarantine: [QuarantinedRow]) throws -> Output {
        try Self.checkDistinct(candidates)
        let id = { (index: Int) in candidates[index].customerId }
        let seed = UInt64(policy.policySeed)
        let holdout = QueueHoldout(candidates: Array(candidates.indices), share: policy.holdoutShare, seed: seed, asOf: asOf,
                                   id: id)
        let calls = QueueBuilder.rank(holdout.remaining, by: { candidates[$0].priority }, id: id)
        let day = try planToday(calls, of: candidates)
        let selection = day.map { QueueSelection(plan: $0.plan) }
            ?? QueueSelection(ranked: calls, capacity: policy.capacity, share: policy.explorationShare, seed: seed, asOf: asOf,
                              id: id)
        let callsContents = day.map { day in
            PlannedCallRow.file(plan: day.plan, grid: day.grid, selection: selection) { candidates[$0].plan!.account }
        } ?? callsFile(candidates, selection: selection)
        let heldOut = QueueBuilder.rank(holdout.heldOut, by: { candidates[$0].priority }, id: id)
        let files = [
            QueueFile(name: "calls.csv", contents: callsContents, rows: selection.rows.count),
            Self.rankedFile("promise_followups.csv", header: QueueBuilder.promiseHeader, rows: promiseFollowUps),
            Self.rankedFile("disputes.csv", header: QueueBuilder.disputesHeader, rows: disputes),
            Self.rankedFile("escalations.csv", header: QueueBuilder.escalationsHeader, rows: escalations),
            QueueFile(name: "holdout.csv", contents: holdoutFile(candidates, heldOut: heldOut, probability: holdout.probability),
                      rows: heldOut.count),
            QueueFile(name: "quarantine.csv", contents: QuarantineFile.csv(quarantine), rows: quarantine.count),
        ]
        return Output(files: files, heldOut: heldOut.count,
                      cutByCapacity: day?.plan.cutByCapacity ?? calls.count - selection.rows.count,
                      betterAnotherDay: day?.plan.betterAnotherDay.count ?? 0,
                      draws: QueueBuilder.Draws(policy: policy, selection: selection, holdout: holdout))
    }

    /// Today's plan of the ranked candidates `calls` (indices into `candidates`) under `plan: today`, by the step one
    /// machine runs (`TodayPlan.planDay`), on the union of the candidates' zones; nil under `plan: week`.
    /// - Throws: `QueueShardError` when a candidate carries no plan inputs; what `SlotGrid` throws.
    func planToday(_ calls: [Int], of candidates: [QueueShardCandidate]) throws -> (plan: TodayPlan, grid: SlotGrid)? {
        guard policy.plan == .today else { return nil }
        var inputs = [QueueShardPlanInputs]()
        inputs.reserveCapacity(calls.count)
        for index in calls {
            guard let plan = candidates[index].plan else {
                throw QueueShardError(file: "candidates.tsv", reason: "customer \"\(candidates[index].customerId)\" carries no "
                    + "inputs of today's plan (scored under plan \"week\"): score the shards with the merge's policy")
            }
            inputs.append(plan)
        }
        let zoneNames = Set(inputs.map(\.zone)).sorted()
        let zoneIndex = Dictionary(uniqueKeysWithValues: zoneNames.enumerated().map { ($1, $0) })
        let planned = zip(calls, inputs).map { index, plan in
            TodayPlan.Candidate(row: index, id: candidates[index].customerId, priority: candidates[index].priority,
                                zone: zoneIndex[plan.zone]!, windowContact: plan.windowContact)
        }
        return try TodayPlan.planDay(candidates: planned, zoneNames: zoneNames, policy: policy, asOf: asOf,
                                     clock: WindowClock(asOfDay: Int(asOf)))
    }

    /// calls.csv: rank, the candidate's cells, then `selection` and `selection_probability`.
    func callsFile(_ candidates: [QueueShardCandidate], selection: QueueSelection) -> Data {
        var bytes = CSVWriter(header: QueueBuilder.callsHeader).bytes
        for (index, row) in selection.rows.enumerated() {
            bytes.append(contentsOf: String(index + 1).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: candidates[row].callCells)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: selection.kinds[index].rawValue.utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: Self.fixed(selection.probability(at: index), decimals: 4))
            bytes.append(10)
        }
        return Data(bytes)
    }

    /// holdout.csv: rank, the candidate's cells, then `selection_probability`.
    func holdoutFile(_ candidates: [QueueShardCandidate], heldOut: [Int], probability: Double) -> Data {
        var bytes = CSVWriter(header: QueueBuilder.holdoutHeader).bytes
        let probabilityText = Self.fixed(probability, decimals: 4)
        for (index, row) in heldOut.enumerated() {
            bytes.append(contentsOf: String(index + 1).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: candidates[row].holdoutCells)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: probabilityText)
            bytes.append(10)
        }
        return Data(bytes)
    }

    /// A file whose rows are ranked by their `QueueShardRow` order alone, numbered from 1.
    static func rankedFile(_ name: String, header: [String], rows: [QueueShardRow]) -> QueueFile {
        var bytes = CSVWriter(header: header).bytes
        for (index, row) in rows.sorted(by: { $0.precedes($1) }).enumerated() {
            bytes.append(contentsOf: String(index + 1).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: row.cells)
            bytes.append(10)
        }
        return QueueFile(name: name, contents: Data(bytes), rows: rows.count)
    }

    /// `value` as `CSVWriter.appendCell(_:decimals:)` writes it.
    static func fixed(_ value: Double, decimals: Int) -> [UInt8] {
        var writer = CSVWriter(header: ["value"])
        writer.removeAllBytes()
        writer.appendCell(value, decimals: decimals)
        writer.endRow()
        return Array(writer.bytes.dropLast())
    }

    /// The score PSI of the whole from the shards' summed P(pay) bin counts over `accounts` scored accounts, as
    /// `QueueBuilder.scorePSI` computes it on one machine (nil with no accounts or no usable distribution).
    public static func scorePSI(binCounts: [Int]?, accounts: Int, expectedShares: [Double], edges: [Double]) -> Double? {
        guard accounts > 0, expectedShares.count == edges.count + 1, let binCounts, binCounts.count == expectedShares.count
        else { return nil }
        let total = Double(max(1, accounts))
        return ScoreBins.populationStabilityIndex(expected: expectedShares, actual: binCounts.map { Double($0) / total })
    }

    /// The warning for the manifest and the summary when candidates in several currencies (`currencies`, sorted) were
    /// ranked as written.
    public static func currencyWarning(_ currencies: [String], rankedInOneCurrency: Bool) -> String? {
        guard !rankedInOneCurrency, currencies.count > 1 else { return nil }
        return "calls.csv ranks amounts in \(currencies.count) currencies (\(currencies.joined(separator: ", "))) "
            + "as written: set exchange_rates in the policy to rank them in one currency"
    }

    /// A customer may be a candidate in one shard only (shards split the customers).
    static func checkDistinct(_ candidates: [QueueShardCandidate]) throws {
        var seen = Set<String>()
        for candidate in candidates where !seen.insert(candidate.customerId).inserted {
            throw QueueShardError(file: "calls.csv", reason: "customer \"\(candidate.customerId)\" is a call candidate in two "
                + "shards: the shard results do not split the customers (a shard given twice, or shards of different partitions)")
        }
    }
}
