import CallGrid

/// The fixed generating parameters: segments, time zones, contact windows, the payment hazard,
/// the call policy and the promise model. Every number here is written to truth.json
/// ("parameters"), so the data's ground truth is fully documented by the file itself.
enum World {
    // MARK: Contact windows

    // The window grid (25 weekday × two-hour windows, weekday-major) is `CallGrid.CallWindows`.

    // MARK: Contact patterns

    struct ContactPattern {
        let name: String
        let description: String
        /// Right-party-contact probability per window before the customer's reach and noise (25 windows).
        let probabilities: [Double]
        /// The pattern's single peak window: `peakMultiplier` times its level's probability, so every pattern
        /// has one clearly best window.
        let peakWindow: Int
    }

    /// Probabilities of the low, medium and high levels, and the flat any-time level.
    static let rpcLevelProbabilities = [0.05, 0.25, 0.50]
    static let anyTimeProbability = 0.30
    static let peakMultiplier = 2.0
    static let windowNoiseSD = 0.10
    static let maximumWindowProbability = 0.95

    private static func pattern(_ name: String, _ description: String, peak: (day: Int, slot: Int),
                                _ level: (Int, Int) -> Int) -> ContactPattern {
        var probabilities: [Double] = []
        for day in 0..<CallWindows.weekdays {
            for slot in 0..<CallWindows.windowsPerDay { probabilities.append(rpcLevelProbabilities[level(day, slot)]) }
        }
        let peakWindow = CallWindows.window(weekday: peak.day, slot: peak.slot)
        probabilities[peakWindow] *= peakMultiplier
        return ContactPattern(name: name, description: description, probabilities: probabilities, peakWindow: peakWindow)
    }

    static let contactPatterns: [ContactPattern] = [
        pattern("tue_thu_mornings", "high on Tue–Thu 08–12, low otherwise; peak Wed 10–12", peak: (2, 1)) { day, slot in
            (1...3).contains(day) && slot <= 1 ? 2 : 0
        },
        pattern("late_afternoons", "high 16–18 every weekday, low otherwise; peak Thu 16–18", peak: (3, 4)) { _, slot in
            slot == 4 ? 2 : 0
        },
        pattern("lunchtime", "high 12–14 every weekday, low otherwise; peak Tue 12–14", peak: (1, 2)) { _, slot in
            slot == 2 ? 2 : 0
        },
        pattern("early_mornings", "high 08–10 every weekday, low otherwise; peak Mon 08–10", peak: (0, 0)) { _, slot in
            slot == 0 ? 2 : 0
        },
        pattern("mon_wed_fri_afternoons", "high 14–16 on Mon, Wed and Fri, medium 14–16 on Tue and Thu, low otherwise; peak Fri 14–16",
                peak: (4, 3)) { day, slot in
            slot == 3 ? (day % 2 == 0 ? 2 : 1) : 0
        },
        {
            let peakWindow = CallWindows.window(weekday: 4, slot: 1)
            var probabilities = [Double](repeating: anyTimeProbability, count: CallWindows.count)
            probabilities[peakWindow] *= peakMultiplier
            return ContactPattern(name: "any_time", description: "flat at the any-time level; peak Fri 10–12",
                                  probabilities: probabilities, peakWindow: peakWindow)
        }(),
    ]

    // MARK: Segments

    struct Segment {
        let name: String
        let share: Double
        let medianInvoiceUSD: Double
        let customerSizeSigma: Double
        let invoiceAmountSigma: Double
        let invoiceIntervalDays: ClosedRange<Int>
        /// Weights of net 15, net 30 and net 60.
        let termsWeights: [Double]
        let payPropensityMean: Double
        let payPropensitySD: Double
        let delayMeanDays: Double
        let delaySDDays: Double
        let reliabilityLogitMean: Double
        let reliabilityLogitSD: Double
        let doubtfulShare: Double
        let reach: ClosedRange<Double>
        /// Weights over `contactPatterns`.
        let patternWeights: [Double]
    }

    static let terms = [15, 30, 60]

    static let segments: [Segment] = [
        Segment(name: "enterprise", share: 0.10, medianInvoiceUSD: 6000, customerSizeSigma: 0.9, invoiceAmountSigma: 0.8,
                invoiceIntervalDays: 7...30, termsWeights: [0.1, 0.5, 0.4],
                payPropensityMean: 0.3, payPropensitySD: 0.5, delayMeanDays: 6, delaySDDays: 6,
                reliabilityLogitMean: 1.2, reliabilityLogitSD: 1.0, doubtfulShare: 0.01,
                reach: 0.7...1.0, patternWeights: [0.35, 0.15, 0.10, 0.20, 0.10, 0.10]),
        Segment(name: "smb", share: 0.45, medianInvoiceUSD: 900, customerSizeSigma: 0.8, invoiceAmountSigma: 0.9,
                invoiceIntervalDays: 14...45, termsWeights: [0.4, 0.5, 0.1],
                payPropensityMean: 0.0, payPropensitySD: 0.6, delayMeanDays: 10, delaySDDays: 9,
                reliabilityLogitMean: 0.3, reliabilityLogitSD: 1.0, doubtfulShare: 0.04,
                reach: 0.6...1.0, patternWeights: [0.20, 0.20, 0.20, 0.15, 0.10, 0.15]),
        Segment(name: "public_sector", share: 0.05, medianInvoiceUSD: 12000, customerSizeSigma: 0.8, invoiceAmountSigma: 1.0,
                invoiceIntervalDays: 20...60, termsWeights: [0.0, 0.4, 0.6],
                payPropensityMean: 0.2, payPropensitySD: 0.4, delayMeanDays: 18, delaySDDays: 10,
                reliabilityLogitMean: 1.0, reliabilityLogitSD: 0.8, doubtfulShare: 0.005,
                reach: 0.5...0.9, patternWeights: [0.40, 0.10, 0.10, 0.25, 0.10, 0.05]),
        Segment(name: "consumer", share: 0.40, medianInvoiceUSD: 120, customerSizeSigma: 0.5, invoiceAmountSigma: 0.7,
                invoiceIntervalDays: 28...35, termsWeights: [0.6, 0.4, 0.0],
                payPropensityMean: -0.3, payPropensitySD: 0.7, delayMeanDays: 5, delaySDDays: 8,
                reliabilityLogitMean: -0.1, reliabilityLogitSD: 1.1, doubtfulShare: 0.06,
                reach: 0.4...0.9, patternWeights: [0.05, 0.45, 0.20, 0.05, 0.10, 0.15]),
    ]

    static let segmentShares = segments.map(\.share)
    static let delayRange = -5...90
    static let lateOnboardingShare = 0.20
    static let churnShare = 0.08
    static let doNotCallShare = 0.02
    /// Doubtful customers stop being invoiced this many days after they stop paying.
    static let doubtfulInvoiceStopDays = 60
    static let invoiceGapJitter = 0.75...1.25
    static let otherTermsShare = 0.10
    /// Credit limit = typical invoice × this × (30 / invoice interval), rounded up to 1,000 currency units.
    static let creditLimitMonths = 3.0

    // MARK: Time zones

    struct Zone {
        let identifier: String
        let country: String
        let currency: String
        let share: Double
    }

    static let zones: [Zone] = [
        Zone(identifier: "America/New_York", country: "US", currency: "USD", share: 0.17),
        Zone(identifier: "America/Chicago", country: "US", currency: "USD", share: 0.11),
        Zone(identifier: "America/Denver", country: "US", currency: "USD", share: 0.04),
        Zone(identifier: "America/Phoenix", country: "US", currency: "USD", share: 0.02),
        Zone(identifier: "America/Los_Angeles", country: "US", currency: "USD", share: 0.10),
        Zone(identifier: "America/Toronto", country: "CA", currency: "CAD", share: 0.04),
        Zone(identifier: "America/Mexico_City", country: "MX", currency: "MXN", share: 0.03),
        Zone(identifier: "America/Sao_Paulo", country: "BR", currency: "BRL", share: 0.04),
        Zone(identifier: "Europe/London", country: "GB", currency: "GBP", share: 0.08),
        Zone(identifier: "Europe/Dublin", country: "IE", currency: "EUR", share: 0.02),
        Zone(identifier: "Europe/Paris", country: "FR", currency: "EUR", share: 0.05),
        Zone(identifier: "Europe/Berlin", country: "DE", currency: "EUR", share: 0.07),
        Zone(identifier: "Europe/Madrid", country: "ES", currency: "EUR", share: 0.03),
        Zone(identifier: "Asia/Kolkata", country: "IN", currency: "INR", share: 0.05),
        Zone(identifier: "Asia/Singapore", country: "SG", currency: "SGD", share: 0.03),
        Zone(identifier: "Asia/Tokyo", country: "JP", currency: "JPY", share: 0.04),
        Zone(identifier: "Australia/Sydney", country: "AU", currency: "AUD", share: 0.05),
        Zone(identifier: "Australia/Adelaide", country: "AU", currency: "AUD", share: 0.01),
        Zone(identifier: "Pacific/Auckland", country: "NZ", currency: "NZD", share: 0.02),
    ]

    static let zoneShares = zones.map(\.share)

    struct Currency {
        let code: String
        /// Currency units per US dollar.
        let perUSD: Double
        /// Digits after the decimal point (0 for JPY).
        let decimals: Int
    }

    static let currencies: [Currency] = [
        Currency(code: "USD", perUSD: 1.0, decimals: 2),
        Currency(code: "CAD", perUSD: 1.37, decimals: 2),
        Currency(code: "MXN", perUSD: 18.0, decimals: 2),
        Currency(code: "BRL", perUSD: 5.4, decimals: 2),
        Currency(code: "GBP", perUSD: 0.79, decimals: 2),
        Currency(code: "EUR", perUSD: 0.92, decimals: 2),
        Currency(code: "INR", perUSD: 83.0, decimals: 2),
        Currency(code: "SGD", perUSD: 1.35, decimals: 2),
        Currency(code: "JPY", perUSD: 150.0, decimals: 0),
        Currency(code: "AUD", perUSD: 1.52, decimals: 2),
        Currency(code: "NZD", perUSD: 1.66, decimals: 2),
    ]

    /// Index into `currencies` for each zone.
    static let zoneCurrency: [Int] = zones.map { zone in currencies.firstIndex { $0.code == zone.currency }! }

    // MARK: Payment hazard

    /// Knots of the piecewise-constant baseline daily hazard h0(u), u = days since due date − delay_tendency.
    static let baselineKnots = [-10, 0, 5, 30, 90]
    /// h0 on (−∞, −10), [−10, 0), [0, 5), [5, 30), [30, 90), [90, ∞).
    static let baselineHazard = [0.004, 0.03, 0.12, 0.04, 0.015, 0.005]
    static let rpcHazardMultiplier = 2.5
    static let rpcEffectDays = 7
    static let disputedHazardMultiplier = 0.15
    static let disputedNeverPaidShare = 0.40
    static let disputedInvoiceShare = 0.04
    static let partialPaymentShare = 0.07
    static let partialPaymentFraction = 0.3...0.8
    static let onAccountPaymentShare = 0.01

    /// h0(u) for an integer day offset.
    @inline(__always)
    static func baseline(_ u: Int) -> Double {
        if u < 0 {
            return u < -10 ? 0.004 : 0.03
        }
        if u < 5 { return 0.12 }
        if u < 30 { return 0.04 }
        return u < 90 ? 0.015 : 0.005
    }

    // MARK: Call policy

    static let minimumPastDueUSD = 25.0
    static let minimumDaysPastDue = 5
    /// Daily call probability when the oldest past-due invoice is at least `callAgeThresholds[i]` days past due.
    static let callAgeThresholds = [5, 15, 30, 60, 90]
    static let callProbabilities = [0.12, 0.25, 0.35, 0.45, 0.55]
    static let maximumAttemptsPer7Days = 3
    /// The next attempt comes at least this many days after a `right_party` or `refused` contact.
    static let rpcCooldownDays = 5
    /// The next attempt comes at least this many days after a `dispute` contact.
    static let disputeHoldDays = 30
    /// Share of calls placed uniformly over 08:00–18:00 local; the rest fall uniformly in 09:00–12:00 (the morning push).
    static let uniformShiftShare = 0.85
    static let customersPerAgent = 200

    @inline(__always)
    static func callProbability(daysPastDue: Int) -> Double {
        if daysPastDue >= 90 { return 0.55 }
        if daysPastDue >= 60 { return 0.45 }
        if daysPastDue >= 30 { return 0.35 }
        if daysPastDue >= 15 { return 0.25 }
        return daysPastDue >= 5 ? 0.12 : 0
    }

    // MARK: Call outcomes

    // Outcomes are `CallGrid.CallOutcome`.

    /// Without a right-party contact: no_answer, voicemail, wrong_party.
    static let missWeights = [0.50, 0.38, 0.12]
    static let disputeGivenRPCWithOpenDispute = 0.50
    static let disputeGivenRPCOtherwise = 0.02
    static let refusedGivenRPC = 0.10
    static let refusedGivenRPCWhenDoubtful = 0.45
    /// P(promise | RPC, not dispute, not refused) = base + slope × promise_reliability.
    static let promiseBase = 0.25
    static let promiseSlope = 0.40

    // MARK: Promise model

    static let promiseHorizonDays = 3...14
    static let promiseGraceDays = 3
    static let fullBalancePromiseShare = 0.70
    static let partialPromiseFraction = 0.3...0.7
    /// logit P(kept) = intercept + reliability·r + history·(smoothed kept ratio − 0.5) + horizon·days + partial·[partial promise]
    static let promiseIntercept = -1.2
    static let promiseReliabilityCoefficient = 3.0
    static let promiseHistoryCoefficient = 2.0
    static let promiseHorizonCoefficient = -0.04
    static let promisePartialCoefficient = 0.4
    static let promiseKeptProbabilityWhenDoubtful = 0.02
    /// Kept promises are paid on promised_date + k, k uniform in this range (clamped after the call day).
    static let keptPaymentOffsets = -2...3
    static let brokenPartialPaymentShare = 0.30
    static let brokenPartialPaymentFraction = 0.2...0.6
}
