/// Sends each account of the snapshot to the first routing rule of `QueueBuilder` that applies.
struct QueueRouting {
    let policy: QueuePolicy
    let columns: QueueColumns
    let customers: [Int32]
    let pPay: [Double]
    /// Customers with a promise follow-up today, and call attempts per customer in the contact-cap days.
    let followUpCustomers: Set<Int32>
    let recentAttempts: [Int32: Int]

    /// Where one account goes: a queue, or out of the queues under an exclusion rule.
    enum Destination: Equatable {
        case call, dispute, escalation
        case excluded(rule: String)
    }

    /// The snapshot rows of each queue (in snapshot order, not ranked) and the accounts counted under each rule.
    struct Routes {
        var calls: [Int] = [], disputes: [Int] = [], escalations: [Int] = []
        var exclusions: [String: Int]
    }

    /// Routes every account of the snapshot; `dispute` and `escalation` count their accounts too, calls do not.
    func routeAll() -> Routes {
        var routes = Routes(exclusions: Dictionary(uniqueKeysWithValues: QueueBuilder.exclusionRules.map { ($0, 0) }))
        for row in 0..<customers.count {
            switch destination(ofRow: row) {
            case .call:
                routes.calls.append(row)
            case .dispute:
                routes.disputes.append(row)
                routes.exclusions["dispute", default: 0] += 1
            case .escalation:
                routes.escalations.append(row)
                routes.exclusions["escalation", default: 0] += 1
            case .excluded(let rule):
                routes.exclusions[rule, default: 0] += 1
            }
        }
        return routes
    }

    /// The destination of the account on snapshot row `row`: rules 1–8 of `QueueBuilder`, in order.
    func destination(ofRow row: Int) -> Destination {
        let customer = customers[row]
        let doNotCall = policy.excludeDoNotCall && columns.doNotCall[row] == 1
        if columns.disputedOpen[row] > 0 && policy.excludeDisputed {
            // Disputes are routed whatever the past-due balance: they need resolving, not collecting.
            return doNotCall ? .excluded(rule: "do_not_call") : .dispute
        }
        let pastDue = columns.pastDue[row]
        guard pastDue >= policy.minimumPastDueBalance, pastDue > 0 else { return .excluded(rule: "below_minimum_past_due") }
        if doNotCall { return .excluded(rule: "do_not_call") }
        if columns.maxDaysPastDue[row] >= Double(policy.escalationMinimumDaysPastDue) && pPay[row] < policy.escalationMaximumPPay {
            return .escalation
        }
        if followUpCustomers.contains(customer) { return .excluded(rule: "promise_follow_up") }
        if policy.excludeOpenPromiseNotDue && columns.openPromiseNotDue[row] == 1 { return .excluded(rule: "open_promise_not_due") }
        if (recentAttempts[customer] ?? 0) >= policy.contactCapAttempts { return .excluded(rule: "contact_cap") }
        return .call
    }
}
