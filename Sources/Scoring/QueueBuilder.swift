import Bundles
import CallGrid
import CivilTime
import Features
import Foundation
import Metrics
import Models
import Queues
import Receivables
import Tabular

/// Turns scored accounts into the queue files of the DESIGN contract: calls.csv, promise_followups.csv,
/// disputes.csv and escalations.csv (plus the exclusion counts and the score PSI for the manifest).
///
/// Routing, in this order; an account goes to the first rule that applies and is counted under its name:
/// 1. an open disputed invoice: disputes.csv (`dispute`; do-not-call customers count as `do_not_call`);
/// 2. past-due balance below the policy minimum: not a collection case (`below_minimum_past_due`);
/// 3. do-not-call (`do_not_call`);
/// 4. long delinquent and unlikely to pay: escalations.csv (`escalation`);
/// 5. an open, unpaid promise due soon or in its grace days: promise_followups.csv (`promise_follow_up`);
/// 6. an open promise not yet due, and not due soon (`open_promise_not_due`);
/// 7. the contact cap (`contact_cap`);
/// 8. otherwise a call candidate; calls beyond the daily capacity are cut (`capacity`).
///
/// priority = expected_cash × p_contact, expected_cash = past_due_balance × p_pay: the cash a call is expected to
/// bring if the right party is reached in the chosen window. Rows are sorted by priority descending, ties by
/// customer_id; ranks start at 1. Money has 2 decimals, probabilities 4, days 1.
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
        /// Snapshot rows of calls.csv, in rank order (after the capacity cut), and of the call candidates before it.
        public var callRows: [Int]
        public var candidateRows: [Int]
    }

    /// Exclusion rule names, in the order they are applied.
    public static let exclusionRules = ["dispute", "below_minimum_past_due", "do_not_call", "escalation", "promise_follow_up",
                                        "open_promise_not_due", "contact_cap", "capacity"]

    public static let callsHeader = ["rank", "customer_id", "priority", "expected_cash", "p_pay", "expected_days_to_pay",
                                     "past_due_balance", "open_balance", "max_days_past_due", "segment", "window_local",
                                     "window_start_utc", "p_contact", "reason_1", "reason_2", "reason_3"]
    public static let promiseHeader = ["rank", "customer_id", "promise_id", "created_date", "promised_date", "promised_amount",
                                       "remaining_amount", "p_kept", "expected_shortfall", "window_local", "window_start_utc",
                                       "p_contact"]
    public static let disputesHeader = ["rank", "customer_id", "disputed_balance", "disputed_past_due_balance",
                                        "disputed_invoices", "past_due_balance", "open_balance", "max_days_past_due",
                                        "dispute_calls_90d"]
    public static let escalationsHeader = ["rank", "customer_id", "past_due_balance", "open_balance", "max_days_past_due",
                                           "p_pay", "expected_cash", "days_since_last_payment", "days_since_last_rpc",
                                           "reason_1", "reason_2", "reason_3"]

    /// Builds every file from `scored` (the snapshot of `asOf`, scored with `bundle`).
    public func build(_ scored: ScoredAccounts) throws -> Output {
        let table = scored.table
        let n = scored.count
        let clock = WindowClock(asOfDay: Int(asOf))
        let ids = export.customers.ids
        func id(_ customer: Int32) -> String { ids.id(Int(customer)) }
        func column(_ feature: Feature) -> ArraySlice<Double> { table.column(feature) }
        let pastDue = column(.pastDueBalance), open = column(.openBalance), maxDays = column(.maxDaysPastDue)
        let disputedOpen = column(.disputedOpenBalance)
        let disputedPastDue = column(.disputedPastDueBalance), disputedCount = column(.disputedOpenInvoiceCount)
        let disputeCalls = column(.disputeCalls90d)
        let sinceLastPayment = column(.daysSinceLastPayment), sinceLastRPC = column(.daysSinceLastRPC)
        func at(_ slice: ArraySlice<Double>, _ row: Int) -> Double { slice[slice.startIndex + row] }

        let files = QueueFiles(export: export, clock: clock)

        // Promise follow-ups: open, unpaid, due within the follow-up days (or in grace).
        let promises = try promiseFollowUps(scored)
        let promisesCSV = try files.promiseFollowUps(promises)
        let followUpCustomers = Set(promises.customers)

        let routes = QueueRouting(policy: policy, columns: QueueColumns(table), customers: table.customers, pPay: scored.pPay,
                                  followUpCustomers: followUpCustomers, recentAttempts: recentAttempts()).routeAll()
        var exclusions = routes.exclusions
        let callRows = routes.calls, disputeRows = routes.disputes, escalationRows = routes.escalations

        // Calls: priority descending, ties by customer id; cut at the capacity.
        let expectedCash = (0..<n).map { at(pastDue, $0) * scored.pPay[$0] }
        let priority = (0..<n).map { expectedCash[$0] * scored.pContact[$0] }
        let orderedCalls = Self.rank(callRows, by: { priority[$0] }, id: { id(table.customers[$0]) })
        let kept = policy.capacity.map { min($0, orderedCalls.count) } ?? orderedCalls.count
        exclusions["capacity"] = orderedCalls.count - kept
        let reasons = ReasonCodes(model: bundle.payLikelihood)
        let p = scored.payDesign.columns

        var calls = CSVWriter(header: Self.callsHeader, reservingCapacity: kept * 220)
        for (index, row) in orderedCalls.prefix(kept).enumerated() {
            let customer = table.customers[row]
            let window = try files.callWindow(window: scored.chosenWindow[row], customer: customer)
            calls.appendCell(index + 1)
            calls.appendCell(CellSanitizer.neutralise(id(customer)))
            calls.appendCell(priority[row], decimals: 2)
            calls.appendCell(expectedCash[row], decimals: 2)
            calls.appendCell(scored.pPay[row], decimals: 4)
            calls.appendCell(scored.expectedDaysToPay[row], decimals: 1)
            calls.appendCell(at(pastDue, row), decimals: 2)
            calls.appendCell(at(open, row), decimals: 2)
            calls.appendCell(at(maxDays, row), decimals: 0)
            calls.appendCell(segment(scored.pPay[row]))
            calls.appendCell(window.local)
            calls.appendCell(window.startUTC)
            calls.appendCell(scored.pContact[row], decimals: 4)
            for reason in reasons.reasons(scored.payDesign.storage[(row * p)..<(row * p + p)]) { calls.appendCell(reason) }
            calls.endRow()
        }

        var disputes = CSVWriter(header: Self.disputesHeader, reservingCapacity: disputeRows.count * 100)
        for (index, row) in Self.rank(disputeRows, by: { at(disputedOpen, $0) }, id: { id(table.customers[$0]) }).enumerated() {
            disputes.appendCell(index + 1)
            disputes.appendCell(CellSanitizer.neutralise(id(table.customers[row])))
            disputes.appendCell(at(disputedOpen, row), decimals: 2)
            disputes.appendCell(at(disputedPastDue, row), decimals: 2)
            disputes.appendCell(at(disputedCount, row), decimals: 0)
            disputes.appendCell(at(pastDue, row), decimals: 2)
            disputes.appendCell(at(open, row), decimals: 2)
            disputes.appendCell(at(maxDays, row), decimals: 0)
            disputes.appendCell(at(disputeCalls, row), decimals: 0)
            disputes.endRow()
        }

        var escalations = CSVWriter(header: Self.escalationsHeader, reservingCapacity: escalationRows.count * 160)
        for (index, row) in Self.rank(escalationRows, by: { at(pastDue, $0) }, id: { id(table.customers[$0]) }).enumerated() {
            escalations.appendCell(index + 1)
            escalations.appendCell(CellSanitizer.neutralise(id(table.customers[row])))
            escalations.appendCell(at(pastDue, row), decimals: 2)
            escalations.appendCell(at(open, row), decimals: 2)
            escalations.appendCell(at(maxDays, row), decimals: 0)
            escalations.appendCell(scored.pPay[row], decimals: 4)
            escalations.appendCell(expectedCash[row], decimals: 2)
            escalations.appendCell(at(sinceLastPayment, row), decimals: 0)
            escalations.appendCell(at(sinceLastRPC, row), decimals: 0)
            for reason in reasons.reasons(scored.payDesign.storage[(row * p)..<(row * p + p)]) { escalations.appendCell(reason) }
            escalations.endRow()
        }

        // PSI of today's P(pay) against the training distribution.
        let distribution = bundle.manifest.scoreDistribution
        let psi: Double? = n > 0 && distribution.shares.count == distribution.edges.count + 1
            ? ScoreBins.populationStabilityIndex(expected: distribution.shares,
                                                 actual: ScoreBins.shares(of: scored.pPay, edges: distribution.edges))
            : nil

        return Output(
            files: [
                QueueFile(name: "calls.csv", contents: calls.data, rows: kept),
                QueueFile(name: "promise_followups.csv", contents: promisesCSV, rows: promises.promises.count),
                QueueFile(name: "disputes.csv", contents: disputes.data, rows: disputeRows.count),
                QueueFile(name: "escalations.csv", contents: escalations.data, rows: escalationRows.count),
                QueueFile(name: "quarantine.csv", contents: QuarantineFile.csv(export.quarantine), rows: export.quarantine.count),
            ],
            exclusions: exclusions, scorePSI: psi, accountsScored: n,
            callRows: Array(orderedCalls.prefix(kept)), candidateRows: orderedCalls)
    }

    /// Call attempts per customer in the `contactCapDays` days before the as-of date (for the contact cap).
    func recentAttempts() -> [Int32: Int] {
        var attempts = [Int32: Int]()
        for attempt in builder.contactAttempts(from: asOf - Int32(policy.contactCapDays), to: asOf) {
            attempts[attempt.customer, default: 0] += 1
        }
        return attempts
    }

    /// timely / late / doubtful from P(pay).
    func segment(_ pPay: Double) -> String {
        if pPay >= policy.timelyMinimumPPay { return "timely" }
        return pPay < policy.doubtfulMaximumPPay ? "doubtful" : "late"
    }

    /// `rows` sorted by `key` descending, ties by `id` ascending (byte order), so the order is total and stable.
    static func rank(_ rows: [Int], by key: (Int) -> Double, id: (Int) -> String) -> [Int] {
        let keyed = rows.map { (key: key($0), id: id($0), row: $0) }
        return keyed.sorted { a, b in
            if a.key != b.key { return a.key > b.key }
            return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }.map(\.row)
    }
}
