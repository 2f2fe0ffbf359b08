/// The snapshot feature columns, in column order. Every value is a finite `Double` (never NaN or infinite);
/// `docs/FEATURES.md` defines each one with its unit and fill value. Amounts are in the invoice currency
/// (the export's amounts are not converted), days are calendar days, shares and rates are in [0, 1].
///
/// "At T" means: computed from invoices with invoice_date < T, payments with payment_date < T, calls whose
/// started_at falls on a UTC day < T and promises with created_date < T — nothing else.
public enum Feature: Int, CaseIterable, Sendable {
    // Balance and aging.
    case openBalance
    case pastDueBalance
    case agingCurrent
    case aging1To30
    case aging31To60
    case aging61To90
    case aging91Plus
    case shareCurrent
    case share1To30
    case share31To60
    case share61To90
    case share91Plus
    case pastDueShare
    case maxDaysPastDue
    case balanceWeightedDaysPastDue
    case openInvoiceCount
    case pastDueInvoiceCount
    case invoiceCount
    case oldestOpenInvoiceAge
    case unappliedCredit
    case invoicesLast90d
    case invoicedAmountLast90d
    case averageInvoiceAmount
    case openBalanceToAverageInvoice
    case pastDueBalance30dAgo
    case pastDueChange30d
    // Payment behaviour.
    case paidInvoiceCount
    case averageDaysLate
    case sharePaidLate
    case recentAverageDaysLate
    case daysLateTrend
    case paymentsCount30d
    case paymentAmount30d
    case paymentsCount90d
    case paymentAmount90d
    case daysSinceLastPayment
    case hasPaidBefore
    // Disputes.
    case disputedOpenBalance
    case disputedPastDueBalance
    case disputedOpenInvoiceCount
    case hasDispute
    case disputeCalls90d
    // Call attempts and right-party contacts.
    case attempts7d
    case attempts30d
    case attempts90d
    case attemptsTotal
    case rpc30d
    case rpc90d
    case rpcTotal
    case rpcRate30d
    case rpcRate90d
    case rpcRateTotal
    case daysSinceLastAttempt
    case daysSinceLastRPC
    case refused90d
    // Promises to pay.
    case promisesMade
    case promisesKept
    case promisesBroken
    case promisesOpen
    case promiseKeptRatio
    case openPromiseAmount
    case openPromiseRemaining
    case hasOpenPromise
    case openPromiseNotDue
    case daysToOpenPromiseDate
    case daysSinceLastPromise
    // Customer.
    case tenureDays
    case creditLimit
    case creditUtilisation
    case doNotCall
    // log1p transforms of heavy-tailed columns.
    case log1pOpenBalance
    case log1pPastDueBalance
    case log1pMaxDaysPastDue
    case log1pDaysSinceLastPayment
    case log1pPaymentAmount90d
    case log1pAverageInvoiceAmount

    /// Column name (snake_case), as in `FeatureTable.columnNames` and docs/FEATURES.md.
    public var name: String { Self.names[rawValue] }

    /// Column names in column order.
    public static let names: [String] = allCases.map(\.columnName)

    /// The feature with column name `name`.
    public init?(name: String) {
        guard let index = Self.names.firstIndex(of: name) else { return nil }
        self.init(rawValue: index)
    }

    private var columnName: String {
        switch self {
        case .openBalance: return "open_balance"
        case .pastDueBalance: return "past_due_balance"
        case .agingCurrent: return "aging_current"
        case .aging1To30: return "aging_1_30"
        case .aging31To60: return "aging_31_60"
        case .aging61To90: return "aging_61_90"
        case .aging91Plus: return "aging_91_plus"
        case .shareCurrent: return "share_current"
        case .share1To30: return "share_1_30"
        case .share31To60: return "share_31_60"
        case .share61To90: return "share_61_90"
        case .share91Plus: return "share_91_plus"
        case .pastDueShare: return "past_due_share"
        case .maxDaysPastDue: return "max_days_past_due"
        case .balanceWeightedDaysPastDue: return "balance_weighted_days_past_due"
        case .openInvoiceCount: return "open_invoice_count"
        case .pastDueInvoiceCount: return "past_due_invoice_count"
        case .invoiceCount: return "invoice_count"
        case .oldestOpenInvoiceAge: return "oldest_open_invoice_age"
        case .unappliedCredit: return "unapplied_credit"
        case .invoicesLast90d: return "invoices_last_90d"
        case .invoicedAmountLast90d: return "invoiced_amount_last_90d"
        case .averageInvoiceAmount: return "average_invoice_amount"
        case .openBalanceToAverageInvoice: return "open_balance_to_average_invoice"
        case .pastDueBalance30dAgo: return "past_due_balance_30d_ago"
        case .pastDueChange30d: return "past_due_change_30d"
        case .paidInvoiceCount: return "paid_invoice_count"
        case .averageDaysLate: return "average_days_late"
        case .sharePaidLate: return "share_paid_late"
        case .recentAverageDaysLate: return "recent_average_days_late"
        case .daysLateTrend: return "days_late_trend"
        case .paymentsCount30d: return "payments_count_30d"
        case .paymentAmount30d: return "payment_amount_30d"
        case .paymentsCount90d: return "payments_count_90d"
        case .paymentAmount90d: return "payment_amount_90d"
        case .daysSinceLastPayment: return "days_since_last_payment"
        case .hasPaidBefore: return "has_paid_before"
        case .disputedOpenBalance: return "disputed_open_balance"
        case .disputedPastDueBalance: return "disputed_past_due_balance"
        case .disputedOpenInvoiceCount: return "disputed_open_invoice_count"
        case .hasDispute: return "has_dispute"
        case .disputeCalls90d: return "dispute_calls_90d"
        case .attempts7d: return "attempts_7d"
        case .attempts30d: return "attempts_30d"
        case .attempts90d: return "attempts_90d"
        case .attemptsTotal: return "attempts_total"
        case .rpc30d: return "rpc_30d"
        case .rpc90d: return "rpc_90d"
        case .rpcTotal: return "rpc_total"
        case .rpcRate30d: return "rpc_rate_30d"
        case .rpcRate90d: return "rpc_rate_90d"
        case .rpcRateTotal: return "rpc_rate_total"
        case .daysSinceLastAttempt: return "days_since_last_attempt"
        case .daysSinceLastRPC: return "days_since_last_rpc"
        case .refused90d: return "refused_90d"
        case .promisesMade: return "promises_made"
        case .promisesKept: return "promises_kept"
        case .promisesBroken: return "promises_broken"
        case .promisesOpen: return "promises_open"
        case .promiseKeptRatio: return "promise_kept_ratio"
        case .openPromiseAmount: return "open_promise_amount"
        case .openPromiseRemaining: return "open_promise_remaining"
        case .hasOpenPromise: return "has_open_promise"
        case .openPromiseNotDue: return "open_promise_not_due"
        case .daysToOpenPromiseDate: return "days_to_open_promise_date"
        case .daysSinceLastPromise: return "days_since_last_promise"
        case .tenureDays: return "tenure_days"
        case .creditLimit: return "credit_limit"
        case .creditUtilisation: return "credit_utilisation"
        case .doNotCall: return "do_not_call"
        case .log1pOpenBalance: return "log1p_open_balance"
        case .log1pPastDueBalance: return "log1p_past_due_balance"
        case .log1pMaxDaysPastDue: return "log1p_max_days_past_due"
        case .log1pDaysSinceLastPayment: return "log1p_days_since_last_payment"
        case .log1pPaymentAmount90d: return "log1p_payment_amount_90d"
        case .log1pAverageInvoiceAmount: return "log1p_average_invoice_amount"
        }
    }
}

/// Columns of `PromiseRecords.features` that describe the promise itself; the snapshot columns at the
/// promise's created_date follow them.
public enum PromiseFeature: Int, CaseIterable, Sendable {
    /// Promised amount (currency units).
    case promisedAmount
    /// log1p(promised amount).
    case log1pPromisedAmount
    /// promised_date − created_date (days).
    case daysToPromisedDate
    /// promised amount ÷ past-due balance at created_date, capped at 10 (10 when nothing is past due).
    case promiseToPastDue
    /// 1 when the amount is less than the non-disputed past-due balance at created_date (a partial promise).
    case partialPromise

    public var name: String {
        switch self {
        case .promisedAmount: return "promised_amount"
        case .log1pPromisedAmount: return "log1p_promised_amount"
        case .daysToPromisedDate: return "days_to_promised_date"
        case .promiseToPastDue: return "promise_to_past_due"
        case .partialPromise: return "partial_promise"
        }
    }

    public static let names: [String] = allCases.map(\.name)
}
