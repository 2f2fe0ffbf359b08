/// Runs policies through the closed loop and sets their results side by side.
public enum ClosedLoop {
    /// Runs `policy` on a fresh world of `configuration` from its first day to its last.
    /// - Throws: configuration errors, and whatever the policy throws.
    public static func run<Policy: ClosedLoopPolicy>(_ configuration: ClosedLoopConfiguration, policy: inout Policy,
                                                     progress: (String) -> Void = { _ in }) throws -> ClosedLoopOutcome {
        let world = try ClosedLoopWorld(configuration)
        return try run(world, policy: &policy, progress: progress)
    }

    /// Runs `policy` on `world` (at its first day) to the loop's last day.
    public static func run<Policy: ClosedLoopPolicy>(_ world: ClosedLoopWorld, policy: inout Policy,
                                                     progress: (String) -> Void = { _ in }) throws -> ClosedLoopOutcome {
        let capacity = world.configuration.capacity
        var callingDay = 0
        while !world.isFinished {
            var calls: [PlannedCall] = []
            if world.isCallingDay {
                callingDay += 1
                calls = Array(try policy.plan(world, capacity: capacity).prefix(capacity))
                if callingDay % 10 == 0 { progress("\(policy.name): calling day \(callingDay) of \(world.callingDays.count)") }
            }
            world.step(calls: calls)
        }
        return ClosedLoopOutcome(policy: policy.name, tally: world.tally, pastDueAtEndUSD: world.pastDueUSD())
    }
}

/// One policy's run of the closed loop.
public struct ClosedLoopOutcome: Sendable, Equatable, Codable {
    public var policy: String
    public var tally: ClosedLoopTally
    /// The book's non-disputed past-due balance (US dollars) the day after the loop.
    public var pastDueAtEndUSD: Double

    public init(policy: String, tally: ClosedLoopTally, pastDueAtEndUSD: Double) {
        self.policy = policy
        self.tally = tally
        self.pastDueAtEndUSD = pastDueAtEndUSD
    }
}

/// Policies' outcomes on one world, with the cash their calls caused against the no-call run and the ratio to aging's.
public struct ClosedLoopComparison: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        public var outcome: ClosedLoopOutcome
        /// Cash collected minus the no-call run's (US dollars); nil without a `none` run.
        public var cashCausedUSD: Double?
        /// `cashCausedUSD` over the aging policy's; nil without both runs or when aging caused nothing.
        public var ratioToAging: Double?
    }

    public var configuration: ClosedLoopConfiguration
    public var world: String
    public var rows: [Row]

    /// Sets `outcomes` side by side: caused cash against the one named `none`, ratios against the one named `aging`.
    public init(configuration: ClosedLoopConfiguration, world: String, outcomes: [ClosedLoopOutcome]) {
        self.configuration = configuration
        self.world = world
        let baseline = outcomes.first { $0.policy == "none" }?.tally.cashUSD
        let caused = { (outcome: ClosedLoopOutcome) in baseline.map { outcome.tally.cashUSD - $0 } }
        let aging = outcomes.first { $0.policy == "aging" }.flatMap(caused)
        rows = outcomes.map { outcome in
            let cash = caused(outcome)
            var ratio: Double?
            if let cash, let aging, aging > 0 { ratio = cash / aging }
            return Row(outcome: outcome, cashCausedUSD: cash, ratioToAging: ratio)
        }
    }
}
