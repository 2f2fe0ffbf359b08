import CivilTime

/// What to simulate in the closed loop: the world (as `arscore generate` would make it), the calling period and the
/// daily capacity.
///
/// The history `[start − historyMonths, start)` is the generator's (calls by its aging policy); from `start`, day by
/// day, a policy chooses the calls of each local weekday until `callingDays` weekdays have passed, then `tailDays`
/// days without calls let late effects (promises, raised hazards) land.
public struct ClosedLoopConfiguration: Sendable, Codable, Equatable {
    /// Which causal story the world follows (`WorldKind`).
    public var world: WorldKind
    /// Number of customers (1 … 1,000,000).
    public var customers: Int
    /// Months of history before `start` (1 … 120).
    public var historyMonths: Int
    /// Seed of the world: the history's streams and the loop's per-(customer, day) streams.
    public var seed: UInt64
    /// First day of the loop, `YYYY-MM-DD` (the day after the history).
    public var start: String
    /// Weekdays on which the policy calls (1 … 260).
    public var callingDays: Int
    /// Days without calls after the calling period (0 … 365).
    public var tailDays: Int
    /// Calls a day (≥ 0).
    public var capacity: Int

    public init(world: WorldKind = .lift, customers: Int = 3000, historyMonths: Int = 12, seed: UInt64 = 1,
                start: String = "2026-11-02", callingDays: Int = 60, tailDays: Int = 30, capacity: Int = 75) {
        self.world = world
        self.customers = customers
        self.historyMonths = historyMonths
        self.seed = seed
        self.start = start
        self.callingDays = callingDays
        self.tailDays = tailDays
        self.capacity = capacity
    }

    /// The generator configuration of the history before `start`.
    public var history: GeneratorConfiguration {
        GeneratorConfiguration(customers: customers, months: historyMonths, seed: seed, end: start, world: world)
    }

    /// Largest accepted customer count (the loop holds the whole book in memory).
    public static let maximumCustomers = 1_000_000

    /// Checks every field; returns the history's first day, the loop's first day and the day after its last.
    func validatedDays() throws(GeneratorError) -> (historyStart: Int, start: Int, end: Int) {
        guard customers >= 1, customers <= Self.maximumCustomers else {
            throw .invalidConfiguration("customers must be between 1 and \(Self.maximumCustomers) (got \(customers))")
        }
        guard (1...260).contains(callingDays) else {
            throw .invalidConfiguration("calling days must be between 1 and 260 (got \(callingDays))")
        }
        guard (0...365).contains(tailDays) else {
            throw .invalidConfiguration("tail days must be between 0 and 365 (got \(tailDays))")
        }
        guard capacity >= 0 else { throw .invalidConfiguration("capacity must be ≥ 0 (got \(capacity))") }
        let range = try history.validatedRange()
        let lastCallingDay = Self.callingDays(from: range.end, count: callingDays).last ?? range.end
        return (range.start, range.end, lastCallingDay + 1 + tailDays)
    }

    /// The first `count` weekdays (Mon–Fri) from `start` on, as day numbers.
    static func callingDays(from start: Int, count: Int) -> [Int] {
        var days: [Int] = []
        var day = start
        while days.count < count {
            if CivilDate.weekday(Int32(day)) < 5 { days.append(day) }
            day += 1
        }
        return days
    }
}
