import CivilTime
import CallGrid
import Foundation

/// Draws customers and runs their histories one at a time, day by day, appending their rows to a `ChunkRecords`.
///
/// The calls of the history follow the plain aging policy of a team without a model (`considerCall`); the day's
/// invoicing, payments and call outcomes are `CustomerWorld`'s. Every draw comes from the customer's own random
/// stream, in a fixed order: the steps below must keep that order, or the same seed no longer gives the same export.
struct CustomerSimulator {
    let seed: UInt64
    let context: WorldContext

    init(seed: UInt64, start: Int, end: Int, customerCount: Int, tables: TimeTables, world: WorldKind = .lift) {
        self.init(seed: seed, context: WorldContext(start: start, end: end, recordingEnd: end, customerCount: customerCount,
                                                    tables: tables, world: world))
    }

    init(seed: UInt64, context: WorldContext) {
        self.seed = seed
        self.context = context
    }

    /// Draws customer `index` and its whole history, appending its rows to `records`; returns its world as it
    /// stands at the start of `context.end`.
    @discardableResult
    func simulate(customer index: Int, into records: ChunkRecords) -> CustomerWorld {
        var rng = RandomSource(seed: seed, stream: UInt64(index))
        let windowBase = records.windows.count
        var customer: CustomerRecord
        switch context.world {
        case .lift:
            customer = Self.drawTraits(index, rng: &rng)
            customer.bestWindow = Self.drawWindows(pattern: customer.pattern, reach: customer.reach, rng: &rng, records: records)
        case .archetypes:
            customer = Self.drawArchetypeTraits(index, rng: &rng)
            customer.bestWindow = Self.drawBlockWindows(customer, rng: &rng, records: records)
        }
        drawLifecycle(&customer, rng: &rng)
        customer.firstPromise = records.promises.count
        customer.firstDispute = records.disputes.count
        let account = CustomerWorld.Account(customer, local: Int32(records.customers.count), windowBase: windowBase,
                                            world: context.world)
        var world = CustomerWorld(account, onboarded: customer.onboarded, rng: &rng)
        simulateHistory(&world, from: customer.onboarded, rng: &rng, records: records)
        customer.promiseEnd = records.promises.count
        customer.disputeEnd = records.disputes.count
        records.customers.append(customer)
        return world
    }

    // MARK: - Customer

    /// Draws the segment, the zone (which fixes the currency), do-not-call and the latent traits.
    private static func drawTraits(_ index: Int, rng: inout RandomSource) -> CustomerRecord {
        let segmentIndex = rng.pick(World.segmentShares)
        let segment = World.segments[segmentIndex]
        let zone = rng.pick(World.zoneShares)
        let doNotCall = rng.bernoulli(World.doNotCallShare)
        let payPropensity = rounded(rng.normal(mean: segment.payPropensityMean, sd: segment.payPropensitySD), places: 4)
        let delay = min(World.delayRange.upperBound, max(World.delayRange.lowerBound,
                        Int(rng.normal(mean: segment.delayMeanDays, sd: segment.delaySDDays).rounded())))
        let reliability = rounded(logistic(rng.normal(mean: segment.reliabilityLogitMean, sd: segment.reliabilityLogitSD)), places: 4)
        let pattern = rng.pick(segment.patternWeights)
        let reach = rounded(rng.uniform(segment.reach.lowerBound, segment.reach.upperBound), places: 4)
        return CustomerRecord(
            index: index, segment: segmentIndex, zone: zone, currency: World.zoneCurrency[zone], doNotCall: doNotCall,
            payPropensity: payPropensity, delayTendency: delay, promiseReliability: reliability, pattern: pattern, reach: reach)
    }

    /// Appends the customer's 25 window right-party probabilities to `records.windows`; returns the most likely window.
    private static func drawWindows(pattern: Int, reach: Double, rng: inout RandomSource, records: ChunkRecords) -> Int {
        let levels = World.contactPatterns[pattern].probabilities
        var bestWindow = 0
        var bestProbability = -1.0
        for window in 0..<CallWindows.count {
            let noise = Foundation.exp(World.windowNoiseSD * rng.normal())
            let probability = rounded(min(World.maximumWindowProbability, levels[window] * reach * noise), places: 4)
            records.windows.append(probability)
            if probability > bestProbability {
                bestProbability = probability
                bestWindow = window
            }
        }
        return bestWindow
    }

    /// Draws when the customer turns doubtful, joins and stops buying, its invoicing habits and its credit limit.
    private func drawLifecycle(_ customer: inout CustomerRecord, rng: inout RandomSource) {
        let segment = World.segments[customer.segment]
        let currency = World.currencies[customer.currency]
        let minorPerMajor = CustomerWorld.minorPerMajor(currency)
        let start = context.start, end = context.end
        let length = end - start
        let doubtfulShare = context.world == .lift ? segment.doubtfulShare : ArchetypeWorld.doubtfulShare
        let doubtfulFrom: Int? = rng.bernoulli(doubtfulShare) ? start + rng.below(length) : nil
        let onboarded = rng.bernoulli(World.lateOnboardingShare) ? start + rng.below(length) : start
        let churnDay: Int? = rng.bernoulli(World.churnShare) ? start + rng.below(length) : nil
        var invoicingStops = churnDay
        if let doubtfulFrom {
            let stop = doubtfulFrom + World.doubtfulInvoiceStopDays
            invoicingStops = min(invoicingStops ?? stop, stop)
        }
        if let stop = invoicingStops, stop >= end { invoicingStops = nil }
        let interval = rng.integer(segment.invoiceIntervalDays.lowerBound, segment.invoiceIntervalDays.upperBound)
        let defaultTerms = World.terms[rng.pick(segment.termsWeights)]
        let typicalUSD = segment.medianInvoiceUSD * Foundation.exp(segment.customerSizeSigma * rng.normal())
        let typicalMajor = typicalUSD * currency.perUSD
        let limitMajor = typicalMajor * World.creditLimitMonths * 30 / Double(interval)
        customer.doubtfulFrom = doubtfulFrom
        customer.onboarded = onboarded
        customer.invoicingStops = invoicingStops
        customer.intervalDays = interval
        customer.defaultTerms = defaultTerms
        customer.typicalInvoice = max(minorPerMajor, Int64((typicalMajor * Double(minorPerMajor)).rounded()))
        customer.creditLimit = Int64((limitMajor / 1000).rounded(.up)) * 1000
    }

    // MARK: - Day by day

    /// Runs the customer's history one day at a time from onboarding, skipping days on which nothing can happen.
    private func simulateHistory(_ world: inout CustomerWorld, from onboarded: Int, rng: inout RandomSource,
                                 records: ChunkRecords) {
        let end = context.end
        var day = onboarded
        while day < end {
            let paidToday = world.beginDay(day, rng: &rng, records: records)
            considerCall(on: day, paidToday: paidToday, &world, rng: &rng, records: records)
            day = world.nextActiveDay(after: day, end: end)
        }
    }

    /// The aging policy: on a local weekday without a payment, promise or hold, an account whose past-due balance is
    /// large and old enough is called (at most once a day, a few times a week) with a probability growing with its age,
    /// at a time of the agents' shift.
    @inline(__always)
    private func considerCall(on day: Int, paidToday: Bool, _ world: inout CustomerWorld,
                              rng: inout RandomSource, records: ChunkRecords) {
        let state = world.state
        guard !world.account.doNotCall, state.promise == nil, day >= state.callHoldUntil, !paidToday,
              CivilDate.weekday(Int32(day)) < 5, !world.open.isEmpty else { return }
        let pastDue = world.pastDue(on: day)
        guard pastDue.balance >= world.account.minimumPastDue, pastDue.oldestDays >= World.minimumDaysPastDue,
              state.recentAttempts(on: day) < World.maximumAttemptsPer7Days,
              rng.bernoulli(World.callProbability(daysPastDue: pastDue.oldestDays)) else { return }
        world.placeCall(on: day, secondOfDay: Self.shiftSecond(rng: &rng), context: context, rng: &rng, records: records)
    }

    /// A local time of the agents' shift: mostly uniform over 08:00–18:00, otherwise in the 09:00–12:00 morning push.
    static func shiftSecond(rng: inout RandomSource) -> Int {
        rng.bernoulli(World.uniformShiftShare) ? 8 * 3600 + rng.below(10 * 3600) : 9 * 3600 + rng.below(3 * 3600)
    }
}
