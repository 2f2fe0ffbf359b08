import CallGrid
import Foundation

/// The `archetypes` world's customer draws: segment and zone from its own mix, the payment archetype by segment, the
/// latent traits as in `lift`, and contact preferences as a weekday set × a local hour block × reach.
extension CustomerSimulator {
    /// Draws the segment, zone, do-not-call, archetype, latent traits and contact preferences.
    static func drawArchetypeTraits(_ index: Int, rng: inout RandomSource) -> CustomerRecord {
        let segmentIndex = rng.pick(ArchetypeWorld.segmentShares)
        let segment = World.segments[segmentIndex]
        let zone = rng.pick(ArchetypeWorld.zoneShares)
        let doNotCall = rng.bernoulli(World.doNotCallShare)
        let archetype = rng.pick(ArchetypeWorld.archetypeShares[segmentIndex])
        let payPropensity = rounded(rng.normal(mean: segment.payPropensityMean, sd: segment.payPropensitySD), places: 4)
        let delay = min(World.delayRange.upperBound, max(World.delayRange.lowerBound,
                        Int(rng.normal(mean: segment.delayMeanDays, sd: segment.delaySDDays).rounded())))
        let reliability = rounded(logistic(rng.normal(mean: segment.reliabilityLogitMean, sd: segment.reliabilityLogitSD)), places: 4)
        let weekdayMask = drawWeekdaySet(rng: &rng)
        let blockHours = rng.integer(ArchetypeWorld.blockHours.lowerBound, ArchetypeWorld.blockHours.upperBound)
        let blockStart = rng.integer(ArchetypeWorld.earliestHour, ArchetypeWorld.latestHour - blockHours)
        let reach = rounded(rng.uniform(ArchetypeWorld.reach.lowerBound, ArchetypeWorld.reach.upperBound), places: 4)
        var customer = CustomerRecord(
            index: index, segment: segmentIndex, zone: zone, currency: World.zoneCurrency[zone], doNotCall: doNotCall,
            payPropensity: payPropensity, delayTendency: delay, promiseReliability: reliability, pattern: 0, reach: reach)
        customer.archetype = UInt8(archetype)
        customer.weekdayMask = weekdayMask
        customer.blockStart = blockStart
        customer.blockEnd = blockStart + blockHours
        return customer
    }

    /// A uniformly random set of Mon–Fri (bit 0 = Monday) whose size is uniform in `ArchetypeWorld.weekdayCount`.
    static func drawWeekdaySet(rng: inout RandomSource) -> UInt8 {
        let size = rng.integer(ArchetypeWorld.weekdayCount.lowerBound, ArchetypeWorld.weekdayCount.upperBound)
        var mask: UInt8 = 0
        for taken in 0..<size {
            var pick = rng.below(CallWindows.weekdays - taken)
            for day in 0..<CallWindows.weekdays where mask & (1 << day) == 0 {
                if pick == 0 {
                    mask |= 1 << day
                    break
                }
                pick -= 1
            }
        }
        return mask
    }

    /// Appends the customer's 25 window right-party probabilities to `records.windows`; returns the most likely window
    /// (the first in window order among equals).
    ///
    /// An hour on a contact weekday inside the block has P(right party) = inside · reach, any other hour
    /// outside · reach; a two-hour window takes the mean of its two hours, times exp(N(0, noise sd)), capped, rounded.
    static func drawBlockWindows(_ customer: CustomerRecord, rng: inout RandomSource, records: ChunkRecords) -> Int {
        let inside = ArchetypeWorld.insideProbability * customer.reach
        let outside = ArchetypeWorld.outsideProbability * customer.reach
        var bestWindow = 0
        var bestProbability = -1.0
        for window in 0..<CallWindows.count {
            let overlap = blockOverlapHours(customer, window: window)
            let mean = outside + (inside - outside) * Double(overlap) / Double(CallWindows.windowHours)
            let noise = Foundation.exp(ArchetypeWorld.windowNoiseSD * rng.normal())
            let probability = rounded(min(ArchetypeWorld.maximumWindowProbability, mean * noise), places: 4)
            records.windows.append(probability)
            if probability > bestProbability {
                bestProbability = probability
                bestWindow = window
            }
        }
        return bestWindow
    }

    /// Hours of `window` (0, 1 or 2) that fall on a contact weekday inside the customer's hour block.
    static func blockOverlapHours(_ customer: CustomerRecord, window: Int) -> Int {
        guard customer.weekdayMask & (1 << CallWindows.weekday(ofWindow: window)) != 0 else { return 0 }
        let start = CallWindows.startHours[CallWindows.slot(ofWindow: window)]
        let end = start + CallWindows.windowHours
        return max(0, min(end, customer.blockEnd) - max(start, customer.blockStart))
    }
}
