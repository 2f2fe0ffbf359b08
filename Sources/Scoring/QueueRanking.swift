/// The queues of one day in rank order, from `QueueRouting.Routes`.
struct RankedQueues {
    /// Per snapshot row: expected_cash = past_due_balance × p_pay and priority = expected_cash × p_contact.
    var expectedCash: [Double]
    var priority: [Double]
    /// Every call candidate, by priority; the first `keptCalls` are called, the rest are cut by the capacity.
    var calls: [Int]
    var keptCalls: Int
    /// Disputes by disputed open balance, escalations by past-due balance.
    var disputes: [Int]
    var escalations: [Int]

    /// The call candidates beyond the capacity (the `capacity` exclusion count).
    var cutByCapacity: Int { calls.count - keptCalls }
}

extension QueueBuilder {
    /// Ranks each queue (descending, ties by customer id) and cuts the calls at the policy's capacity.
    func rankQueues(_ routes: QueueRouting.Routes, scored: ScoredAccounts, columns: QueueColumns) -> RankedQueues {
        let n = scored.count
        let expectedCash = (0..<n).map { columns.pastDue[$0] * scored.pPay[$0] }
        let priority = (0..<n).map { expectedCash[$0] * scored.pContact[$0] }
        let ids = export.customers.ids, customers = scored.table.customers
        let id = { (row: Int) in ids.id(Int(customers[row])) }
        let calls = Self.rank(routes.calls, by: { priority[$0] }, id: id)
        return RankedQueues(expectedCash: expectedCash, priority: priority, calls: calls,
                            keptCalls: policy.capacity.map { min($0, calls.count) } ?? calls.count,
                            disputes: Self.rank(routes.disputes, by: { columns.disputedOpen[$0] }, id: id),
                            escalations: Self.rank(routes.escalations, by: { columns.pastDue[$0] }, id: id))
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
