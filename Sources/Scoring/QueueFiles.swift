import Bundles
import CallGrid
import CivilTime
import Foundation
import Queues
import Receivables
import Tabular

extension QueueBuilder {
    public static let callsHeader = ["rank", "customer_id", "priority", "expected_cash", "p_pay", "expected_days_to_pay",
                                     "past_due_balance", "open_balance", "max_days_past_due", "segment", "window_local",
                                     "window_start_utc", "p_contact", "reason_1", "reason_2", "reason_3",
                                     "incremental_cash", "window_end_utc", "timezone", "best_window_local", "disputed_balance",
                                     "selection", "selection_probability"]
    public static let promiseHeader = ["rank", "customer_id", "promise_id", "created_date", "promised_date", "promised_amount",
                                       "remaining_amount", "p_kept", "expected_shortfall", "window_local", "window_start_utc",
                                       "p_contact"]
    public static let disputesHeader = ["rank", "customer_id", "disputed_balance", "disputed_past_due_balance",
                                        "disputed_invoices", "past_due_balance", "open_balance", "max_days_past_due",
                                        "dispute_calls_90d", "invoice_id", "invoice_date", "due_date", "invoice_amount",
                                        "open_amount", "days_past_due"]
    public static let escalationsHeader = ["rank", "customer_id", "past_due_balance", "open_balance", "max_days_past_due",
                                           "p_pay", "expected_cash", "days_since_last_payment", "days_since_last_rpc",
                                           "reason_1", "reason_2", "reason_3", "p_contact", "call_value", "recovery_value"]

    public static let holdoutHeader = ["rank", "customer_id", "priority", "expected_cash", "p_pay", "p_contact",
                                       "past_due_balance", "selection_probability"]
    /// Length of every call window (seconds): `window_end_utc` = `window_start_utc` + 2 h.
    static let windowSeconds = 2 * 3600
    /// Length of a planned slot (seconds): calls.csv's `window_end_utc` = `window_start_utc` + 1 h.
    static let slotSeconds = 3600
}

/// Writes the rows of the queue files, one function per file, in the order it is given them.
/// Money has 2 decimals, probabilities 4, days 1 (whole-day counts 0).
struct QueueFiles {
    let scored: ScoredAccounts
    let columns: QueueColumns
    let balances: CallableBalances
    let policy: QueuePolicy
    let reasons: ReasonCodes
    let customerIds: IDIndex
    let promiseIds: IDIndex
    let zoneNames: [String]
    let zoneOfCustomer: [Int32]
    let clock: WindowClock

    init(export: ReceivablesExport, scored: ScoredAccounts, columns: QueueColumns, balances: CallableBalances, bundle: ModelBundle,
         policy: QueuePolicy, clock: WindowClock) {
        self.scored = scored
        self.columns = columns
        self.balances = balances
        self.policy = policy
        reasons = ReasonCodes(model: bundle.payLikelihood)
        customerIds = export.customers.ids
        promiseIds = export.promises.ids
        zoneNames = export.customers.timezoneNames
        zoneOfCustomer = export.customers.timezone
        self.clock = clock
    }

    /// calls.csv: the selected calls (`QueueSelection`: picks by rank, then explore picks), in that order. Balances are
    /// the callable ones (`CallableBalances`); `incremental_cash` is empty when the bundle has no call-effect model.
    func calls(_ ranked: RankedQueues) throws -> Data {
        guard let plan = ranked.plan, let grid = ranked.grid else { return try weeklyCalls(ranked) }
        return PlannedCallRow.file(plan: plan, grid: grid, selection: ranked.selection) { plannedAccount(ofRow: $0, ranked: ranked) }
    }

    /// The plan-independent cells of snapshot row `row`'s calls.csv row under today's plan (`PlannedCallRow`).
    func plannedAccount(ofRow row: Int, ranked: RankedQueues) -> PlannedCallAccount {
        let customer = scored.table.customers[row]
        return PlannedCallAccount(
            customerId: customerId(customer),
            accountCells: PlannedCallAccount.cells(7) { csv in
                csv.appendCell(ranked.expectedCash[row], decimals: 2)
                csv.appendCell(scored.pPay[row], decimals: 4)
                csv.appendCell(scored.expectedDaysToPay[row], decimals: 1)
                csv.appendCell(balances.pastDue[row], decimals: 2)
                csv.appendCell(columns.open[row], decimals: 2)
                csv.appendCell(balances.maxDaysPastDue[row], decimals: 0)
                csv.appendCell(segment(scored.pPay[row]))
            },
            reasonCells: PlannedCallAccount.cells(3) { csv in
                for reason in reasonCodes(ofRow: row) { csv.appendCell(reason) }
            },
            closingCells: PlannedCallAccount.cells(3) { csv in
                csv.appendCell(zoneName(of: customer))
                csv.appendCell(Self.label(ofWindow: scored.chosenWindow[row]))
                csv.appendCell(balances.disputed[row], decimals: 2)
            },
            incrementalCash: ranked.incrementalCash?[row],
            incrementalCashContact: scored.callEffectIsPerCall ? nil : scored.pContact[row])
    }

    /// The `window_local` label of window `window` (0 … 24): `"Tue 10:00-12:00"`.
    static func label(ofWindow window: Int) -> String {
        WindowClock.label(weekday: CallWindows.weekday(ofWindow: window),
                          startHour: CallWindows.startHours[CallWindows.slot(ofWindow: window)])
    }

    /// calls.csv of `plan: week`: each call in its best window of the week (the contract before today's plan).
    func weeklyCalls(_ ranked: RankedQueues) throws -> Data {
        var csv = CSVWriter(header: QueueBuilder.callsHeader, reservingCapacity: ranked.keptCalls * 300)
        for (index, row) in ranked.selection.rows.enumerated() {
            let customer = scored.table.customers[row]
            let window = try callWindow(window: scored.chosenWindow[row], customer: customer)
            csv.appendCell(index + 1)
            csv.appendCell(customerId(customer))
            csv.appendCell(ranked.priority[row], decimals: 2)
            csv.appendCell(ranked.expectedCash[row], decimals: 2)
            csv.appendCell(scored.pPay[row], decimals: 4)
            csv.appendCell(scored.expectedDaysToPay[row], decimals: 1)
            csv.appendCell(balances.pastDue[row], decimals: 2)
            csv.appendCell(columns.open[row], decimals: 2)
            csv.appendCell(balances.maxDaysPastDue[row], decimals: 0)
            csv.appendCell(segment(scored.pPay[row]))
            csv.appendCell(window.local)
            csv.appendCell(window.startUTC)
            csv.appendCell(scored.pContact[row], decimals: 4)
            for reason in reasonCodes(ofRow: row) { csv.appendCell(reason) }
            appendPlanCells(&csv, row: row, window: window, customer: customer, incrementalCash: ranked.incrementalCash?[row])
            csv.appendCell(ranked.selection.kinds[index].rawValue)
            csv.appendCell(ranked.selection.probability(at: index), decimals: 4)
            csv.endRow()
        }
        return csv.data
    }

    /// The columns appended to calls.csv in 2026-12 for one row, `incremental_cash` … `disputed_balance` (the selection
    /// columns follow, from `QueueSelection`).
    func appendPlanCells(_ csv: inout CSVWriter, row: Int, window: CallWindow, customer: Int32, incrementalCash: Double?) {
        if let incrementalCash { csv.appendCell(incrementalCash, decimals: 2) } else { csv.appendCell("") }
        csv.appendCell(CivilDate.formatInstant(Int64(window.startSeconds + QueueBuilder.windowSeconds)))
        csv.appendCell(zoneName(of: customer))
        csv.appendCell(window.local)
        csv.appendCell(balances.disputed[row], decimals: 2)
    }

    /// holdout.csv: the held-out call candidates by priority, each with its probability of being held out.
    func holdout(_ ranked: RankedQueues) -> Data {
        var csv = CSVWriter(header: QueueBuilder.holdoutHeader, reservingCapacity: ranked.heldOut.count * 90)
        for (index, row) in ranked.heldOut.enumerated() {
            csv.appendCell(index + 1)
            csv.appendCell(customerId(scored.table.customers[row]))
            csv.appendCell(ranked.priority[row], decimals: 2)
            csv.appendCell(ranked.expectedCash[row], decimals: 2)
            csv.appendCell(scored.pPay[row], decimals: 4)
            csv.appendCell(scored.pContact[row], decimals: 4)
            csv.appendCell(balances.pastDue[row], decimals: 2)
            csv.appendCell(ranked.holdout.probability, decimals: 4)
            csv.endRow()
        }
        return csv.data
    }

    /// disputes.csv: one row per disputed open invoice (indices into `balances.disputedInvoices`, ranked), its
    /// account's columns first, then the invoice's.
    func disputes(_ invoices: [Int]) -> Data {
        var csv = CSVWriter(header: QueueBuilder.disputesHeader, reservingCapacity: invoices.count * 160)
        for (rank, index) in invoices.enumerated() {
            let (row, invoice) = balances.disputedInvoices[index]
            csv.appendCell(rank + 1)
            csv.appendCell(customerId(scored.table.customers[row]))
            csv.appendCell(columns.disputedOpen[row], decimals: 2)
            csv.appendCell(columns.disputedPastDue[row], decimals: 2)
            csv.appendCell(columns.disputedInvoices[row], decimals: 0)
            csv.appendCell(balances.pastDue[row], decimals: 2)
            csv.appendCell(columns.open[row], decimals: 2)
            csv.appendCell(balances.maxDaysPastDue[row], decimals: 0)
            csv.appendCell(columns.disputeCalls90d[row], decimals: 0)
            csv.appendCell(invoice.disputedInvoiceId ?? "")
            csv.appendCell(CivilDate.format(invoice.invoiceDate))
            csv.appendCell(CivilDate.format(invoice.dueDate))
            csv.appendCell(invoice.amount, decimals: 2)
            csv.appendCell(invoice.openAmount, decimals: 2)
            csv.appendCell(max(0, invoice.daysPastDue))
            csv.endRow()
        }
        return csv.data
    }

    /// escalations.csv: the ranked escalation rows, with each row's expected cash, call value and recovery value.
    func escalations(_ rows: [Int], ranked: RankedQueues) -> Data {
        var csv = CSVWriter(header: QueueBuilder.escalationsHeader, reservingCapacity: rows.count * 200)
        for (index, row) in rows.enumerated() {
            csv.appendCell(index + 1)
            csv.appendCell(customerId(scored.table.customers[row]))
            csv.appendCell(balances.pastDue[row], decimals: 2)
            csv.appendCell(columns.open[row], decimals: 2)
            csv.appendCell(balances.maxDaysPastDue[row], decimals: 0)
            csv.appendCell(scored.pPay[row], decimals: 4)
            csv.appendCell(ranked.expectedCash[row], decimals: 2)
            csv.appendCell(columns.daysSinceLastPayment[row], decimals: 0)
            csv.appendCell(columns.daysSinceLastRPC[row], decimals: 0)
            for reason in reasonCodes(ofRow: row) { csv.appendCell(reason) }
            csv.appendCell(scored.pContact[row], decimals: 4)
            csv.appendCell(ranked.callValue[row], decimals: 2)
            csv.appendCell(policy.escalationRecoveryShare * balances.pastDue[row], decimals: 2)
            csv.endRow()
        }
        return csv.data
    }

    /// promise_followups.csv: the follow-ups in rank order.
    func promiseFollowUps(_ followUps: PromiseFollowUps) throws -> Data {
        var csv = CSVWriter(header: QueueBuilder.promiseHeader)
        for (rank, index) in followUps.order.enumerated() {
            let promise = followUps.promises[index]
            let window = try callWindow(window: followUps.window[index], customer: promise.customer)
            csv.appendCell(rank + 1)
            csv.appendCell(customerId(promise.customer))
            csv.appendCell(promiseIds.id(Int(promise.promiseRow)))
            csv.appendCell(CivilDate.format(promise.createdDate))
            csv.appendCell(CivilDate.format(promise.promisedDate))
            csv.appendCell(promise.amount, decimals: 2)
            csv.appendCell(promise.remaining, decimals: 2)
            csv.appendCell(followUps.pKept[index], decimals: 4)
            csv.appendCell(followUps.shortfall[index], decimals: 2)
            csv.appendCell(window.local)
            csv.appendCell(window.startUTC)
            csv.appendCell(followUps.pContact[index], decimals: 4)
            csv.endRow()
        }
        return csv.data
    }

    /// The IANA time-zone name of `customer`, as in customers.csv.
    func zoneName(of customer: Int32) -> String { zoneNames[Int(zoneOfCustomer[Int(customer)])] }

    /// The next occurrence of call window `window` (0 … 24) in the time zone of `customer`.
    func callWindow(window: Int, customer: Int32) throws -> CallWindow {
        try clock.window(zone: zoneName(of: customer), weekday: CallWindows.weekday(ofWindow: window),
                         startHour: CallWindows.startHours[CallWindows.slot(ofWindow: window)])
    }

    /// The three pay-model reason codes of snapshot row `row`.
    func reasonCodes(ofRow row: Int) -> [String] {
        let p = scored.payDesign.columns
        return reasons.reasons(scored.payDesign.storage[(row * p)..<(row * p + p)])
    }

    /// The export's id of customer `customer`.
    func customerId(_ customer: Int32) -> String { customerIds.id(Int(customer)) }

    /// timely / late / doubtful from P(pay).
    func segment(_ pPay: Double) -> String {
        if pPay >= policy.timelyMinimumPPay { return "timely" }
        return pPay < policy.doubtfulMaximumPPay ? "doubtful" : "late"
    }
}
