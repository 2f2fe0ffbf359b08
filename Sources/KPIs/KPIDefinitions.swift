import CivilTime

/// How the window [from, to) is cut into periods.
public enum KPIPeriod: String, Sendable, CaseIterable, Codable {
    /// Calendar months (the first and last may be partial when `from`/`to` are not a month's first day).
    case month
    /// ISO weeks, Monday to Sunday (the first and last may be partial).
    case week
    /// Single days.
    case day
    /// The whole window as one period (the manifest's last-30-days block).
    case window

    /// The period boundaries `from = b₀ < b₁ < … < bₙ = to`.
    public func boundaries(from: Int32, to: Int32) -> [Int32] {
        guard from < to else { return [from] }
        var result = [from]
        var next = from
        while true {
            switch self {
            case .window:
                next = to
            case .day:
                next = next + 1
            case .week:
                // CivilDate.weekday: 0 = Monday.
                next = next + Int32(7 - CivilDate.weekday(next))
            case .month:
                let (year, month, _) = CivilDate.components(next)
                next = month == 12 ? CivilDate.dayNumber(year: year + 1, month: 1, day: 1)
                    : CivilDate.dayNumber(year: year, month: month + 1, day: 1)
            }
            if next >= to { break }
            result.append(next)
        }
        result.append(to)
        return result
    }
}

/// Which customer attribute the rows are broken down by (every table also has the `all` rows).
public enum KPIGrouping: String, Sendable, CaseIterable, Codable {
    case all, segment, country
}

/// Aging buckets of the roll rates (days past due on a day D = D − due date).
public enum AgingBucket: Int, Sendable, CaseIterable {
    case current, days1To30, days31To60, days61To90, days91Plus

    /// The bucket's name in the KPI keys (`roll_rate_<from>_to_<to>`).
    public var name: String {
        switch self {
        case .current: return "current"
        case .days1To30: return "1_30"
        case .days31To60: return "31_60"
        case .days61To90: return "61_90"
        case .days91Plus: return "91_plus"
        }
    }

    /// The bucket of an invoice due on `due`, on day `day` (past due when the due date is before the day).
    @inline(__always)
    public static func index(due: Int32, on day: Int32) -> Int {
        let late = Int(day) - Int(due)
        if late <= 0 { return 0 }
        if late <= 30 { return 1 }
        if late <= 60 { return 2 }
        if late <= 90 { return 3 }
        return 4
    }
}

/// The KPI names of ../shared/DESIGN.md ("Collection KPIs") and of the counts printed beside them.
public enum KPIName {
    /// The headline KPIs, in the contract's order.
    public static let headline = ["dso", "best_possible_dso", "add", "cei", "rpc_rate", "promise_rate",
                                  "promise_kept_rate", "call_to_payment_rate", "days_past_due_at_resolution"]

    /// `roll_rate_<from>_to_<to>` for every pair of buckets, from-major.
    public static let rollRates: [String] = AgingBucket.allCases.flatMap { from in
        AgingBucket.allCases.map { to in rollRate(from: from, to: to) }
    }

    public static func rollRate(from: AgingBucket, to: AgingBucket) -> String { "roll_rate_\(from.name)_to_\(to.name)" }

    /// Every KPI key, in the contract's order.
    public static let all = headline + rollRates

    /// The counts and amounts (currency units) beside the rates.
    public static let counts = [
        "customers", "beginning_receivables", "ending_receivables", "ending_current_receivables", "credit_sales",
        "credit_sales_invoices", "call_attempts", "right_party_contacts", "promises", "resolved_promises",
        "kept_promises", "contacts_followed_by_payment", "contacts_with_full_payment_window", "invoices_resolved",
        "amount_resolved", "roll_months",
    ] + AgingBucket.allCases.map { "roll_base_\($0.name)" }
}

/// Settings of the KPI computation.
public struct KPIOptions: Sendable, Equatable {
    /// Days after `promised_date` a promise may still be paid and count as kept (DESIGN.md default 3).
    public var graceDays: Int
    /// A right-party contact counts as followed by a payment when the customer pays on the call's local day or
    /// the `paymentWindowDays` days after it (DESIGN.md: 7).
    public var paymentWindowDays: Int
    /// The data cutoff (day number), or nil to use every row: calls dated (UTC) on or after it are left out, and a
    /// right-party contact counts towards `call_to_payment_rate` only when its payment window closes before it. The
    /// nightly manifest sets it to the as-of date, so a replay sees only what the scores see.
    public var observedBefore: Int32?

    public init(graceDays: Int = 3, paymentWindowDays: Int = 7, observedBefore: Int32? = nil) {
        self.graceDays = graceDays
        self.paymentWindowDays = paymentWindowDays
        self.observedBefore = observedBefore
    }
}
