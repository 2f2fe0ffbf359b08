import CallGrid
import Receivables

/// The customers' do-not-call times (customers.csv `do_not_call_times`, docs/POLICY.md) applied to the scores: every
/// call window that overlaps one of the customer's ranges gets P(contact) 0, before anything chooses a window, so the
/// weekly best window, today's plan (whose slots each lie inside one window) and the promise follow-ups never pick it.
/// Blocking is per whole window (conservative: a slot inside a window that touches a range is never planned, and a
/// slot in an unblocked window cannot touch one). A scoring rule only: training and the bundle do not see it.
extension ScoredAccounts {
    /// Zeroes the blocked windows of each account of a customer with do-not-call times and re-chooses its best window
    /// (the first of highest P(contact), as `CallWindowModel.chosenWindows`). Idempotent.
    public mutating func blockDoNotCallTimes(_ customers: CustomerTable) {
        guard !customers.doNotCallTimes.isEmpty else { return }
        let windows = CallWindows.count
        let hasMatrix = windowContact.count == count * windows
        for row in 0..<count {
            let times = customers.doNotCallTimes[Int(table.customers[row])]
            guard !times.isEmpty else { continue }
            let blocked = times.blockedWindows
            guard hasMatrix else {
                if blocked & (1 << UInt32(chosenWindow[row])) != 0 { pContact[row] = 0 }
                continue
            }
            var best = 0
            for window in 0..<windows {
                if blocked & (1 << UInt32(window)) != 0 { windowContact[row * windows + window] = 0 }
                if windowContact[row * windows + window] > windowContact[row * windows + best] { best = window }
            }
            chosenWindow[row] = best
            pContact[row] = windowContact[row * windows + best]
        }
    }
}

extension CustomerTable {
    /// Whether every call window of customer `index` is blocked by its do-not-call times (the `do_not_call_times`
    /// exclusion: the account is not called at all).
    public func isBlockedInEveryWindow(_ index: Int) -> Bool {
        index < doNotCallTimes.count && !doNotCallTimes[index].isEmpty
            && doNotCallTimes[index].blockedWindows == DoNotCallTimes.allWindows
    }
}
