import CallGrid
import Foundation

/// The "parameters" object of truth.json in the `archetypes` world: every number of its generating process.
struct ArchetypeTruthParameters: Codable {
    struct ArchetypeEntry: Codable {
        var name: String
        var description: String
        var unaidedHazardMultiplier: Double
        /// Absent: no cutoff.
        var unaidedCutoffDaysPastDue: Int?
        var contactBump: Bool
        var refusedGivenRpc: Double
        var promiseGivenRpc: Double
        var raiseDisputeGivenRpc: Double
        var keptBase: Double
        var keptSlope: Double
        var instalments: [Int]
    }

    struct Hazard: Codable {
        var form: String
        var baselineKnots: [Int]
        var baselineHazard: [Double]
        var baselineIntervals: [String]
        var contactBump: String
        var bumpDays: Int
        var bumpDecay: Double
        var bumpDaysPastDueLimits: [Int]
        var bumpSizes: [Double]
        var disputedMultiplier: Double
        var partialPaymentShare: Double
        var partialPaymentFraction: [Double]
        var promiseWindowHazard: String
        var onAccountPayments: String
    }

    struct Disputes: Codable {
        var disputedInvoiceShare: Double
        /// 0: a disputed invoice is paid more slowly, never written off.
        var disputedNeverPaidShare: Double
        var disputeGivenRpcWithOpenDisputedInvoice: Double
        var raised: String
        var exportFlag: String
    }

    struct Outcomes: Codable {
        var rpcProbability: String
        var missOutcomes: [String]
        var missWeights: [Double]
        var form: String
    }

    struct PromiseModel: Codable {
        var form: String
        var brokenStreakPenalty: Double
        var brokenStreakCap: Int
        var keptProbabilityRange: [Double]
        var horizonDays: [Int]
        var graceDays: Int
        var instalmentMinimumUsd: Double
        var amount: String
        var kept: String
    }

    struct ContactModel: Codable {
        var windows: [String]
        var windowOrder: String
        var weekdayCount: [Int]
        var blockHours: [Int]
        var earliestHour: Int
        var latestHour: Int
        var reach: [Double]
        var insideProbability: Double
        var outsideProbability: Double
        var windowNoiseSd: Double
        var maximumProbability: Double
        var form: String
    }

    struct SegmentEntry: Codable {
        var name: String
        var share: Double
        var archetypeShares: [Double]
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
    }

    struct Customers: Codable {
        var lateOnboardingShare: Double
        var churnShare: Double
        var doNotCallShare: Double
        var doubtfulShare: Double
        var invoiceGapJitter: [Double]
        var otherTermsShare: Double
        var creditLimitMonths: Double
        var traits: String
    }

    var world: String
    var archetypeOrder: [String]
    var archetypes: [ArchetypeEntry]
    var hazard: Hazard
    var disputes: Disputes
    var outcomes: Outcomes
    var promiseModel: PromiseModel
    var contactModel: ContactModel
    var callPolicy: TruthParameters.CallPolicy
    var segments: [SegmentEntry]
    var timezones: [TruthParameters.ZoneEntry]
    var currencies: [TruthParameters.CurrencyEntry]
    var customers: Customers

    /// The parameters of the archetypes world, section by section.
    static func current() -> ArchetypeTruthParameters {
        let zones = World.zones.enumerated().filter { ArchetypeWorld.zoneShares[$0.offset] > 0 }.map { entry in
            TruthParameters.ZoneEntry(timezone: entry.element.identifier, country: entry.element.country,
                                      currency: entry.element.currency, share: ArchetypeWorld.zoneShares[entry.offset])
        }
        let codes = Set(zones.map(\.currency))
        return ArchetypeTruthParameters(
            world: WorldKind.archetypes.rawValue,
            archetypeOrder: ArchetypeWorld.rules.map(\.name),
            archetypes: ArchetypeWorld.rules.map(ArchetypeEntry.init),
            hazard: .current, disputes: .current, outcomes: .current, promiseModel: .current, contactModel: .current,
            callPolicy: .current,
            segments: World.segments.indices.map(SegmentEntry.init(segment:)),
            timezones: zones,
            currencies: World.currencies.filter { codes.contains($0.code) }.map(TruthParameters.CurrencyEntry.init),
            customers: .current)
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

private typealias A = ArchetypeWorld

extension ArchetypeTruthParameters.ArchetypeEntry {
    /// One archetype's rules.
    init(_ rules: ArchetypeWorld.Rules) {
        self.init(name: rules.name, description: rules.description, unaidedHazardMultiplier: rules.unaidedHazardMultiplier,
                  unaidedCutoffDaysPastDue: rules.unaidedCutoffDaysPastDue, contactBump: rules.contactBump,
                  refusedGivenRpc: rules.refusedGivenRPC, promiseGivenRpc: rules.promiseGivenRPC,
                  raiseDisputeGivenRpc: rules.raiseDisputeGivenRPC, keptBase: rules.keptBase, keptSlope: rules.keptSlope,
                  instalments: [rules.instalments.lowerBound, rules.instalments.upperBound])
    }
}

extension ArchetypeTruthParameters.Hazard {
    /// The payment hazard: baseline, archetype multipliers and cutoffs, the contact bump, disputes and partial payments.
    static var current: Self {
        Self(
            form: "Outside a promise window an open invoice is paid on day t with probability 1 − exp(−h(t)), "
                + "h(t) = [h0(u) · exp(pay_propensity) · unaided_hazard_multiplier, or 0 when t − due_date > unaided_cutoff_days_past_due] "
                + "+ bump(t), times disputed_multiplier when disputed; u = (t − due_date) − delay_tendency. Implemented by drawing "
                + "E ~ Exp(1) per invoice and paying on the first day the cumulative hazard reaches E.",
            baselineKnots: A.baselineKnots,
            baselineHazard: A.baselineHazard,
            baselineIntervals: ["u < -10", "-10 <= u < 0", "0 <= u < 10", "10 <= u < 45", "45 <= u < 120", "u >= 120"],
            contactBump: "archetypes with contact_bump only: on day t = c + k, k = 1 ... bump_days, after a right-party contact on day c "
                + "(the latest one), an invoice d = t − due_date > 0 days past due gets bump_sizes[i] · bump_decay^(k − 1) added to its hazard, "
                + "i = 0 for d <= 30, 1 for d <= 90, 2 beyond (bump_days_past_due_limits); nothing for invoices not yet past due",
            bumpDays: A.bumpDays,
            bumpDecay: A.bumpDecay,
            bumpDaysPastDueLimits: A.bumpDaysPastDueLimits,
            bumpSizes: A.bumpSizes,
            disputedMultiplier: A.disputedHazardMultiplier,
            partialPaymentShare: A.partialPaymentShare,
            partialPaymentFraction: [A.partialPaymentFraction.lowerBound, A.partialPaymentFraction.upperBound],
            promiseWindowHazard: "0 from created_date through promised_date + grace: payments in that window come only from the promise",
            onAccountPayments: "none: every payment names its invoice"
        )
    }
}

extension ArchetypeTruthParameters.Disputes {
    /// Disputes flagged at issue and raised in calls, and how the export shows them.
    static var current: Self {
        Self(
            disputedInvoiceShare: A.disputedInvoiceShare,
            disputedNeverPaidShare: 0,
            disputeGivenRpcWithOpenDisputedInvoice: A.disputeGivenRPCWithOpenDispute,
            raised: "a right-party contact with a non-disputed past-due invoice open raises a dispute with probability "
                + "(1 − P(dispute again)) · raise_dispute_given_rpc of the archetype: one of those invoices, drawn uniformly, is disputed "
                + "from that day on (disputed_multiplier on its hazard, promises skip it); the call's outcome is dispute; "
                + "listed per customer in disputes_raised",
            exportFlag: "invoices.csv disputed is the invoice's state as of the export's end: 1 for invoices disputed at issue and for "
                + "invoices disputed in a call before end, even for snapshot dates before the call"
        )
    }
}

extension ArchetypeTruthParameters.Outcomes {
    /// How a call ends.
    static var current: Self {
        Self(
            rpcProbability: "window_rpc_probability of the customer's window containing the local call time",
            missOutcomes: ["no_answer", "voicemail", "wrong_party"],
            missWeights: World.missWeights,
            form: "given a right-party contact: dispute again with p_again = dispute_given_rpc_with_open_disputed_invoice when a disputed "
                + "invoice is past due (else 0); raise a dispute with p_raise = (1 − p_again) · raise_dispute_given_rpc when a non-disputed "
                + "invoice is past due (else 0); refused with (1 − p_again − p_raise) · refused_given_rpc; promise with the rest times "
                + "promise_given_rpc (right_party instead when nothing is past due or a promise is open); otherwise right_party"
        )
    }
}

extension ArchetypeTruthParameters.PromiseModel {
    /// Instalment promises: amount, date, kept probability and payment.
    static var current: Self {
        Self(
            form: "P(kept) = clamp(kept_base + kept_slope · promise_reliability − broken_streak_penalty · min(broken streak, broken_streak_cap), "
                + "kept_probability_range), rounded to 4 decimals; the broken streak counts the customer's broken promises since its last kept one",
            brokenStreakPenalty: A.brokenStreakPenalty,
            brokenStreakCap: A.brokenStreakCap,
            keptProbabilityRange: [A.keptProbabilityRange.lowerBound, A.keptProbabilityRange.upperBound],
            horizonDays: [A.promiseHorizonDays.lowerBound, A.promiseHorizonDays.upperBound],
            graceDays: A.promiseGraceDays,
            instalmentMinimumUsd: A.instalmentMinimumUSD,
            amount: "non-disputed past-due balance / k, k uniform in the archetype's instalments, floored to whole currency units "
                + "(at least one); the whole balance when k = 1 or the balance is below instalment_minimum_usd",
            kept: "a kept promise pays promised_amount on promised_date (oldest non-disputed invoices first); a broken one pays nothing"
        )
    }
}

extension ArchetypeTruthParameters.ContactModel {
    /// Weekday-set × hour-block contact preferences and the window probabilities they give.
    static var current: Self {
        Self(
            windows: CallWindows.names,
            windowOrder: "weekday-major: Mon 08-10, Mon 10-12, ..., Fri 16-18 (customer-local time)",
            weekdayCount: [A.weekdayCount.lowerBound, A.weekdayCount.upperBound],
            blockHours: [A.blockHours.lowerBound, A.blockHours.upperBound],
            earliestHour: A.earliestHour,
            latestHour: A.latestHour,
            reach: [A.reach.lowerBound, A.reach.upperBound],
            insideProbability: A.insideProbability,
            outsideProbability: A.outsideProbability,
            windowNoiseSd: A.windowNoiseSD,
            maximumProbability: A.maximumWindowProbability,
            form: "contact_weekdays: a uniformly random set of Mon–Fri of size uniform in weekday_count; contact_hours [start, end): "
                + "length uniform in block_hours, start uniform so that earliest_hour <= start and end <= latest_hour; an hour on a contact "
                + "weekday inside the block has P(right party) = inside_probability · reach, any other hour outside_probability · reach; "
                + "window_rpc_probability[w] = min(maximum, mean of its two hours · exp(N(0, window_noise_sd))), rounded to 4 decimals; "
                + "best_window is the first maximum in window order"
        )
    }
}

extension ArchetypeTruthParameters.SegmentEntry {
    /// Segment `index`: this world's share and archetype shares, `World`'s invoicing habits and trait distributions.
    init(segment index: Int) {
        let segment = World.segments[index]
        self.init(
            name: segment.name, share: ArchetypeWorld.segmentShares[index], archetypeShares: ArchetypeWorld.archetypeShares[index],
            medianInvoiceUsd: segment.medianInvoiceUSD, customerSizeSigma: segment.customerSizeSigma,
            invoiceAmountSigma: segment.invoiceAmountSigma,
            invoiceIntervalDays: [segment.invoiceIntervalDays.lowerBound, segment.invoiceIntervalDays.upperBound],
            terms: World.terms, termsWeights: segment.termsWeights,
            payPropensityMean: segment.payPropensityMean, payPropensitySd: segment.payPropensitySD,
            delayMeanDays: segment.delayMeanDays, delaySdDays: segment.delaySDDays,
            reliabilityLogitMean: segment.reliabilityLogitMean, reliabilityLogitSd: segment.reliabilityLogitSD)
    }
}

extension ArchetypeTruthParameters.Customers {
    /// Lifecycle shares, invoicing habits and how the latent traits are drawn.
    static var current: Self {
        Self(
            lateOnboardingShare: World.lateOnboardingShare,
            churnShare: World.churnShare,
            doNotCallShare: World.doNotCallShare,
            doubtfulShare: ArchetypeWorld.doubtfulShare,
            invoiceGapJitter: [World.invoiceGapJitter.lowerBound, World.invoiceGapJitter.upperBound],
            otherTermsShare: World.otherTermsShare,
            creditLimitMonths: World.creditLimitMonths,
            traits: "archetype ~ the segment's archetype_shares (order archetype_order); pay_propensity ~ N(segment mean, sd), rounded to 4 "
                + "decimals; delay_tendency = round(N(mean, sd)) clamped to [-5, 90] days; promise_reliability = logistic(N(logit mean, sd)), "
                + "rounded to 4 decimals; typical invoice = median · exp(N(0, customer_size_sigma)); invoice amount = typical · "
                + "exp(N(0, invoice_amount_sigma)); nobody turns doubtful"
        )
    }
}
