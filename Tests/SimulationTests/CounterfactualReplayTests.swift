@testable import Simulation
import Testing

/// The simulator's true value of a policy change: replaying one customer from a logged day on the loop's own random
/// streams reproduces the loop exactly, so a flipped decision's replay is that world's cash.
@Suite("Counterfactual replays")
struct CounterfactualReplayTests {
    /// Aging calls; every callable account is a logged candidate; the shadow calls the callable accounts aging skips.
    struct LoggingAging: ClosedLoopPolicy {
        let name = "logging-aging"
        func plan(_ world: ClosedLoopWorld, capacity: Int) -> [PlannedCall] {
            let calls = AgingCallPolicy().plan(world, capacity: capacity)
            let called = Set(calls.map(\.customer))
            let callable = world.accountViews().filter(\.callable).map(\.customer)
            world.logCandidates(callable)
            world.logShadowCalls("others", calls: callable.filter { !called.contains($0) }.prefix(capacity).map {
                PlannedCall(customer: $0, secondOfDay: world.shiftSecondOfDay(customer: $0))
            })
            world.logShadowCalls("same", calls: calls)
            return calls
        }
    }

    static let configuration = ClosedLoopConfiguration(customers: 250, historyMonths: 4, seed: 21, start: "2026-11-02",
                                                       callingDays: 8, tailDays: 20, capacity: 15)

    @Test func replayingTheLoggedDecisionGivesTheLoggedCash() throws {
        let world = try ClosedLoopWorld(Self.configuration)
        var policy = LoggingAging()
        let outcome = try ClosedLoop.run(world, policy: &policy)
        let horizon = 20
        let actual = world.actualCash(horizonDays: horizon)
        var checked = 0, paying = 0
        for (index, candidate) in world.candidateLog.enumerated() where candidate.day + horizon <= world.end {
            let logged = world.placedCalls[candidate.customer]?[candidate.day]
            let replay = world.replayCash(customer: candidate.customer, from: candidate.day, state: world.candidateStates[index],
                                          callToday: logged, horizonDays: horizon)
            #expect(abs(replay - actual[index]) <= 1e-9 * max(1, actual[index]), "customer \(candidate.customer) day \(candidate.day)")
            checked += 1
            if actual[index] > 0 { paying += 1 }
        }
        #expect(checked > 500 && paying > 50)
        // A shadow that takes the logged decisions has the logged value; one that calls others differs.
        let values = world.shadowValues(horizonDays: horizon)
        let logged = try #require(world.candidateDayValue(horizonDays: horizon))
        #expect(values["same"] == logged)
        #expect(values["others"] != nil && values["others"] != logged)
        #expect(outcome.shadowValues?["same"]?.candidateDays == world.candidateDayValue(horizonDays: 30)?.candidateDays)
    }
}
