import CivilTime
import Features
import Receivables

/// The KPIs of one period for one group of customers: every KPI of the contract (nil when undefined, with the
/// reason in `nullReasons`) and the counts and amounts it is a ratio of.
public struct KPIRow: Sendable, Equatable {
    /// First day of the period (days since 1970-01-01).
    public var periodStart: Int32
    /// First day after the period.
    public var periodEnd: Int32
    /// `all`, or the segment / country name (`(none)` when not given).
    public var group: String
    /// Every name of `KPIName.all`: the value, or nil when it is undefined.
    public var values: [String: Double?]
    /// Every name of `KPIName.counts` (amounts in currency units).
    public var counts: [String: Double]
    /// Why each nil value is nil.
    public var nullReasons: [String: String]

    public var days: Int { Int(periodEnd - periodStart) }

    /// The value of `kpi` (nil when undefined or unknown).
    public func value(_ kpi: String) -> Double? { values[kpi] ?? nil }
}

/// The KPIs of a window, per period and group.
public struct KPITable: Sendable, Equatable {
    public var from: Int32
    public var to: Int32
    public var period: KPIPeriod
    public var grouping: KPIGrouping
    public var options: KPIOptions
    /// The groups in row order within a period: `all` first, then the group names sorted.
    public var groups: [String]
    /// Period-major, groups in `groups` order.
    public var rows: [KPIRow]

    /// The rows of one group, in period order.
    public func rows(group: String) -> [KPIRow] { rows.filter { $0.group == group } }
}

/// Collection KPIs (../shared/DESIGN.md, "Collection KPIs"; formulas and edge cases in docs/KPIS.md).
public enum KPIs {
    /// The name of the group holding every customer.
    public static let allGroup = "all"
    /// The group name of customers without a segment / country.
    public static let noGroup = "(none)"

    /// The KPIs of `export` over [from, to), per `period` and `grouping`.
    public static func table(export: ReceivablesExport, from: Int32, to: Int32, period: KPIPeriod = .month,
                             grouping: KPIGrouping = .all, options: KPIOptions = KPIOptions()) -> KPITable {
        let builder = FeatureBuilder(export: export, options: FeatureOptions(graceDays: options.graceDays))
        return table(builder: builder, customers: export.customers, callLog: export.hasCallLog,
                     promiseLog: export.hasPromises, from: from, to: to, period: period, grouping: grouping,
                     options: options)
    }

    /// The KPIs from an already indexed export (`builder` built from the export whose `customers` are given).
    public static func table(builder: FeatureBuilder, customers: CustomerTable, callLog: Bool = true,
                             promiseLog: Bool = true, from: Int32, to: Int32, period: KPIPeriod = .month,
                             grouping: KPIGrouping = .all, options: KPIOptions = KPIOptions()) -> KPITable {
        precondition(from < to, "the window must not be empty")
        precondition(customers.count == builder.customerCount, "customers of another export")
        let (groupOf, names) = groups(customers, grouping)
        let boundaries = period.boundaries(from: from, to: to)
        let months = monthStarts(from: from, to: to)
        let pass = KPIPass(history: builder.history, customerZone: customers.timezone, groupOf: groupOf,
                           groupCount: names.count, boundaries: boundaries, monthStarts: months, options: options)
        let sums = pass.run()
        let periods = boundaries.count - 1
        // Month transitions per period (the same for every group).
        var transitions = [Int](repeating: 0, count: periods)
        for k in 0..<max(0, months.count - 1) {
            if let p = (0..<periods).first(where: { boundaries[$0] <= months[k] && months[k] < boundaries[$0 + 1] }) {
                transitions[p] += 1
            }
        }
        let withAll = grouping != .all
        var rows: [KPIRow] = []
        for p in 0..<periods {
            let slots = (0..<names.count).map { Array(sums[((p * names.count) + $0) * Field.count ..< ((p * names.count) + $0 + 1) * Field.count]) }
            if withAll {
                var total = [Int64](repeating: 0, count: Field.count)
                for slot in slots { for i in 0..<Field.count { total[i] &+= slot[i] } }
                rows.append(row(total, start: boundaries[p], end: boundaries[p + 1], group: allGroup,
                                transitions: transitions[p], callLog: callLog, promiseLog: promiseLog))
            }
            for (g, name) in names.enumerated() {
                rows.append(row(slots[g], start: boundaries[p], end: boundaries[p + 1], group: name,
                                transitions: transitions[p], callLog: callLog, promiseLog: promiseLog))
            }
        }
        return KPITable(from: from, to: to, period: period, grouping: grouping, options: options,
                        groups: (withAll ? [allGroup] : []) + names, rows: rows)
    }

    /// The KPIs of every customer over [from, to) as one period: the block of the nightly manifest (the last 30
    /// days before the as-of date T are `compute(export:from: T − 30, to: T)`).
    public static func compute(export: ReceivablesExport, from: Int32, to: Int32,
                               options: KPIOptions = KPIOptions()) -> KPIRow {
        table(export: export, from: from, to: to, period: .window, grouping: .all, options: options).rows[0]
    }

    /// The same from an already indexed export.
    public static func compute(builder: FeatureBuilder, customers: CustomerTable, from: Int32, to: Int32,
                               options: KPIOptions = KPIOptions()) -> KPIRow {
        table(builder: builder, customers: customers, from: from, to: to, period: .window, grouping: .all,
              options: options).rows[0]
    }

    /// First days of months in [from, to] (both ends included: `to` closes the last month transition).
    static func monthStarts(from: Int32, to: Int32) -> [Int32] {
        var (year, month, day) = CivilDate.components(from)
        if day != 1 {
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        var result: [Int32] = []
        while true {
            let start = CivilDate.dayNumber(year: year, month: month, day: 1)
            if start > to { break }
            result.append(start)
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return result
    }

    /// Group index per customer and the group names (sorted; `(none)` for an empty value).
    static func groups(_ customers: CustomerTable, _ grouping: KPIGrouping) -> ([Int32], [String]) {
        let labels: [String]
        switch grouping {
        case .all: return ([Int32](repeating: 0, count: customers.count), [allGroup])
        case .segment: labels = customers.segment.map { customers.segmentNames[Int($0)] }
        case .country: labels = customers.country
        }
        // A value spelled like a reserved group name (`all`, `(none)`) keeps its own group under a marked name.
        func name(_ label: String) -> String {
            if label.isEmpty { return noGroup }
            return label == allGroup || label == noGroup ? label + " (as written)" : label
        }
        let names = Set(labels.map(name)).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        return (labels.map { index[name($0)]! }, names)
    }

    static func row(_ s: [Int64], start: Int32, end: Int32, group: String, transitions: Int,
                    callLog: Bool, promiseLog: Bool) -> KPIRow {
        func units(_ milli: Int64) -> Double { Double(milli) / ExportHistory.milliPerUnit }
        var values: [String: Double?] = [:]
        var reasons: [String: String] = [:]
        func set(_ name: String, _ numerator: Int64, _ denominator: Int64, scale: Double = 1, reason: String) {
            if denominator == 0 {
                values[name] = .some(nil)
                reasons[name] = reason
            } else {
                values[name] = scale * Double(numerator) / Double(denominator)
            }
        }
        let days = Double(end - start)
        let sales = s[Field.sales]
        let noSales = "no credit sales in the period"
        set("dso", s[Field.ending], sales, scale: days, reason: noSales)
        set("best_possible_dso", s[Field.endingCurrent], sales, scale: days, reason: noSales)
        set("add", s[Field.ending] - s[Field.endingCurrent], sales, scale: days, reason: noSales)
        let collectible = s[Field.beginning] + sales - s[Field.endingCurrent]
        set("cei", s[Field.beginning] + sales - s[Field.ending], collectible, scale: 100,
            reason: "nothing to collect: beginning receivables + credit sales − ending current receivables is 0")
        let noCalls = callLog ? "no call attempts in the period" : "the export has no call log (calls.csv)"
        let noContacts = callLog ? "no right-party contacts in the period" : noCalls
        set("rpc_rate", s[Field.contacts], s[Field.attempts], reason: noCalls)
        set("promise_rate", s[Field.promises], s[Field.contacts], reason: noContacts)
        if !promiseLog {
            values["promise_rate"] = .some(nil)
            reasons["promise_rate"] = "the export has no promises (promises.csv)"
        }
        set("promise_kept_rate", s[Field.kept], s[Field.resolvedPromises],
            reason: promiseLog ? "no promise's last grace day falls in the period" : "the export has no promises (promises.csv)")
        set("call_to_payment_rate", s[Field.followed], s[Field.contactsObserved],
            reason: s[Field.contacts] > 0 ? "no right-party contact whose payment window closes before the data cutoff"
                : noContacts)
        set("days_past_due_at_resolution", s[Field.weightedDays], s[Field.amountResolved],
            reason: "no invoice fully paid in the period")
        if s[Field.weightedOverflow] != 0 {
            values["days_past_due_at_resolution"] = .some(nil)
            reasons["days_past_due_at_resolution"] = "Σ amount × days past due exceeds the exact integer range "
                + "(9.2 × 10¹⁸ thousandths); not computed rather than rounded"
        }
        for from in AgingBucket.allCases {
            let base = s[Field.rollBase + from.rawValue]
            let reason = transitions == 0 ? "no month's first day in the period whose next month's first day is in the window"
                : "no balance in bucket \(from.name) on the month's first day"
            for to in AgingBucket.allCases {
                set(KPIName.rollRate(from: from, to: to), s[Field.rollTo + from.rawValue * 5 + to.rawValue], base, reason: reason)
            }
        }
        var counts: [String: Double] = [
            "customers": Double(s[Field.customers]),
            "beginning_receivables": units(s[Field.beginning]),
            "ending_receivables": units(s[Field.ending]),
            "ending_current_receivables": units(s[Field.endingCurrent]),
            "credit_sales": units(sales),
            "credit_sales_invoices": Double(s[Field.salesInvoices]),
            "call_attempts": Double(s[Field.attempts]),
            "right_party_contacts": Double(s[Field.contacts]),
            "promises": Double(s[Field.promises]),
            "resolved_promises": Double(s[Field.resolvedPromises]),
            "kept_promises": Double(s[Field.kept]),
            "contacts_followed_by_payment": Double(s[Field.followed]),
            "contacts_with_full_payment_window": Double(s[Field.contactsObserved]),
            "invoices_resolved": Double(s[Field.invoicesResolved]),
            "amount_resolved": units(s[Field.amountResolved]),
            "roll_months": Double(transitions),
        ]
        for bucket in AgingBucket.allCases { counts["roll_base_\(bucket.name)"] = units(s[Field.rollBase + bucket.rawValue]) }
        return KPIRow(periodStart: start, periodEnd: end, group: group, values: values, counts: counts, nullReasons: reasons)
    }
}
