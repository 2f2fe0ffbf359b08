/// The cash-share model's examples: per snapshot row with a past-due balance, the share of that balance collected
/// within the horizon and the balance as the row's weight.
///
/// For a row (customer, as-of date T) with past-due balance B > 0 at T (`past_due_balance`: the open amount of
/// invoices with due_date < T, currency units) and past-due cash C (`PaymentLabels.pastDueCashWithinHorizon`: the
/// customer's payments dated in [T, T + H) applied to invoices past due at T, plus on-account payments):
///
///     share  = min(1, C / B)      in [0, 1]
///     weight = B                  currency units of the row
///
/// so `Σ weight × share` is the past-due cash collected within H days (capped per row at the balance), and a fit
/// weighted by the balance calibrates in money rather than in accounts. Rows with B = 0 are not examples.
/// Arrays are aligned with `rows`.
public struct CashShareLabels: Sendable, Equatable {
    /// Rows of the feature table (and of its `PaymentLabels`) with a past-due balance > 0, in the order given.
    public var rows: [Int]
    /// Collected share of the past-due balance, in [0, 1].
    public var shares: [Double]
    /// Past-due balance at T (currency units), the sample weight.
    public var balances: [Double]

    public init(rows: [Int], shares: [Double], balances: [Double]) {
        precondition(shares.count == rows.count && balances.count == rows.count, "one share and balance per row")
        self.rows = rows
        self.shares = shares
        self.balances = balances
    }

    /// The examples among `rows` of `table` (whose payment labels are `labels`): those with a past-due balance > 0.
    public init(table: FeatureTable, labels: PaymentLabels, rows: [Int]) {
        let balance = table.column(.pastDueBalance)
        let base = balance.startIndex
        let kept = rows.filter { balance[base + $0] > 0 }
        self.rows = kept
        self.balances = kept.map { balance[base + $0] }
        self.shares = kept.map { min(1, max(0, labels.pastDueCashWithinHorizon[$0]) / balance[base + $0]) }
    }

    public var count: Int { rows.count }

    /// Σ balance × share: the past-due cash collected within H (currency units, capped per row at its balance).
    public var collectedCash: Double { zip(balances, shares).reduce(0) { $0 + $1.0 * $1.1 } }
}
