import Bundles
import CivilTime
import Features
import Metrics
import Receivables
import Scoring

/// The export's logged selections made ready for off-policy evaluation (`arscore compare`).
///
/// Rows: the logged (day, account) selections of the newest `maximumDays` logged days whose horizon lies inside the
/// data. Per row: the outcome, the cash the account paid in [day, day + H) (converted with the policy's
/// `exchange_rates` when it has them), and the probability of its logged selection before the holdout draw (q for a
/// held-out row, (1 − q) × the printed probability for a called one). A policy's value is then estimated by SNIPS over
/// the rows whose logged action it would take: called rows it would call, held-out rows it would not. Held-out rows
/// are a uniform draw among every eligible candidate and called rows cover each candidate with a known probability
/// (1 − q for the picks by rank, (1 − q) × the explore probability for the rest), so with held-out rows every
/// candidate is represented under both actions; without them there is no estimate. (The logging policy's own value is
/// not estimable from the log: the candidates it neither called nor held out are not in it.)
struct OffPolicyLog {
    static let maximumDays = 60

    var days: [Int32]
    var entries: [SelectionLog.Entry]
    var outcomes: [Double]
    var propensities: [Double]

    /// The usable rows of `selections`, or nil when no logged day has its horizon inside the data or the days used
    /// have no held-out or no called rows.
    /// - Throws: `PolicyError` when the policy's exchange rates miss a customer's currency.
    init?(selections: SelectionLog, builder: FeatureBuilder, export: ReceivablesExport, policy: QueuePolicy,
          horizonDays: Int) throws {
        let all = selections.entries
        let table = builder.features(of: all.map(\.customer), asOf: all.map(\.asOf))
        let labels = builder.labels(for: table, horizonDays: horizonDays)
        let observedDays = Set(all.indices.filter { labels.horizonObserved[$0] }.map { all[$0].asOf })
        let usedDays = Set(observedDays.sorted().suffix(Self.maximumDays))
        let rows = all.indices.filter { usedDays.contains(all[$0].asOf) && labels.horizonObserved[$0] }
        guard rows.contains(where: { all[$0].called }), rows.contains(where: { !all[$0].called }) else { return nil }
        let holdout = Dictionary(uniqueKeysWithValues: usedDays.map { ($0, selections.holdoutProbability(on: $0)) })
        days = usedDays.sorted()
        entries = rows.map { all[$0] }
        propensities = rows.map { selections.unconditionalProbability(of: all[$0], holdout: holdout[all[$0].asOf]!) }
        outcomes = try rows.map { row in
            let currency = export.customers.currencyCode(ofCustomer: Int(all[row].customer))
            guard let rate = policy.exchangeRate(of: currency) else {
                throw PolicyError(path: "policy", reason: "\"exchange_rates\" has no rate for \"\(currency)\", a logged "
                    + "customer's currency (give every invoice currency a rate, or none)")
            }
            return labels.cashWithinHorizon[row] * rate
        }
    }

    /// The value of `bundle`'s deterministic policy: each logged day, its queue under `policy` with that day's logged
    /// number of calls as capacity and no exploration or holdout, against each row's logged action.
    func value(of bundle: ModelBundle, policy: QueuePolicy, builder: FeatureBuilder, export: ReceivablesExport) throws
        -> ComparisonResult.OffPolicyMetrics {
        var takes = [Bool](repeating: false, count: entries.count)
        var start = 0
        for day in days {
            var end = start
            while end < entries.count, entries[end].asOf == day { end += 1 }
            let calls = try targetCalls(bundle, policy: policy, capacity: entries[start..<end].filter(\.called).count,
                                        asOf: day, builder: builder, export: export)
            for i in start..<end { takes[i] = entries[i].called == calls.contains(entries[i].customer) }
            start = end
        }
        let estimate = try OffPolicyValue.estimate(outcomes: outcomes, loggingPropensities: propensities,
                                                   targetTakesLoggedAction: takes)
        return .init(estimate: estimate, matchingRows: takes.filter { $0 }.count)
    }

    /// The customers `bundle`'s queue calls on `asOf` with `capacity` calls, by rank only.
    func targetCalls(_ bundle: ModelBundle, policy: QueuePolicy, capacity: Int, asOf: Int32, builder: FeatureBuilder,
                     export: ReceivablesExport) throws -> Set<Int32> {
        var target = policy
        target.capacity = capacity
        target.explorationShare = 0
        target.holdoutShare = 0
        let table = builder.snapshot(asOf: asOf)
        let scored = try AccountScorer.score(table, bundle: bundle, expectedDaysHorizon: target.expectedDaysHorizon)
        let queues = try QueueBuilder(export: export, builder: builder, bundle: bundle, policy: target, asOf: asOf).build(scored)
        return Set(queues.callRows.map { scored.table.customers[$0] })
    }

    /// What compare prints about the log.
    func summary() -> ComparisonResult.SelectionLogSummary {
        let called = entries.filter(\.called).count
        return .init(days: days.count, firstDay: CivilDate.format(days.first!), lastDay: CivilDate.format(days.last!),
                     rows: entries.count, called: called, heldOut: entries.count - called)
    }
}
