import Bundles
import Features
import Foundation
import Receivables

/// Replays past calling days: the accounts the queue would have called, against the aging heuristic and random
/// choice, judged by the cash each account actually paid in the following days.
///
/// **A passive measure.** It credits a list with the cash its accounts paid, called or not: it cannot see what the
/// calls caused (an account that pays anyway scores as well as one a call made pay). The cash calls cause is what
/// `arscore simulate` measures, in a closed loop on a synthetic world. `measure` says so in every report.
///
/// For an as-of date T, the queue is built exactly as `arscore score --as-of T` would (only rows dated before T);
/// the outcome of an account is the cash it paid in [T, T + horizon) (payments dated in that window). The aging
/// heuristic ranks the same call candidates by callable past-due balance × days past due of its oldest invoice
/// (`QueuePriority.aging`); random choice is the candidates' average cash times K. K is the queue's number of calls.
/// The aging list is not held to the plan's team: it may credit accounts the team cannot reach that day, so compare
/// with a team that reaches the book (`team_hours`) on calling days.
public struct Backtest {
    /// What the cash figures of a backtest are, in words, for every report that shows them.
    public static let measure = "cash paid within the horizon by the accounts each list would call, whether or not a call "
        + "made them pay; not the cash the calls caused (arscore simulate measures that)"

    public var export: ReceivablesExport
    public var builder: FeatureBuilder
    public var bundle: ModelBundle
    public var policy: QueuePolicy
    public var horizonDays: Int

    public init(export: ReceivablesExport, builder: FeatureBuilder, bundle: ModelBundle, policy: QueuePolicy,
                horizonDays: Int = 30) {
        self.export = export
        self.builder = builder
        self.bundle = bundle
        self.policy = policy
        self.horizonDays = horizonDays
    }

    /// One replayed day.
    public struct Day: Sendable, Equatable {
        public var asOf: Int32
        /// Calls made (min of the capacity, the candidates and the queue's calls: under today's plan a day without
        /// reachable slots, a weekend, has fewer).
        public var calls: Int
        public var candidates: Int
        /// Cash paid within the horizon by the top-K of the queue, of the aging heuristic, and expected from random K.
        public var queueCash: Double
        public var agingCash: Double
        public var randomCash: Double
        /// Whether the whole horizon lies inside the data.
        public var complete: Bool
    }

    /// Replays `asOf` with `capacity` calls.
    public func replay(asOf t: Int32, capacity: Int) throws -> Day {
        var dayPolicy = policy
        dayPolicy.capacity = capacity
        let table = builder.snapshot(asOf: t)
        let scored = try AccountScorer.score(table, bundle: bundle, expectedDaysHorizon: dayPolicy.expectedDaysHorizon)
        let queues = try QueueBuilder(export: export, builder: builder, bundle: bundle, policy: dayPolicy, asOf: t).build(scored)
        let cash = builder.labels(for: table, horizonDays: horizonDays).cashWithinHorizon
        let candidates = queues.candidateRows
        // Both lists make the queue's number of calls: a day the plan calls fewer (no slot reaches an account, a
        // weekend) gives aging no more.
        let k = min(capacity, candidates.count, queues.callRows.count)
        let queueCash = queues.callRows.prefix(k).reduce(0) { $0 + cash[$1] }
        let pastDue = queues.callablePastDue, days = queues.callableMaxDaysPastDue
        let aging = QueueBuilder.rank(candidates, by: { pastDue[$0] * days[$0] },
                                      id: { export.customers.ids.id(Int(table.customers[$0])) })
        let agingCash = aging.prefix(k).reduce(0) { $0 + cash[$1] }
        let mean = candidates.isEmpty ? 0 : candidates.reduce(0) { $0 + cash[$1] } / Double(candidates.count)
        return Day(asOf: t, calls: k, candidates: candidates.count, queueCash: queueCash, agingCash: agingCash,
                   randomCash: mean * Double(k), complete: Int64(t) + Int64(horizonDays) <= Int64(builder.dataEnd))
    }
}
