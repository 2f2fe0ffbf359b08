/// The feature columns each model reads, by name (see docs/FEATURES.md).
///
/// The lists leave out exact linear combinations of other columns (e.g. `share_current` and `past_due_share`, which
/// follow from the other aging shares) and raw heavy-tailed amounts whose `log1p_` forms are included, so the
/// unpenalised fits stay identifiable; the L2 penalty then only has to control variance.
public enum ModelFeatures {
    /// Account features of the pay-likelihood and time-to-pay models.
    public static let account: [Feature] = [
        .log1pOpenBalance, .log1pPastDueBalance, .share1To30, .share31To60, .share61To90, .share91Plus,
        .log1pMaxDaysPastDue, .openInvoiceCount, .pastDueInvoiceCount, .openBalanceToAverageInvoice,
        .averageDaysLate, .sharePaidLate, .recentAverageDaysLate, .daysLateTrend, .paidInvoiceCount,
        .paymentsCount30d, .paymentsCount90d, .log1pPaymentAmount90d, .log1pDaysSinceLastPayment, .hasPaidBefore,
        .hasDispute, .disputeCalls90d, .attempts30d, .rpcRate90d, .rpcRateTotal, .refused90d,
        .promisesKept, .promisesBroken, .promiseKeptRatio, .hasOpenPromise, .openPromiseNotDue,
        .tenureDays, .creditUtilisation, .invoicesLast90d, .log1pAverageInvoiceAmount,
    ]

    /// Column names of `account`.
    public static var accountNames: [String] { account.map(\.name) }

    /// Promise features (the promise's own, then the customer's as of the promise's creation).
    public static let promiseNames: [String] = [
        PromiseFeature.log1pPromisedAmount, .daysToPromisedDate, .promiseToPastDue, .partialPromise,
    ].map(\.name) + [
        Feature.log1pPastDueBalance, .log1pMaxDaysPastDue, .averageDaysLate, .sharePaidLate, .promisesKept,
        .promisesBroken, .promiseKeptRatio, .log1pDaysSinceLastPayment, .hasPaidBefore, .hasDispute, .rpcRate90d,
        .tenureDays, .refused90d,
    ].map(\.name)
}
