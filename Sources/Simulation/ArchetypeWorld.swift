import CallGrid

/// The fixed generating parameters of the `archetypes` world: payment archetypes and their rules, the hazard, disputes
/// raised in calls, instalment promises and weekday-set × hour-block contact preferences. Every number is written to
/// truth.json ("parameters") by `ArchetypeTruthParameters`.
///
/// Invoicing habits, lifecycle, time zones and currencies come from `World` (the same segment table), with this
/// world's own segment and zone mix; the history's calls follow the same aging policy (`World`'s call policy).
enum ArchetypeWorld {
    // MARK: Archetypes

    /// A customer's latent way of paying.
    enum Archetype: UInt8, CaseIterable {
        case selfPayer, callResponsive, promiseDriven, lost

        /// The truth.json name.
        var name: String { ArchetypeWorld.rules[Int(rawValue)].name }
        /// The archetype's rules.
        var rules: Rules { ArchetypeWorld.rules[Int(rawValue)] }
    }

    /// What one archetype does unaided, after a right-party contact and with promises.
    struct Rules {
        let name: String
        let description: String
        /// Multiplier on the baseline hazard of an unaided payment (0: never pays unaided).
        let unaidedHazardMultiplier: Double
        /// When set, an invoice more than this many days past due gets no unaided hazard at all.
        let unaidedCutoffDaysPastDue: Int?
        /// Whether a right-party contact adds the decaying contact bump to the hazard of past-due invoices.
        let contactBump: Bool
        let refusedGivenRPC: Double
        /// P(promise | RPC, no dispute, not refused).
        let promiseGivenRPC: Double
        /// P(the customer raises a dispute on one of its past-due invoices | RPC), when it has one.
        let raiseDisputeGivenRPC: Double
        /// P(kept) = keptBase + keptSlope · promise_reliability − broken-streak penalty, clamped.
        let keptBase: Double
        let keptSlope: Double
        /// A promise is for the past-due balance divided by k, k uniform in this range (1: the whole balance).
        let instalments: ClosedRange<Int>
    }

    static let rules: [Rules] = [
        Rules(name: "self_payer", description: "pays by its own hazard whatever is done; calls change nothing (no promises, no disputes raised)",
              unaidedHazardMultiplier: 1.0, unaidedCutoffDaysPastDue: nil, contactBump: false,
              refusedGivenRPC: 0.15, promiseGivenRPC: 0, raiseDisputeGivenRPC: 0, keptBase: 0, keptSlope: 0, instalments: 1...1),
        Rules(name: "call_responsive", description: "pays slowly unaided; a right-party contact adds a decaying jump to the hazard of past-due invoices that shrinks with days past due",
              unaidedHazardMultiplier: 0.35, unaidedCutoffDaysPastDue: nil, contactBump: true,
              refusedGivenRPC: 0.10, promiseGivenRPC: 0.30, raiseDisputeGivenRPC: 0.04, keptBase: 0.35, keptSlope: 0.50, instalments: 1...2),
        Rules(name: "promise_driven", description: "pays by the hazard until an invoice is unaided_cutoff_days_past_due past due, then only through kept instalment promises",
              unaidedHazardMultiplier: 1.0, unaidedCutoffDaysPastDue: 10, contactBump: false,
              refusedGivenRPC: 0.05, promiseGivenRPC: 0.70, raiseDisputeGivenRPC: 0.06, keptBase: 0.25, keptSlope: 0.65, instalments: 2...4),
        Rules(name: "lost", description: "never pays without a call; often refuses, raises disputes, and keeps few of its small promises",
              unaidedHazardMultiplier: 0, unaidedCutoffDaysPastDue: nil, contactBump: false,
              refusedGivenRPC: 0.55, promiseGivenRPC: 0.35, raiseDisputeGivenRPC: 0.12, keptBase: 0.10, keptSlope: 0.20, instalments: 2...5),
    ]

    /// Archetype shares (self_payer, call_responsive, promise_driven, lost) by segment, in `World.segments` order.
    static let archetypeShares: [[Double]] = [
        [0.55, 0.25, 0.15, 0.05],   // enterprise
        [0.30, 0.35, 0.25, 0.10],   // smb
        [0.65, 0.10, 0.20, 0.05],   // public_sector
        [0.20, 0.30, 0.30, 0.20],   // consumer
    ]

    // MARK: Segments and zones

    /// Segment shares of this world (enterprise, smb, public_sector, consumer); each segment's habits are `World`'s.
    static let segmentShares = [0.15, 0.40, 0.10, 0.35]
    /// Zone shares over `World.zones` (same order): a North-American and European book, no Asia–Pacific customers.
    static let zoneShares = [0.22, 0.12, 0.05, 0.03, 0.12, 0.06, 0.00, 0.00,
                             0.14, 0.03, 0.07, 0.10, 0.06, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00]
    /// No customer turns doubtful in this world (the `lost` archetype plays that part).
    static let doubtfulShare = 0.0

    // MARK: Payment hazard

    /// Knots of the baseline daily hazard h0(u), u = days since due date − delay_tendency.
    static let baselineKnots = [-10, 0, 10, 45, 120]
    /// h0 on (−∞, −10), [−10, 0), [0, 10), [10, 45), [45, 120), [120, ∞).
    static let baselineHazard = [0.003, 0.025, 0.09, 0.035, 0.012, 0.004]

    /// h0(u) for an integer day offset.
    @inline(__always)
    static func baseline(_ u: Int) -> Double {
        if u < 0 { return u < -10 ? 0.003 : 0.025 }
        if u < 10 { return 0.09 }
        if u < 45 { return 0.035 }
        return u < 120 ? 0.012 : 0.004
    }

    /// The contact bump: days c+1 ... c+bumpDays after a right-party contact on day c.
    static let bumpDays = 10
    static let bumpDecay = 0.7
    /// Bump size on the first day, by the invoice's days past due on that day: ≤ 30, 31–90, > 90.
    static let bumpDaysPastDueLimits = [30, 90]
    static let bumpSizes = [0.30, 0.15, 0.05]

    /// The extra hazard of a past-due invoice `daysPastDue` days past due, `daysSinceContact` days after a contact.
    @inline(__always)
    static func contactBump(daysPastDue: Int, daysSinceContact: Int) -> Double {
        guard daysPastDue > 0, daysSinceContact >= 1, daysSinceContact <= bumpDays else { return 0 }
        let size = daysPastDue <= 30 ? 0.30 : (daysPastDue <= 90 ? 0.15 : 0.05)
        return size * decayPowers[daysSinceContact - 1]
    }

    /// bumpDecay^k for k = 0 ..< bumpDays.
    static let decayPowers: [Double] = (0..<bumpDays).map { k in (0..<k).reduce(1.0) { product, _ in product * bumpDecay } }

    static let partialPaymentShare = 0.10
    static let partialPaymentFraction = 0.3...0.8

    // MARK: Disputes

    /// Share of invoices disputed when issued (none is never paid: a disputed invoice is only paid more slowly).
    static let disputedInvoiceShare = 0.02
    static let disputedHazardMultiplier = 0.10
    /// P(dispute | RPC) when a disputed invoice is past due (the customer talks about it again).
    static let disputeGivenRPCWithOpenDispute = 0.35

    // MARK: Promises

    static let promiseHorizonDays = 2...10
    static let promiseGraceDays = 3
    /// A past-due balance below this (US dollars) is always promised whole.
    static let instalmentMinimumUSD = 100.0
    static let brokenStreakPenalty = 0.15
    static let brokenStreakCap = 3
    static let keptProbabilityRange = 0.02...0.98

    // MARK: Contact preferences

    /// Days in the weekday set: uniform in this range, then a uniformly random set of that size (Mon–Fri).
    static let weekdayCount = 1...5
    /// Length of the local hour block in hours, uniform; its start is uniform so that it ends by `latestHour`.
    static let blockHours = 2...5
    static let earliestHour = 8
    static let latestHour = 18
    static let reach = 0.5...1.0
    /// P(right party) in an hour of the block and outside it, before reach.
    static let insideProbability = 0.85
    static let outsideProbability = 0.05
    static let windowNoiseSD = 0.05
    static let maximumWindowProbability = 0.95
}
