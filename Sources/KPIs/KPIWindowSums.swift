import Features
import Receivables

/// The exact integer sums behind one window's KPIs over every customer (`Field`), which add across shards of the
/// customers: the sharded nightly job ships them per shard and the merge turns their total into the manifest's KPI
/// block, equal to the one-machine `KPIs.compute`.
public struct KPIWindowSums: Sendable, Equatable, Codable {
    /// The window [from, to) (day numbers).
    public var from: Int32
    public var to: Int32
    /// The sums, `Field` order (amounts in thousandths).
    public var sums: [Int64]
    /// Whether the export has a call log and promises (they name the null reasons).
    public var callLog: Bool
    public var promiseLog: Bool

    /// The sums of `builder`'s customers over [from, to), as `KPIs.table(... period: .window, grouping: .all)` counts them.
    public init(builder: FeatureBuilder, customers: CustomerTable, callLog: Bool, promiseLog: Bool, from: Int32, to: Int32,
                options: KPIOptions) {
        precondition(from < to, "the window must not be empty")
        let (groupOf, names) = KPIs.groups(customers, .all)
        let pass = KPIPass(history: builder.history, customerZone: customers.timezone, groupOf: groupOf,
                           groupCount: names.count, boundaries: KPIPeriod.window.boundaries(from: from, to: to),
                           monthStarts: KPIs.monthStarts(from: from, to: to), options: options)
        self.init(from: from, to: to, sums: pass.run(), callLog: callLog, promiseLog: promiseLog)
    }

    public init(from: Int32, to: Int32, sums: [Int64], callLog: Bool, promiseLog: Bool) {
        self.from = from
        self.to = to
        self.sums = sums
        self.callLog = callLog
        self.promiseLog = promiseLog
    }

    /// The sums of the union of two disjoint sets of customers over the same window. A sum leaving the Int64 range
    /// sets the overflow flag of Σ amount × days (the only field that can), never wraps.
    /// - Precondition: same window and field count.
    public func adding(_ other: KPIWindowSums) -> KPIWindowSums {
        precondition(from == other.from && to == other.to && sums.count == other.sums.count, "sums of another window")
        var total = sums
        var overflow = false
        for i in total.indices {
            let (sum, wrapped) = total[i].addingReportingOverflow(other.sums[i])
            total[i] = sum
            overflow = overflow || wrapped
        }
        if overflow { total[Field.weightedOverflow] = 1 }
        return KPIWindowSums(from: from, to: to, sums: total, callLog: callLog || other.callLog,
                             promiseLog: promiseLog || other.promiseLog)
    }

    /// The KPI row of these sums (what `KPIs.compute` returns for the same customers).
    public var row: KPIRow {
        let months = KPIs.monthStarts(from: from, to: to)
        return KPIs.row(sums, start: from, end: to, group: KPIs.allGroup, transitions: max(0, months.count - 1),
                        callLog: callLog, promiseLog: promiseLog)
    }
}
