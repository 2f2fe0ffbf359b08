import Models

/// Reason codes: the features that move an account's pay-likelihood score most, in words a collector uses.
///
/// An account's contribution from feature j is `β_j·z_j`, its standardised coefficient times its standardised
/// value (how far from the training mean, in standard deviations): the amount the feature adds to the account's
/// log-odds of paying compared with an average account. The three largest |contributions| are reported, each as the
/// phrase for "above typical" or "below typical" of that feature.
public struct ReasonCodes: Sendable {
    private let features: [String]
    private let coefficients: [Double]
    private let means: [Double]
    private let deviations: [Double]

    /// Reasons from `model`'s coefficients (its `features` order).
    public init(model: LogisticRegressionModel) {
        features = model.features
        coefficients = model.features.map { model.coefficientsStandardized[$0] ?? 0 }
        means = model.features.map { model.standardization[$0]?.mean ?? 0 }
        deviations = model.features.map { max(model.standardization[$0]?.sd ?? 1, 1e-12) }
    }

    /// The three reasons for one account, from its raw feature values (in the model's `features` order).
    public func reasons(_ values: ArraySlice<Double>) -> [String] {
        var top: [(Double, Int)] = []
        var index = values.startIndex
        for j in 0..<features.count {
            let z = (values[index] - means[j]) / deviations[j]
            let contribution = coefficients[j] * z
            index += 1
            guard contribution != 0 else { continue }
            top.append((contribution, j))
        }
        top.sort { (abs($0.0), -$0.1) > (abs($1.0), -$1.1) }
        var result = top.prefix(3).map { contribution, j -> String in
            let z = (values[values.startIndex + j] - means[j]) / deviations[j]
            return Self.phrase(feature: features[j], above: z > 0)
        }
        while result.count < 3 { result.append("") }
        return result
    }

    /// The collector's phrase for a feature being above (or below) its typical value.
    public static func phrase(feature: String, above: Bool) -> String {
        guard let pair = phrases[feature] else { return feature.replacingOccurrences(of: "_", with: " ") + (above ? " high" : " low") }
        return above ? pair.0 : pair.1
    }

    static let phrases: [String: (String, String)] = [
        "log1p_open_balance": ("Large open balance", "Small open balance"),
        "log1p_past_due_balance": ("Large past-due balance", "Small past-due balance"),
        "share_1_30": ("Most of the debt is 1-30 days late", "Little debt 1-30 days late"),
        "share_31_60": ("Much of the debt is 31-60 days late", "Little debt 31-60 days late"),
        "share_61_90": ("Much of the debt is 61-90 days late", "Little debt 61-90 days late"),
        "share_91_plus": ("Much of the debt is over 90 days late", "Little debt over 90 days late"),
        "log1p_max_days_past_due": ("Oldest invoice long overdue", "Oldest invoice only recently due"),
        "open_invoice_count": ("Many open invoices", "Few open invoices"),
        "past_due_invoice_count": ("Many overdue invoices", "Few overdue invoices"),
        "open_balance_to_average_invoice": ("Balance large for this customer", "Balance small for this customer"),
        "average_days_late": ("Usually pays late", "Usually pays on time"),
        "share_paid_late": ("Most invoices paid late", "Most invoices paid on time"),
        "recent_average_days_late": ("Recent payments were late", "Recent payments were on time"),
        "days_late_trend": ("Paying later than before", "Paying sooner than before"),
        "paid_invoice_count": ("Long payment history", "Short payment history"),
        "payments_count_30d": ("Paid in the last 30 days", "No payment in the last 30 days"),
        "payments_count_90d": ("Several payments in the last 90 days", "Few payments in the last 90 days"),
        "log1p_payment_amount_90d": ("Paid a lot in the last 90 days", "Paid little in the last 90 days"),
        "log1p_days_since_last_payment": ("No payment for a long time", "Paid recently"),
        "has_paid_before": ("Has paid before", "Has never paid"),
        "has_dispute": ("Has a disputed invoice", "No disputes"),
        "dispute_calls_90d": ("Raised a dispute on a recent call", "No disputes on recent calls"),
        "attempts_30d": ("Called often in the last 30 days", "Rarely called in the last 30 days"),
        "rpc_rate_90d": ("Usually answers lately", "Rarely answers lately"),
        "rpc_rate_total": ("Reachable by phone", "Hard to reach by phone"),
        "refused_90d": ("Refused to pay on a recent call", "No recent refusals"),
        "promises_kept": ("Has kept promises", "No kept promises yet"),
        "promises_broken": ("Has broken promises", "No broken promises"),
        "promise_kept_ratio": ("Keeps most promises", "Breaks most promises"),
        "has_open_promise": ("Has an open promise", "No open promise"),
        "open_promise_not_due": ("Promise not yet due", "No promise pending"),
        "tenure_days": ("Long-standing customer", "New customer"),
        "credit_utilisation": ("Near the credit limit", "Well within the credit limit"),
        "invoices_last_90d": ("Buying actively (recent invoices)", "Few recent invoices"),
        "log1p_average_invoice_amount": ("Large typical invoices", "Small typical invoices"),
    ]
}
