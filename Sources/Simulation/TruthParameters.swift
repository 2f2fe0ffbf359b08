import CallGrid
import Foundation

/// The "parameters" object of truth.json: every number of the generating process.
struct TruthParameters: Codable {
    struct Hazard: Codable {
        var form: String
        var timeOrigin: String
        var baselineKnots: [Int]
        var baselineHazard: [Double]
        var baselineIntervals: [String]
        var rpcMultiplier: Double
        var rpcLogCoefficient: Double
        var rpcEffectDays: Int
        var rpcEffectStarts: String
        var disputedMultiplier: Double
        var disputedLogCoefficient: Double
        var disputedNeverPaidShare: Double
        var disputedInvoiceShare: Double
        var promiseWindowHazard: String
        var doubtfulHazard: String
        var partialPaymentShare: Double
        var partialPaymentFraction: [Double]
        var onAccountPaymentShare: Double
        var onAccountPayment: String
    }

    struct CallPolicy: Codable {
        var description: String
        var eligibility: [String]
        var minimumPastDueUsd: Double
        var minimumDaysPastDue: Int
        var callAgeThresholds: [Int]
        var dailyCallProbability: [Double]
        var maximumAttemptsPerDay: Int
        var maximumAttemptsInSevenDays: Int
        var rpcCooldownDays: Int
        var disputeHoldDays: Int
        var localHours: String
        var uniformShiftShare: Double
        var morningPushHours: String
        var customersPerAgent: Int
    }

    struct Outcomes: Codable {
        var rpcProbability: String
        var missOutcomes: [String]
        var missWeights: [Double]
        var disputeGivenRpcWithOpenDisputedInvoice: Double
        var disputeGivenRpcOtherwise: Double
        var refusedGivenRpc: Double
        var refusedGivenRpcWhenDoubtful: Double
        var promiseGivenRpc: String
        var promiseBase: Double
        var promiseSlope: Double
        var otherwise: String
    }

    struct PromiseModel: Codable {
        var form: String
        var intercept: Double
        var reliability: Double
        var history: Double
        var horizon: Double
        var partial: Double
        var keptProbabilityWhenDoubtful: Double
        var horizonDays: [Int]
        var graceDays: Int
        var fullBalancePromiseShare: Double
        var partialPromiseFraction: [Double]
        var keptPaymentOffsets: [Int]
        var brokenPartialPaymentShare: Double
        var brokenPartialPaymentFraction: [Double]
        var kept: String
    }

    struct ContactPatternEntry: Codable {
        var name: String
        var description: String
        var peakWindow: String
        var probabilities: [Double]
    }

    struct ContactModel: Codable {
        var windows: [String]
        var windowOrder: String
        var levelProbabilities: [Double]
        var anyTimeProbability: Double
        var peakMultiplier: Double
        var windowNoiseSd: Double
        var maximumProbability: Double
        var form: String
        var patterns: [ContactPatternEntry]
    }

    struct SegmentEntry: Codable {
        var name: String
        var share: Double
        var medianInvoiceUsd: Double
        var customerSizeSigma: Double
        var invoiceAmountSigma: Double
        var invoiceIntervalDays: [Int]
        var terms: [Int]
        var termsWeights: [Double]
        var payPropensityMean: Double
        var payPropensitySd: Double
        var delayMeanDays: Double
        var delaySdDays: Double
        var reliabilityLogitMean: Double
        var reliabilityLogitSd: Double
        var doubtfulShare: Double
        var reach: [Double]
        var contactPatternWeights: [Double]
    }

    struct ZoneEntry: Codable {
        var timezone: String
        var country: String
        var currency: String
        var share: Double
    }

    struct CurrencyEntry: Codable {
        var code: String
        var perUsd: Double
        var decimals: Int
    }

    struct Customers: Codable {
        var lateOnboardingShare: Double
        var churnShare: Double
        var doNotCallShare: Double
        var doubtfulInvoiceStopDays: Int
        var invoiceGapJitter: [Double]
        var otherTermsShare: Double
        var creditLimitMonths: Double
        var traits: String
    }

    var hazard: Hazard
    var callPolicy: CallPolicy
    var outcomes: Outcomes
    var promiseModel: PromiseModel
    var contactModel: ContactModel
    var segments: [SegmentEntry]
    var timezones: [ZoneEntry]
    var currencies: [CurrencyEntry]
    var customers: Customers

    /// The parameters of the generating process, section by section.
    static func current() -> TruthParameters {
        TruthParameters(
            hazard: .current, callPolicy: .current, outcomes: .current, promiseModel: .current, contactModel: .current,
            segments: World.segments.map(SegmentEntry.init), timezones: World.zones.map(ZoneEntry.init),
            currencies: World.currencies.map(CurrencyEntry.init), customers: .current)
    }

    /// Pretty-printed JSON with sorted keys (deterministic).
    func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

private typealias W = World

extension TruthParameters.Hazard {
    /// The payment hazard: its form, baseline, contact and dispute effects, partial and on-account payments.
    static var current: Self {
        Self(
            form: "An open invoice is paid on day t with probability 1 − exp(−h(t)), "
                + "h(t) = h0(u) · exp(pay_propensity + rpc_log_coefficient·[right-party contact on one of the rpc_effect_days days before t] "
                + "+ disputed_log_coefficient·disputed), u = (t − due_date) − delay_tendency. Implemented by drawing E ~ Exp(1) "
                + "per invoice and paying on the first day the cumulative hazard reaches E.",
            timeOrigin: "u = days since due date minus the customer's delay_tendency",
            baselineKnots: W.baselineKnots,
            baselineHazard: W.baselineHazard,
            baselineIntervals: ["u < -10", "-10 <= u < 0", "0 <= u < 5", "5 <= u < 30", "30 <= u < 90", "u >= 90"],
            rpcMultiplier: W.rpcHazardMultiplier,
            rpcLogCoefficient: Foundation.log(W.rpcHazardMultiplier),
            rpcEffectDays: W.rpcEffectDays,
            rpcEffectStarts: "the day after the contact (days c+1 ... c+7 for a contact on day c); any right-party outcome counts: right_party, promise, refused, dispute",
            disputedMultiplier: W.disputedHazardMultiplier,
            disputedLogCoefficient: Foundation.log(W.disputedHazardMultiplier),
            disputedNeverPaidShare: W.disputedNeverPaidShare,
            disputedInvoiceShare: W.disputedInvoiceShare,
            promiseWindowHazard: "0 from created_date through promised_date + grace: payments in that window come only from the promise model",
            doubtfulHazard: "0 on and after the customer's doubtful_from date",
            partialPaymentShare: W.partialPaymentShare,
            partialPaymentFraction: [W.partialPaymentFraction.lowerBound, W.partialPaymentFraction.upperBound],
            onAccountPaymentShare: W.onAccountPaymentShare,
            onAccountPayment: "the remaining balance is paid with an empty invoice_id (unapplied cash); the invoice stays open in invoices.csv"
        )
    }
}

extension TruthParameters.CallPolicy {
    /// The aging call policy: who is called when, how often, and at what local time.
    static var current: Self {
        Self(
            description: "Plain aging policy, evaluated every local weekday after the day's payments",
            eligibility: [
                "not do_not_call",
                "past-due balance >= minimum_past_due_usd (in local currency)",
                "oldest past-due invoice >= minimum_days_past_due days past due",
                "no open promise (created_date ... promised_date + grace)",
                "fewer than maximum_attempts_in_seven_days attempts in the last 7 days",
                "next attempt at least rpc_cooldown_days days after a right_party/refused contact, dispute_hold_days days after a dispute",
                "no payment posted by the customer that day",
                "disputed invoices are left out of the past-due balance and age",
            ],
            minimumPastDueUsd: W.minimumPastDueUSD,
            minimumDaysPastDue: W.minimumDaysPastDue,
            callAgeThresholds: W.callAgeThresholds,
            dailyCallProbability: W.callProbabilities,
            maximumAttemptsPerDay: 1,
            maximumAttemptsInSevenDays: W.maximumAttemptsPer7Days,
            rpcCooldownDays: W.rpcCooldownDays,
            disputeHoldDays: W.disputeHoldDays,
            localHours: "08:00-18:00 customer-local, independent of the customer's window preferences",
            uniformShiftShare: W.uniformShiftShare,
            morningPushHours: "09:00-12:00",
            customersPerAgent: W.customersPerAgent
        )
    }
}

extension TruthParameters.Outcomes {
    /// How a call ends: the right-party probability, the miss outcomes and the outcomes of a contact.
    static var current: Self {
        Self(
            rpcProbability: "window_rpc_probability of the customer's window containing the local call time",
            missOutcomes: ["no_answer", "voicemail", "wrong_party"],
            missWeights: W.missWeights,
            disputeGivenRpcWithOpenDisputedInvoice: W.disputeGivenRPCWithOpenDispute,
            disputeGivenRpcOtherwise: W.disputeGivenRPCOtherwise,
            refusedGivenRpc: W.refusedGivenRPC,
            refusedGivenRpcWhenDoubtful: W.refusedGivenRPCWhenDoubtful,
            promiseGivenRpc: "(1 − P(dispute) − P(refused)) · (promise_base + promise_slope · promise_reliability)",
            promiseBase: W.promiseBase,
            promiseSlope: W.promiseSlope,
            otherwise: "right_party"
        )
    }
}

extension TruthParameters.PromiseModel {
    /// The promise model: the kept probability, horizons, amounts and the payments of kept and broken promises.
    static var current: Self {
        Self(
            form: "logit P(kept) = intercept + reliability·promise_reliability + history·((kept + 1)/(resolved + 2) − 0.5) "
                + "+ horizon·(promised_date − created_date) + partial·[promised_amount < non-disputed past-due balance]; "
                + "kept and resolved count the customer's earlier promises whose grace period has ended",
            intercept: W.promiseIntercept,
            reliability: W.promiseReliabilityCoefficient,
            history: W.promiseHistoryCoefficient,
            horizon: W.promiseHorizonCoefficient,
            partial: W.promisePartialCoefficient,
            keptProbabilityWhenDoubtful: W.promiseKeptProbabilityWhenDoubtful,
            horizonDays: [W.promiseHorizonDays.lowerBound, W.promiseHorizonDays.upperBound],
            graceDays: W.promiseGraceDays,
            fullBalancePromiseShare: W.fullBalancePromiseShare,
            partialPromiseFraction: [W.partialPromiseFraction.lowerBound, W.partialPromiseFraction.upperBound],
            keptPaymentOffsets: [W.keptPaymentOffsets.lowerBound, W.keptPaymentOffsets.upperBound],
            brokenPartialPaymentShare: W.brokenPartialPaymentShare,
            brokenPartialPaymentFraction: [W.brokenPartialPaymentFraction.lowerBound, W.brokenPartialPaymentFraction.upperBound],
            kept: "a kept promise pays promised_amount (oldest non-disputed invoices first) on promised_date + k, k uniform in kept_payment_offsets but no earlier than the day after the call; "
                + "a broken one pays nothing in its window, or, with probability broken_partial_payment_share, a fraction (broken_partial_payment_fraction) of the amount on a random day of the window"
        )
    }
}

extension TruthParameters.ContactModel {
    /// The contact windows and patterns behind each customer's window right-party probabilities.
    static var current: Self {
        Self(
            windows: CallWindows.names,
            windowOrder: "weekday-major: Mon 08-10, Mon 10-12, ..., Fri 16-18 (customer-local time)",
            levelProbabilities: W.rpcLevelProbabilities,
            anyTimeProbability: W.anyTimeProbability,
            peakMultiplier: W.peakMultiplier,
            windowNoiseSd: W.windowNoiseSD,
            maximumProbability: W.maximumWindowProbability,
            form: "window_rpc_probability[w] = min(maximum, pattern_probability[w] · reach · exp(N(0, window_noise_sd))), rounded to 4 decimals; "
                + "pattern_probability is the level probability of w (any_time: the any-time level), times peak_multiplier at the pattern's peak window",
            patterns: W.contactPatterns.map(TruthParameters.ContactPatternEntry.init)
        )
    }
}

extension TruthParameters.ContactPatternEntry {
    /// One contact pattern: its name, description, peak window and per-window probabilities.
    init(_ pattern: World.ContactPattern) {
        self.init(name: pattern.name, description: pattern.description, peakWindow: CallWindows.names[pattern.peakWindow],
                  probabilities: pattern.probabilities)
    }
}

extension TruthParameters.SegmentEntry {
    /// One segment: its share, invoice sizes and habits, trait distributions and contact-pattern weights.
    init(_ segment: World.Segment) {
        self.init(
            name: segment.name, share: segment.share, medianInvoiceUsd: segment.medianInvoiceUSD,
            customerSizeSigma: segment.customerSizeSigma, invoiceAmountSigma: segment.invoiceAmountSigma,
            invoiceIntervalDays: [segment.invoiceIntervalDays.lowerBound, segment.invoiceIntervalDays.upperBound],
            terms: W.terms, termsWeights: segment.termsWeights,
            payPropensityMean: segment.payPropensityMean, payPropensitySd: segment.payPropensitySD,
            delayMeanDays: segment.delayMeanDays, delaySdDays: segment.delaySDDays,
            reliabilityLogitMean: segment.reliabilityLogitMean, reliabilityLogitSd: segment.reliabilityLogitSD,
            doubtfulShare: segment.doubtfulShare, reach: [segment.reach.lowerBound, segment.reach.upperBound],
            contactPatternWeights: segment.patternWeights
        )
    }
}

extension TruthParameters.ZoneEntry {
    /// One time zone with its country, currency and share of customers.
    init(_ zone: World.Zone) {
        self.init(timezone: zone.identifier, country: zone.country, currency: zone.currency, share: zone.share)
    }
}

extension TruthParameters.CurrencyEntry {
    /// One currency: its code, rate and decimals.
    init(_ currency: World.Currency) {
        self.init(code: currency.code, perUsd: currency.perUSD, decimals: currency.decimals)
    }
}

extension TruthParameters.Customers {
    /// Customer lifecycle shares, invoicing habits and how the latent traits are drawn.
    static var current: Self {
        Self(
            lateOnboardingShare: W.lateOnboardingShare,
            churnShare: W.churnShare,
            doNotCallShare: W.doNotCallShare,
            doubtfulInvoiceStopDays: W.doubtfulInvoiceStopDays,
            invoiceGapJitter: [W.invoiceGapJitter.lowerBound, W.invoiceGapJitter.upperBound],
            otherTermsShare: W.otherTermsShare,
            creditLimitMonths: W.creditLimitMonths,
            traits: "pay_propensity ~ N(segment mean, sd), rounded to 4 decimals; delay_tendency = round(N(mean, sd)) clamped to [-5, 90] days; "
                + "promise_reliability = logistic(N(logit mean, sd)), rounded to 4 decimals; typical invoice = median · exp(N(0, customer_size_sigma)); "
                + "invoice amount = typical · exp(N(0, invoice_amount_sigma)); doubtful customers stop paying from doubtful_from"
        )
    }
}
