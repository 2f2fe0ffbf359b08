import Features

/// What a collector may ask each account for once its disputed invoices are set aside, and those invoices.
///
/// With `exclude_disputed` (the default) a disputed open invoice is for the dispute team: the account's callable
/// past-due balance is its undisputed past-due balance, and `maxDaysPastDue` is the days past due of its oldest open
/// undisputed past-due invoice. With `exclude_disputed: false` disputed invoices stay in the callable balance (the
/// snapshot's `past_due_balance` and `max_days_past_due`) and none is listed for the dispute team.
/// Amounts are in the invoice currency, days are calendar days; arrays are indexed by snapshot row.
struct CallableBalances {
    /// Callable past-due balance, and the days past due of its oldest invoice (0 when nothing is past due).
    var pastDue: [Double]
    var maxDaysPastDue: [Double]
    /// Disputed open balance (informational in calls.csv: the `disputed_balance` column).
    var disputed: [Double]
    /// The disputed open invoices to list in disputes.csv, with the snapshot row of their account, accounts in
    /// snapshot order (empty with `exclude_disputed: false`).
    var disputedInvoices: [(row: Int, invoice: OpenInvoice)]

    /// Splits every account of `columns` into its callable and disputed parts as of `asOf`.
    init(columns: QueueColumns, customers: [Int32], builder: FeatureBuilder, asOf: Int32, excludeDisputed: Bool) {
        let n = customers.count
        pastDue = (0..<n).map { columns.pastDue[$0] }
        maxDaysPastDue = (0..<n).map { columns.maxDaysPastDue[$0] }
        disputed = (0..<n).map { columns.disputedOpen[$0] }
        disputedInvoices = []
        guard excludeDisputed else { return }
        let rows = (0..<n).filter { columns.disputedOpen[$0] > 0 }
        guard !rows.isEmpty else { return }
        let rowOfCustomer = Dictionary(uniqueKeysWithValues: rows.map { (customers[$0], $0) })
        var oldestUndisputed = [Int: Int]()
        for invoice in builder.openInvoices(of: rows.map { customers[$0] }, asOf: asOf) {
            let row = rowOfCustomer[invoice.customer]!
            if invoice.isDisputed {
                disputedInvoices.append((row, invoice))
            } else if invoice.daysPastDue > 0 {
                oldestUndisputed[row] = max(oldestUndisputed[row] ?? 0, invoice.daysPastDue)
            }
        }
        for row in rows {
            // Both balances are exact thousandths: round the difference back to them.
            pastDue[row] = max(0, ((columns.pastDue[row] - columns.disputedPastDue[row]) * 1000).rounded() / 1000)
            maxDaysPastDue[row] = Double(oldestUndisputed[row] ?? 0)
        }
    }
}
