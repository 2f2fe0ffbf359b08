import Bundles
import CallGrid
import Queues
/// The queues of one day in rank order, from `QueueRouting.Routes`.
struct RankedQueues {
    /// Per snapshot row, over the callable past-due balance: expected_cash = past_due × cash_share (cash expected
    /// within H if called and reached), call value = expected_cash × p_contact (what a call is expected to bring),
    /// and the policy's priority (`QueuePriority`).
    var expectedCash: [Double]
    /// Per snapshot row: incremental_cash = past_due × call effect × p_contact; nil without a call-effect model.
    var incrementalCash: [Double]?
    var callValue: [Double]
    var priority: [Double]
    /// Every call candidate not held out, by priority; `selection` picks calls.csv among them, the rest are cut by the
    /// capacity.
    var calls: [Int]
    var selection: QueueSelection
    /// Today's plan: the calls of `selection.rows`, in the same order, with their slot, window and planned value, and
    /// the candidates better called another day.
    /// nil under `plan: week`.
    var plan: TodayPlan?
    var grid: SlotGrid?
    /// The eligible candidates drawn before ranking and not called today (holdout.csv, by priority).
    var holdout: QueueHoldout
    var heldOut: [Int]
    /// Disputed invoices (indices into `CallableBalances.disputedInvoices`) by open amount, escalations by past-due
    /// balance.
    var disputedInvoices: [Int]
    var escalations: [Int]

    /// The number of rows of calls.csv (`selection.rows`).
    var keptCalls: Int { selection.rows.count }

    /// The call candidates not held out and not selected (the `capacity` exclusion count).
    var cutByCapacity: Int { plan?.cutByCapacity ?? calls.count - keptCalls }
}

extension QueueBuilder {
    /// Ranks each queue (descending, ties by customer id) and picks the day's calls: the holdout is drawn among the call
    /// candidates first (`QueueHoldout`), then the rest are ranked and selected within the capacity (`QueueSelection`:
    /// the top by priority and the exploration share). With the policy's `exchange_rates`, priorities are in the
    /// reporting currency (the money columns stay in the invoice currency).
    /// - Throws: `PolicyError` when rates are set and a call candidate's currency has none.
    func rankQueues(_ routes: QueueRouting.Routes, scored: ScoredAccounts, balances: CallableBalances,
                    clock: WindowClock) throws -> RankedQueues {
        let n = scored.count
        let expectedCash = (0..<n).map { balances.pastDue[$0] * scored.cashShare[$0] }
        let callValue = (0..<n).map { expectedCash[$0] * scored.pContact[$0] }
        let mode = policy.priority
        let ids = export.customers.ids, customers = scored.table.customers
        let id = { (row: Int) in ids.id(Int(customers[row])) }
        var rate = [Double](repeating: 1, count: n)
        for row in routes.calls {
            let currency = export.customers.currencyCode(ofCustomer: Int(customers[row]))
            guard let value = policy.exchangeRate(of: currency) else {
                throw PolicyError(path: "policy", reason: "\"exchange_rates\" has no rate for \"\(currency)\", the currency of "
                    + "customer \"\(id(row))\"'s invoices (give every invoice currency a rate, or none)")
            }
            rate[row] = value
        }
        let priority = (0..<n).map {
            rate[$0] * mode.value(of: .init(pastDue: balances.pastDue[$0], maxDaysPastDue: balances.maxDaysPastDue[$0],
                                            pPay: scored.pPay[$0], cashShare: scored.cashShare[$0], pContact: scored.pContact[$0],
                                            callEffect: scored.callEffect?[$0], callEffectIsPerCall: scored.callEffectIsPerCall))
        }
        let incrementalCash = scored.callEffect.map { effect in
            (0..<n).map { balances.pastDue[$0] * effect[$0] * (scored.callEffectIsPerCall ? 1 : scored.pContact[$0]) }
        }
        try FiniteScores.check(priority, what: "the priority (\(mode.rawValue))",
                               modelFile: FiniteScores.modelFile(bundle, bundle.cashShareSource + ".json"))
        try FiniteScores.check(expectedCash, what: "the expected cash",
                               modelFile: FiniteScores.modelFile(bundle, bundle.cashShareSource + ".json"))
        if let incrementalCash {
            try FiniteScores.check(incrementalCash, what: "the incremental cash",
                                   modelFile: FiniteScores.modelFile(bundle, ModelBundle.FileName.callEffect))
        }
        let seed = UInt64(policy.policySeed)
        let holdout = QueueHoldout(candidates: routes.calls, share: policy.holdoutShare, seed: seed, asOf: asOf, id: id)
        let calls = Self.rank(holdout.remaining, by: { priority[$0] }, id: id)
        var plan: TodayPlan?, grid: SlotGrid?
        let selection: QueueSelection
        if policy.plan == .today {
            let day = try TodayPlan.planDay(candidates: calls.map { planCandidate(row: $0, priority: priority, scored: scored) },
                                            zoneNames: export.customers.timezoneNames, policy: policy, asOf: asOf, clock: clock)
            (plan, grid, selection) = (day.plan, day.grid, QueueSelection(plan: day.plan))
        } else {
            selection = QueueSelection(ranked: calls, capacity: policy.capacity, share: policy.explorationShare, seed: seed,
                                       asOf: asOf, id: id)
        }
        return RankedQueues(expectedCash: expectedCash, incrementalCash: incrementalCash, callValue: callValue, priority: priority, calls: calls,
                            selection: selection, plan: plan, grid: grid, holdout: holdout,
                            heldOut: Self.rank(holdout.heldOut, by: { priority[$0] }, id: id),
                            disputedInvoices: Self.rankInvoices(routes.disputedInvoices, of: balances, id: id),
                            escalations: Self.rank(routes.escalations, by: { balances.pastDue[$0] }, id: id))
    }

    /// Today's plan's candidate of snapshot row `row`: its customer id, priority, zone (index into the export's
    /// `timezoneNames`) and P(contact) per window, the values `TodayPlan` plans with. The one-machine plan and the shard
    /// result (`buildShard`, which carries them to the merge) both take them from here.
    func planCandidate(row: Int, priority: [Double], scored: ScoredAccounts) -> TodayPlan.Candidate {
        let customer = Int(scored.table.customers[row])
        return TodayPlan.Candidate(row: row, id: export.customers.ids.id(customer), priority: priority[row],
                                   zone: Int(export.customers.timezone[customer]), windowContact: scored.windowContact(ofRow: row))
    }

    /// `rows` sorted by `key` descending, ties by `id` ascending (byte order), so the order is total and stable.
    static func rank(_ rows: [Int], by key: (Int) -> Double, id: (Int) -> String) -> [Int] {
        let keyed = rows.map { (key: key($0), id: id($0), row: $0) }
        return keyed.sorted { a, b in
            if a.key != b.key { return a.key > b.key }
            return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }.map(\.row)
    }

    /// Disputed invoices sorted by open amount descending, ties by customer id, then invoice id (byte order).
    static func rankInvoices(_ indices: [Int], of balances: CallableBalances, id: (Int) -> String) -> [Int] {
        let keyed = indices.map { index -> (amount: Double, customer: String, invoice: String, index: Int) in
            let entry = balances.disputedInvoices[index]
            return (entry.invoice.openAmount, id(entry.row), entry.invoice.disputedInvoiceId ?? "", index)
        }
        return keyed.sorted { a, b in
            if a.amount != b.amount { return a.amount > b.amount }
            if !a.customer.utf8.elementsEqual(b.customer.utf8) { return a.customer.utf8.lexicographicallyPrecedes(b.customer.utf8) }
            return a.invoice.utf8.lexicographicallyPrecedes(b.invoice.utf8)
        }.map(\.index)
    }
}
