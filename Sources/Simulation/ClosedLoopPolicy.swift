/// Chooses the calls of one day of the closed loop.
///
/// `plan` is called at the start of every calling day, before the day's events, with the world as it stands (a
/// policy that plays fair reads only `world.accountViews()` or `world.writeExport(to:)`: rows before today; the
/// oracle reads the world's truth). It returns at most `capacity` calls.
public protocol ClosedLoopPolicy {
    /// The policy's name in reports.
    var name: String { get }
    mutating func plan(_ world: ClosedLoopWorld, capacity: Int) throws -> [PlannedCall]
}

/// Calls nobody: the baseline every other policy's caused cash is measured against.
public struct NoCallPolicy: ClosedLoopPolicy {
    public let name = "none"
    public init() {}
    public func plan(_ world: ClosedLoopWorld, capacity: Int) -> [PlannedCall] { [] }
}

/// Calls accounts the contact rules allow, drawn uniformly at random (per seed and day), at a time of the agents'
/// shift.
public struct RandomCallPolicy: ClosedLoopPolicy {
    public let name = "random"
    public let seed: UInt64

    public init(seed: UInt64 = 7) { self.seed = seed }

    public func plan(_ world: ClosedLoopWorld, capacity: Int) -> [PlannedCall] {
        var callable = world.accountViews().filter(\.callable).map(\.customer)
        var rng = RandomSource(seed: seed, customer: 0, day: world.day, purpose: 3)
        let count = min(capacity, callable.count)
        for position in 0..<count {
            callable.swapAt(position, position + rng.below(callable.count - position))
        }
        return callable.prefix(count).map { PlannedCall(customer: $0, secondOfDay: world.shiftSecondOfDay(customer: $0)) }
    }
}

/// What collectors do today: call the accounts their practice allows (`AccountView.collectorsWouldCall`: the contact
/// rules, a pause after conversations and disputes, 5+ days past due) in order of past-due balance × days past due (in
/// one currency), at a time of the agents' shift.
public struct AgingCallPolicy: ClosedLoopPolicy {
    public let name = "aging"
    public init() {}

    public func plan(_ world: ClosedLoopWorld, capacity: Int) -> [PlannedCall] {
        let ranked = world.accountViews().filter(\.collectorsWouldCall).sorted { a, b in
            let left = a.pastDueUSD * Double(a.oldestDaysPastDue), right = b.pastDueUSD * Double(b.oldestDaysPastDue)
            return left != right ? left > right : a.customer < b.customer
        }
        return ranked.prefix(capacity).map { PlannedCall(customer: $0.customer, secondOfDay: world.shiftSecondOfDay(customer: $0.customer)) }
    }
}
