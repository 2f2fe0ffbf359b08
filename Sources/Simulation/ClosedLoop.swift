/// Runs policies through the closed loop and sets their results side by side.
public enum ClosedLoop {
    /// Runs `policy` on a fresh world of `configuration` from its first day to its last.
    /// - Throws: configuration errors, and whatever the policy throws.
    public static func run<Policy: ClosedLoopPolicy>(_ configuration: ClosedLoopConfiguration, policy: inout Policy,
                                                     progress: (String) -> Void = { _ in }) throws -> ClosedLoopOutcome {
        let world = try ClosedLoopWorld(configuration)
        return try run(world, policy: &policy, progress: progress)
    }

    /// The window of `CandidateDayValue` (days): the bundles' default outcome horizon.
    public static let candidateValueHorizonDays = 30

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
        var outcome = ClosedLoopOutcome(policy: policy.name, tally: world.tally, pastDueAtEndUSD: world.pastDueUSD())
        outcome.candidateDayValue = world.candidateDayValue(horizonDays: ClosedLoop.candidateValueHorizonDays)
        let shadows = world.shadowValues(horizonDays: ClosedLoop.candidateValueHorizonDays)
        if !shadows.isEmpty { outcome.shadowValues = shadows }
        return outcome
    }
}

/// One policy's run of the closed loop.
public struct ClosedLoopOutcome: Sendable, Equatable, Codable {
    public var policy: String
    public var tally: ClosedLoopTally
    /// The book's non-disputed past-due balance (US dollars) the day after the loop.
    public var pastDueAtEndUSD: Double
    /// The mean cash per logged call candidate and day (policies that log candidates: the queue's), nil otherwise.
    public var candidateDayValue: CandidateDayValue?
    /// The true value on the same candidate days of each shadow policy's decisions (`ClosedLoopCounterfactual.swift`),
    /// by name; nil without shadow policies.
    public var shadowValues: [String: CandidateDayValue]?

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

/// Policies over several runs of one world (seeds `seed`, `seed + 1`, …): the mean cash caused, its standard error,
/// and the ratio of the summed caused cash to aging's, beside the range of the per-run ratios.
public struct ClosedLoopSummary: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        public var policy: String
        public var meanCashCausedUSD: Double?
        /// Standard error of the mean over the runs (nil with one run).
        public var standardErrorUSD: Double?
        /// Σ cash caused over the runs / Σ aging's.
        public var ratioToAging: Double?
        public var lowestRunRatio: Double?
        public var highestRunRatio: Double?
        public var meanCalls: Double
        public var meanRightPartyContacts: Double
        public var meanPromises: Double
        public var meanKeptPromises: Double
    }

    public var world: String
    public var runs: [ClosedLoopComparison]
    public var rows: [Row]

    /// Summarises `runs` (each the same policies in the same order).
    public init(world: String, runs: [ClosedLoopComparison]) {
        self.world = world
        self.runs = runs
        let policies = runs.first?.rows.map(\.outcome.policy) ?? []
        let agingTotal = Self.total(runs.map { $0.rows.first { $0.outcome.policy == "aging" }?.cashCausedUSD })
        rows = policies.enumerated().map { index, policy in
            let rows = runs.map { $0.rows[index] }
            let caused = rows.map(\.cashCausedUSD)
            let total = Self.total(caused)
            let mean = total.map { $0 / Double(rows.count) }
            var standardError: Double?
            if let mean, rows.count > 1 {
                let squares = caused.compactMap { $0 }.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                standardError = (squares / Double(rows.count - 1) / Double(rows.count)).squareRoot()
            }
            var ratio: Double?
            if let total, let agingTotal, agingTotal > 0 { ratio = total / agingTotal }
            let ratios = rows.compactMap(\.ratioToAging)
            let count = Double(rows.count)
            return Row(policy: policy, meanCashCausedUSD: mean, standardErrorUSD: standardError, ratioToAging: ratio,
                       lowestRunRatio: ratios.count == rows.count ? ratios.min() : nil,
                       highestRunRatio: ratios.count == rows.count ? ratios.max() : nil,
                       meanCalls: Double(rows.reduce(0) { $0 + $1.outcome.tally.calls }) / count,
                       meanRightPartyContacts: Double(rows.reduce(0) { $0 + $1.outcome.tally.rightPartyContacts }) / count,
                       meanPromises: Double(rows.reduce(0) { $0 + $1.outcome.tally.promises }) / count,
                       meanKeptPromises: Double(rows.reduce(0) { $0 + $1.outcome.tally.keptPromises }) / count)
        }
    }

    /// The sum, or nil when any value is missing.
    private static func total(_ values: [Double?]) -> Double? {
        values.reduce(Optional(0.0)) { sum, value in sum.flatMap { sum in value.map { sum + $0 } } }
    }
}
