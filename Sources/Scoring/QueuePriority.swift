/// How calls.csv is ranked: the policy key `priority` (docs/POLICY.md, "Priority").
///
/// Every mode is a value per call candidate in currency units (aging: currency × days); candidates are called in
/// decreasing value, ties by customer id. `pastDue` is the callable (undisputed) past-due balance.
/// A new mode is a new case, its key in `rawValue` and its formula in `value(of:)`.
public enum QueuePriority: String, CaseIterable, Codable, Sendable {
    /// past_due × cash_share × p_contact: the cash a call is expected to bring within H if it reaches the right
    /// party in the chosen window (the default).
    case expectedCash = "expected_cash"
    /// past_due × p_pay × p_contact: the pay-likelihood ranking of the original design brief.
    case payLikelihood = "pay_likelihood"
    /// past_due × max_days_past_due: the collectors' practice (oldest, largest debt first).
    case aging
    /// past_due × call effect × p_contact: the cash a call is expected to add against not calling (the call-effect
    /// model × P(right-party contact in the chosen window)); past_due × call effect for a model learnt per call placed
    /// (from logged selections); without a call-effect model, expected_cash's value.
    case incrementalCash = "incremental_cash"

    /// The per-account inputs of every mode.
    public struct Inputs: Sendable {
        /// Callable past-due balance (currency) and the days past due of its oldest invoice.
        public var pastDue: Double
        public var maxDaysPastDue: Double
        /// P(pay within H), expected share of the past-due balance collected within H, P(right-party contact).
        public var pPay: Double
        public var cashShare: Double
        public var pContact: Double
        /// The call-effect model's effect (share of past due a right-party contact adds, or a call adds when
        /// `callEffectIsPerCall`), nil without the model.
        public var callEffect: Double?
        public var callEffectIsPerCall: Bool

        public init(pastDue: Double, maxDaysPastDue: Double, pPay: Double, cashShare: Double, pContact: Double,
                    callEffect: Double? = nil, callEffectIsPerCall: Bool = false) {
            self.callEffectIsPerCall = callEffectIsPerCall
            self.pastDue = pastDue
            self.maxDaysPastDue = maxDaysPastDue
            self.pPay = pPay
            self.cashShare = cashShare
            self.pContact = pContact
            self.callEffect = callEffect
        }
    }

    /// The mode's priority of one account.
    public func value(of account: Inputs) -> Double {
        switch self {
        case .expectedCash: return account.pastDue * account.cashShare * account.pContact
        case .payLikelihood: return account.pastDue * account.pPay * account.pContact
        case .aging: return account.pastDue * account.maxDaysPastDue
        case .incrementalCash:
            guard let effect = account.callEffect else { return account.pastDue * account.cashShare * account.pContact }
            return account.pastDue * effect * (account.callEffectIsPerCall ? 1 : account.pContact)
        }
    }

    /// The accepted values of the policy key, in declaration order, for error messages.
    public static var names: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }
}
