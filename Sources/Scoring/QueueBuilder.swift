import Bundles
import Features
import Metrics
import Queues
import Receivables

/// Turns scored accounts into the queue files of the DESIGN contract: calls.csv, promise_followups.csv,
/// disputes.csv, escalations.csv and holdout.csv (plus the exclusion counts, the draws and the score PSI for the manifest).
///
/// Every disputed open invoice goes to disputes.csv (one row per invoice; do-not-call customers' are left out), and
/// the account is routed on its callable past-due balance, the undisputed one (`CallableBalances`). Routing, in this
/// order; an account goes to the first rule that applies and is counted under its name:
/// 1. callable past-due balance below the policy minimum: not a collection case — `dispute` when its whole past-due
///    balance would have reached the minimum (all of it that counts is disputed; do-not-call customers count as
///    `do_not_call`), otherwise `below_minimum_past_due`;
/// 2. do-not-call (`do_not_call`), then do-not-call times covering every call window (`do_not_call_times`; the
///    other customers' blocked windows have P(contact) 0, `ScoredAccounts.blockDoNotCallTimes`);
/// 3. escalation on, oldest callable invoice long past due and a call expected to bring less than the escalation
///    path: escalations.csv (`escalation`);
/// 4. an open, unpaid promise due soon or in its grace days: promise_followups.csv (`promise_follow_up`);
/// 5. an open promise not yet due, and not due soon (`open_promise_not_due`);
/// 6. the contact cap (`contact_cap`), then, under `contact_rules: consumer`, a right-party conversation in the 7 days
///    before (`recent_conversation`);
/// 7. otherwise a call candidate: the holdout share is drawn at random and not called (holdout.csv, `holdout`); the
///    rest are ranked and the day's calls selected, the top by priority and the exploration share at random from the
///    others (`QueueSelection`); the candidates left are cut (`capacity`).
///
/// expected_cash = past_due_balance × cash_share (the cash expected within H if called and reached); priority is the
/// policy's mode (`QueuePriority`, default expected_cash × p_contact). calls.csv lists the picks by rank, then the
/// explore picks, each part by priority descending, ties by customer_id, which is the order of priority over the whole
/// file; ranks start at 1. Money has 2 decimals, probabilities 4, days 1.
///
/// `build` runs the steps kept beside this file, in this order: `promiseFollowUps` (PromiseFollowUps.swift, rule 4),
/// `CallableBalances` (the disputed invoices set aside), `QueueRouting` (rules 1–7), `rankQueues` (QueueRanking.swift:
/// the holdout, ranks, the selection and the capacity cut), `QueueFiles` (the CSV rows) and `scorePSI`.
public struct QueueBuilder {
    /// The export (only its customers, promise ids and quarantine are read: the row tables may have been released
    /// by `FeatureBuilder(releasingRowTablesOf:)`).
    public var export: ReceivablesExport
    public var builder: FeatureBuilder
    public var bundle: ModelBundle
    public var policy: QueuePolicy
    /// Day number of the as-of date (calls are for this day; data before it).
    public var asOf: Int32

    public init(export: ReceivablesExport, builder: FeatureBuilder, bundle: ModelBundle, policy: QueuePolicy, asOf: Int32) {
        self.export = export
        self.builder = builder
        self.bundle = bundle
        self.policy = policy
        self.asOf = asOf
    }

    /// The queue files and the facts for the manifest.
    public struct Output: Sendable {
        public var files: [QueueFile]
        public var exclusions: [String: Int]
        public var scorePSI: Double?
        public var accountsScored: Int
        /// Snapshot rows of calls.csv, in file order, and of the call candidates not held out, by priority (before the
        /// selection and the capacity cut).
        public var callRows: [Int]
        public var candidateRows: [Int]
        /// Today's plan of calls.csv, row for row (`TodayPlan.Call`: slot, local window, planned value, P(contact)),
        /// the team slot starts (seconds since the epoch) the slots index, and the calls per slot.
        public var plannedCalls: [TodayPlan.Call] = []
        public var slotStarts: [Int] = []
        public var slotLoad: [Int] = []
        /// Snapshot rows of holdout.csv, by priority.
        public var heldOutRows: [Int]
        /// The counts and probabilities of the day's exploration and holdout draws.
        public var draws: Draws
        /// Per snapshot row: the callable past-due balance and the days past due of its oldest invoice (what
        /// calls.csv prints as `past_due_balance` and `max_days_past_due`).
        public var callablePastDue: [Double]
        public var callableMaxDaysPastDue: [Double]
        /// The distinct invoice currencies of the call candidates (sorted; "" = not given), and whether calls.csv
        /// ranked them in one currency (the policy's `exchange_rates`) or as written.
        public var candidateCurrencies: [String]
        public var rankedInOneCurrency: Bool

        /// A warning for the manifest and the summary when candidates in several currencies were ranked as written.
        public var currencyWarning: String? {
            QueueAssembly.currencyWarning(candidateCurrencies, rankedInOneCurrency: rankedInOneCurrency)
        }
    }

    /// Exclusion rule names (rule 1 counts under `dispute` or `below_minimum_past_due`).
    public static let exclusionRules = ["dispute", "below_minimum_past_due", "do_not_call", "do_not_call_times", "escalation", "promise_follow_up",
                                        "open_promise_not_due", "contact_cap", "recent_conversation", "holdout", "better_another_day",
                                        "capacity"]

    /// Builds every file from `scored` (the snapshot of `asOf`, scored with `bundle`).
    public func build(_ scored: ScoredAccounts) throws -> Output {
        var scored = scored
        scored.blockDoNotCallTimes(export.customers)
        let columns = QueueColumns(scored.table)
        let balances = CallableBalances(columns: columns, customers: scored.table.customers, builder: builder, asOf: asOf,
                                        excludeDisputed: policy.excludeDisputed)
        let clock = WindowClock(asOfDay: Int(asOf))
        let files = QueueFiles(export: export, scored: scored, columns: columns, balances: balances, bundle: bundle,
                               policy: policy, clock: clock)
        let followUps = try promiseFollowUps(scored)
        let followUpsCSV = try files.promiseFollowUps(followUps)
        let routes = QueueRouting(policy: policy, columns: columns, balances: balances, customers: scored.table.customers,
                                  cashShare: scored.cashShare, pContact: scored.pContact,
                                  followUpCustomers: Set(followUps.customers), recentAttempts: recentAttempts(),
                                  recentConversations: recentConversations(),
                                  customerTable: export.customers).routeAll()
        let ranked = try rankQueues(routes, scored: scored, balances: balances, clock: clock)
        var exclusions = routes.exclusions
        exclusions["holdout"] = ranked.heldOut.count
        exclusions["capacity"] = ranked.cutByCapacity
        exclusions["better_another_day"] = ranked.plan?.betterAnotherDay.count ?? 0
        var output = Output(
            files: [
                QueueFile(name: "calls.csv", contents: try files.calls(ranked), rows: ranked.keptCalls),
                QueueFile(name: "promise_followups.csv", contents: followUpsCSV, rows: followUps.promises.count),
                QueueFile(name: "disputes.csv", contents: files.disputes(ranked.disputedInvoices),
                          rows: ranked.disputedInvoices.count),
                QueueFile(name: "escalations.csv", contents: files.escalations(ranked.escalations, ranked: ranked),
                          rows: ranked.escalations.count),
                QueueFile(name: "holdout.csv", contents: files.holdout(ranked), rows: ranked.heldOut.count),
                QueueFile(name: "quarantine.csv", contents: QuarantineFile.csv(export.quarantine), rows: export.quarantine.count),
            ],
            exclusions: exclusions, scorePSI: scorePSI(scored), accountsScored: scored.count,
            callRows: ranked.selection.rows, candidateRows: ranked.calls, heldOutRows: ranked.heldOut,
            draws: Draws(policy: policy, selection: ranked.selection, holdout: ranked.holdout),
            callablePastDue: balances.pastDue, callableMaxDaysPastDue: balances.maxDaysPastDue,
            candidateCurrencies: Set(routes.calls.map { export.customers.currencyCode(ofCustomer: Int(scored.table.customers[$0])) })
                .sorted(),
            rankedInOneCurrency: !policy.exchangeRates.isEmpty)
        output.plannedCalls = ranked.plan?.calls ?? []
        output.slotStarts = ranked.grid?.slotStarts ?? []
        output.slotLoad = ranked.plan?.load ?? []
        return output
    }

    /// Call attempts per customer in the `contactCapDays` days before the as-of date (for the contact cap).
    func recentAttempts() -> [Int32: Int] {
        var attempts = [Int32: Int]()
        for attempt in builder.contactAttempts(from: asOf - Int32(policy.contactCapDays), to: asOf) {
            attempts[attempt.customer, default: 0] += 1
        }
        return attempts
    }

    /// Customers with a right-party conversation in the `conversationQuietDays` of the contact rules before the as-of
    /// date (none under `b2b`).
    func recentConversations() -> Set<Int32> {
        let days = policy.contactRules.conversationQuietDays
        guard days > 0 else { return [] }
        return Set(builder.contactAttempts(from: asOf - Int32(days), to: asOf).filter(\.rightPartyContact).map(\.customer))
    }

    /// PSI of today's P(pay) against the bundle's training distribution (nil with no accounts or no usable distribution).
    func scorePSI(_ scored: ScoredAccounts) -> Double? {
        let distribution = bundle.manifest.scoreDistribution
        guard scored.count > 0, distribution.shares.count == distribution.edges.count + 1 else { return nil }
        return ScoreBins.populationStabilityIndex(expected: distribution.shares,
                                                  actual: ScoreBins.shares(of: scored.pPay, edges: distribution.edges))
    }
}
