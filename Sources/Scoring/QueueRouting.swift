import Receivables

/// Sends each account of the snapshot to the first routing rule of `QueueBuilder` that applies, and picks the
/// disputed invoices for disputes.csv.
struct QueueRouting {
    let policy: QueuePolicy
    let columns: QueueColumns
    let balances: CallableBalances
    let customers: [Int32]
    /// Per snapshot row: expected share of the past-due balance collected within H, and P(right-party contact).
    let cashShare: [Double]
    let pContact: [Double]
    /// Customers with a promise follow-up today, and call attempts per customer in the contact-cap days.
    let followUpCustomers: Set<Int32>
    let recentAttempts: [Int32: Int]
    /// Customers with a right-party conversation in the contact rules' quiet days before the as-of date (the
    /// `consumer` preset's 7 days after a conversation, US Regulation F; empty under `b2b`).
    var recentConversations: Set<Int32> = []
    /// The export's customers, for their do-not-call times (nil: none).
    var customerTable: CustomerTable? = nil

    /// Where one account goes: a queue, or out of the queues under an exclusion rule.
    enum Destination: Equatable {
        case call, escalation
        case excluded(rule: String)
    }

    /// The snapshot rows of each queue (in snapshot order, not ranked), the disputed invoices to list (indices into
    /// `balances.disputedInvoices`) and the accounts counted under each rule.
    struct Routes {
        var calls: [Int] = [], escalations: [Int] = []
        var disputedInvoices: [Int] = []
        var exclusions: [String: Int]
    }

    /// Routes every account of the snapshot; `escalation` counts its accounts too, calls do not. Every disputed open
    /// invoice is listed for the dispute team unless its customer is do-not-call, whatever its account's route.
    func routeAll() -> Routes {
        var routes = Routes(exclusions: Dictionary(uniqueKeysWithValues: QueueBuilder.exclusionRules.map { ($0, 0) }))
        for row in 0..<customers.count {
            switch destination(ofRow: row) {
            case .call:
                routes.calls.append(row)
            case .escalation:
                routes.escalations.append(row)
                routes.exclusions["escalation", default: 0] += 1
            case .excluded(let rule):
                routes.exclusions[rule, default: 0] += 1
            }
        }
        routes.disputedInvoices = balances.disputedInvoices.indices.filter { !isDoNotCall(balances.disputedInvoices[$0].row) }
        return routes
    }

    /// The destination of the account on snapshot row `row`: rules 1–8 of `QueueBuilder`, in order.
    func destination(ofRow row: Int) -> Destination {
        let customer = customers[row]
        if policy.disputeRouting == .account && policy.excludeDisputed && columns.disputedOpen[row] > 0 {
            return .excluded(rule: isDoNotCall(row) ? "do_not_call" : "dispute")
        }
        let pastDue = balances.pastDue[row]
        guard pastDue >= policy.minimumPastDueBalance, pastDue > 0 else { return belowMinimum(row) }
        if isDoNotCall(row) { return .excluded(rule: "do_not_call") }
        if customerTable?.isBlockedInEveryWindow(Int(customer)) == true { return .excluded(rule: "do_not_call_times") }
        if escalates(row) { return .escalation }
        if followUpCustomers.contains(customer) { return .excluded(rule: "promise_follow_up") }
        if policy.excludeOpenPromiseNotDue && columns.openPromiseNotDue[row] == 1 { return .excluded(rule: "open_promise_not_due") }
        if (recentAttempts[customer] ?? 0) >= policy.contactCapAttempts { return .excluded(rule: "contact_cap") }
        if recentConversations.contains(customer) { return .excluded(rule: "recent_conversation") }
        return .call
    }

    /// Rule 1 for an account whose callable past-due balance is below the minimum: `dispute` when its whole past-due
    /// balance, disputed invoices included, would have reached it (the dispute is what keeps it off the list;
    /// do-not-call customers count as `do_not_call`), otherwise `below_minimum_past_due`.
    func belowMinimum(_ row: Int) -> Destination {
        let whole = columns.pastDue[row]
        let disputeHoldsItBack = policy.excludeDisputed && columns.disputedPastDue[row] > 0
            && whole >= policy.minimumPastDueBalance && whole > 0
        guard disputeHoldsItBack else { return .excluded(rule: "below_minimum_past_due") }
        return .excluded(rule: isDoNotCall(row) ? "do_not_call" : "dispute")
    }

    /// Rule 3: with escalation on, the oldest callable invoice is at least `escalation_minimum_days_past_due` days past
    /// due and the cash a call is expected to bring, past_due × cash_share × p_contact, is below what the escalation
    /// path is expected to net, `escalation_recovery_share` × past_due.
    func escalates(_ row: Int) -> Bool {
        guard policy.escalation, balances.maxDaysPastDue[row] >= Double(policy.escalationMinimumDaysPastDue) else { return false }
        let pastDue = balances.pastDue[row]
        return pastDue * cashShare[row] * pContact[row] < policy.escalationRecoveryShare * pastDue
    }

    /// Whether the policy keeps every call (and the dispute team) away from the account on `row`.
    func isDoNotCall(_ row: Int) -> Bool { policy.excludeDoNotCall && columns.doNotCall[row] == 1 }
}
