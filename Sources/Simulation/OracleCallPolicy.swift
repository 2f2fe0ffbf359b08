import CallGrid
import CivilTime
import Parallelism

/// The limit: a policy that knows the world's rules and every customer's latent traits (not the random numbers the
/// world has yet to reveal) and calls the accounts where a call today causes the most cash.
///
/// For each account the collectors' rules allow, the value of a call is estimated by paired rollouts of the
/// customer's own world to the end of the loop (or over the next `horizonDays` when set): from the state as it stands with its already-drawn but unseen
/// randomness redrawn (`forgettingRealizedDraws`), once with a call today in the customer's truly best window of
/// today's weekday and once without, on common random numbers, with no further calls in either; the mean difference
/// in cash (US dollars) over `rollouts` pairs is the call's value. The top `capacity` positive values are called.
public struct OracleCallPolicy: ClosedLoopPolicy {
    public let name = "oracle"
    /// Days each rollout looks ahead; nil: to the end of the loop, the span over which caused cash is counted.
    public var horizonDays: Int?
    public var rollouts: Int
    public var seed: UInt64

    public init(horizonDays: Int? = nil, rollouts: Int = 16, seed: UInt64 = 11) {
        self.horizonDays = horizonDays
        self.rollouts = rollouts
        self.seed = seed
    }

    public func plan(_ world: ClosedLoopWorld, capacity: Int) -> [PlannedCall] {
        guard capacity > 0 else { return [] }
        let callable = world.accountViews().filter(\.callable).map(\.customer)
        let times = callable.map { world.secondOfDay(customer: $0, windowStartHour: world.bestWindowStartHour(customer: $0)) }
        let values = incrementalCash(world, customers: callable, seconds: times)
        let order = callable.indices.filter { values[$0] > 0 }.sorted { a, b in
            values[a] != values[b] ? values[a] > values[b] : callable[a] < callable[b]
        }
        return order.prefix(capacity).map { PlannedCall(customer: callable[$0], secondOfDay: times[$0]) }
    }

    /// The estimated cash a call at `seconds[i]` today causes for each of `customers`, in parallel.
    private func incrementalCash(_ world: ClosedLoopWorld, customers: [Int], seconds: [Int]) -> [Double] {
        let horizon = horizonDays ?? (world.end - world.day), rollouts = rollouts, seed = seed
        return ArrayBuilder.make(customers.count) { (output: UnsafeMutablePointer<Double>) in
            let target = UncheckedPointer(output)
            Parallel.forEachChunk(count: customers.count, minimumChunk: 16) { _, range in
                let scratch = ChunkRecords()
                scratch.windows = world.records.windows
                scratch.invoiceRecordBase = world.records.invoices.count
                for position in range {
                    target.pointer![position] = world.incrementalCash(
                        customer: customers[position], secondOfDay: seconds[position], horizon: horizon,
                        rollouts: rollouts, seed: seed, scratch: scratch)
                }
            }
        }
    }
}

extension ClosedLoopWorld {
    /// The start hour of the customer's most likely right-party window on today's weekday (from its truth).
    func bestWindowStartHour(customer: Int) -> Int {
        let weekday = min(CivilDate.weekday(Int32(day)), CallWindows.weekdays - 1)
        let base = customers[customer].account.windowBase
        var bestSlot = 0
        for slot in 1..<CallWindows.windowsPerDay
        where records.windows[base + CallWindows.window(weekday: weekday, slot: slot)]
            > records.windows[base + CallWindows.window(weekday: weekday, slot: bestSlot)] {
            bestSlot = slot
        }
        return CallWindows.startHours[bestSlot]
    }

    /// Mean over `rollouts` paired rollouts of the cash (US dollars) the customer pays in the next `horizon` days with
    /// a call today at `secondOfDay` minus without it. `scratch` collects the rollouts' rows (its `windows` must be
    /// the world's).
    func incrementalCash(customer: Int, secondOfDay: Int, horizon: Int, rollouts: Int, seed: UInt64,
                         scratch: ChunkRecords) -> Double {
        var total = 0.0
        for rollout in 0..<rollouts {
            var reset = RandomSource(seed: seed, customer: customer, day: day, purpose: 1000 + UInt64(rollout))
            let unseen = customers[customer].forgettingRealizedDraws(rng: &reset)
            let called = rolloutCash(unseen, customer: customer, call: secondOfDay, horizon: horizon, seed: seed,
                                     rollout: rollout, scratch: scratch)
            let uncalled = rolloutCash(unseen, customer: customer, call: nil, horizon: horizon, seed: seed,
                                       rollout: rollout, scratch: scratch)
            total += called - uncalled
        }
        return total / Double(max(1, rollouts))
    }

    /// The cash one rollout of `start` pays from today over `horizon` days, with or without a call today.
    private func rolloutCash(_ start: CustomerWorld, customer: Int, call secondOfDay: Int?, horizon: Int, seed: UInt64,
                             rollout: Int, scratch: ChunkRecords) -> Double {
        scratch.invoices.removeAll(keepingCapacity: true)
        scratch.payments.removeAll(keepingCapacity: true)
        scratch.calls.removeAll(keepingCapacity: true)
        scratch.promises.removeAll(keepingCapacity: true)
        scratch.disputes.removeAll(keepingCapacity: true)
        var world = start
        for rolloutDay in day..<(day + horizon) {
            var rng = RandomSource(seed: seed, customer: customer, day: rolloutDay, purpose: 2000 + UInt64(rollout))
            _ = world.beginDay(rolloutDay, rng: &rng, records: scratch)
            if rolloutDay == day, let secondOfDay {
                var callRng = RandomSource(seed: seed, customer: customer, day: rolloutDay, purpose: 3000 + UInt64(rollout))
                world.placeCall(on: rolloutDay, secondOfDay: secondOfDay, context: context, rng: &callRng, records: scratch)
            }
        }
        var minor: Int64 = 0
        for payment in scratch.payments { minor += payment.amount }
        return Double(minor) / start.account.minorPerUSD
    }
}
