import Features
import LinearAlgebra

/// What every model is judged on in one out-of-time holdout: the accounts and their outcomes, the call attempts
/// and each account's call history before them, and the promises with a known outcome.
///
/// - Accounts: the snapshot rows with an open balance > 0 at the holdout dates; outcomes are paid within H,
///   cash within H, and days to the first payment (followed up for `HoldoutPlan.followUpDays`).
/// - Cash share: those of the account rows with a past-due balance > 0, with the share of it collected within H
///   (`CashShareLabels`).
/// - Call windows: every snapshot row at the first holdout date gives an account's per-window history; the held-out
///   attempts are those made from the first holdout date to the end of the data.
/// - Promises: created from the first holdout date on, with a known outcome.
public struct HoldoutSet {
    /// The holdout snapshot dates (day numbers), oldest first.
    public let dates: [Int32]
    /// The snapshot table the account rows index into (it may hold other dates too).
    public let table: FeatureTable
    /// Rows of `table` evaluated: accounts with an open balance at a holdout date.
    public let rows: [Int]
    /// Per evaluated row: paid within H days, cash collected within H days, days to first payment, payment observed.
    public let paid: [Bool]
    public let cash: [Double]
    public let durations: [Double]
    public let events: [Bool]
    /// The account rows with a past-due balance > 0 (table rows), their collected share and balance.
    public let cashShare: CashShareLabels
    /// Per-window attempt and right-party-contact counts before the first holdout date (rows × windows), and the
    /// customer of each row.
    public let historyAttempts: Matrix
    public let historyContacts: Matrix
    public let historyCustomers: [Int32]
    /// Attempts made from the first holdout date to the end of the data.
    public let attempts: [ContactAttempt]
    /// Every promise of the export, and the ones evaluated (created in the holdout, outcome known) with their outcome.
    public let promises: PromiseRecords
    public let promiseRows: [Int]
    public let kept: [Bool]

    /// The first holdout date.
    public var start: Int32 { dates[0] }

    /// Builds the holdout snapshots of `dates` and their labels.
    public init(builder: FeatureBuilder, dates: [Int32], plan: HoldoutPlan) {
        let table = builder.snapshots(asOf: dates)
        let labels = builder.labels(for: table, horizonDays: plan.horizonDays, maximumDays: plan.followUpDays)
        let rows = Self.rowsWithOpenBalance(table, atDates: Set(dates))
        self.init(builder: builder, dates: dates, table: table, labels: labels, rows: rows)
    }

    /// A holdout over a table that already holds its snapshots (training builds training and holdout dates at once);
    /// `rows` are the evaluated rows, `labels` the table's labels.
    public init(builder: FeatureBuilder, dates: [Int32], table: FeatureTable, labels: PaymentLabels, rows: [Int]) {
        self.dates = dates
        self.table = table
        self.rows = rows
        paid = rows.map { labels.paidWithinHorizon[$0] == 1 }
        cash = rows.map { labels.cashWithinHorizon[$0] }
        durations = rows.map { labels.daysToFirstPayment[$0] }
        events = rows.map { labels.paymentObserved[$0] == 1 }
        cashShare = CashShareLabels(table: table, labels: labels, rows: rows)
        let start = dates[0]
        let historyRows = (0..<table.rowCount).filter { table.asOf[$0] == start }
        let history = table.windowCountMatrices(rows: historyRows)
        historyAttempts = history.attempts
        historyContacts = history.contacts
        historyCustomers = historyRows.map { table.customers[$0] }
        attempts = builder.contactAttempts(from: start, to: builder.dataEnd)
        // Only the promise model's columns: the records' full feature rows would cost several times the memory.
        let promises = builder.promiseRecords(columns: ModelFeatures.promiseNames)
        let promiseRows = (0..<promises.count).filter { promises.createdDate[$0] >= start && promises.known[$0] }
        kept = promiseRows.map { promises.kept[$0] == 1 }
        self.promises = promises
        self.promiseRows = promiseRows
    }

    /// Rows of `table` dated at one of `dates` with an open balance > 0.
    public static func rowsWithOpenBalance(_ table: FeatureTable, atDates dates: Set<Int32>) -> [Int] {
        let openBalance = table.column(.openBalance)
        let base = openBalance.startIndex
        return (0..<table.rowCount).filter { openBalance[base + $0] > 0 && dates.contains(table.asOf[$0]) }
    }
}
