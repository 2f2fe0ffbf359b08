import Queues
@testable import Scoring
import Testing

/// The wait rule of today's plan on hand-built candidates (docs/QUEUES.md, "Today's plan"): a UTC 08:00–18:00 team on
/// Wednesday 2026-06-17, which reaches New York's (UTC−4) 08–10, 10–12 and 12–14 blocks and none of Auckland's.
@Suite("Wait rule")
struct WaitRuleTests {
    static let asOf: Int32 = 20_621   // Wednesday 2026-06-17
    static let zones = ["America/New_York", "Pacific/Auckland"]

    static func policy(capacity: Int?) -> QueuePolicy {
        var policy = QueuePolicy(plan: .today)
        policy.capacity = capacity
        policy.explorationShare = 0
        policy.waitDiscountPerDay = 1
        return policy
    }

    /// A New York candidate (zone 0 unless set) with P(contact) 0.1 in every window but the ones given.
    static func candidate(_ row: Int, zone: Int = 0, priority: Double = 100, _ windows: [Int: Double]) -> TodayPlan.Candidate {
        var contact = [Double](repeating: 0.1, count: 25)
        for (window, p) in windows { contact[window] = p }
        return TodayPlan.Candidate(row: row, id: "C\(row)", priority: priority, zone: zone, windowContact: contact)
    }

    static func plan(_ candidates: [TodayPlan.Candidate], capacity: Int?) throws -> TodayPlan {
        let policy = Self.policy(capacity: capacity)
        let grid = try SlotGrid(policy: policy, asOf: asOf, zoneNames: zones, clock: WindowClock(asOfDay: Int(asOf)))
        return TodayPlan(candidates: candidates, grid: grid, policy: policy, asOf: asOf)
    }

    @Test func aBestWindowTheTeamNeverServesIsNotWaitedFor() throws {
        // Best window Thu 16–18 (19): no slot reaches New York's 16–18 block, so Wed 08–10 (10) today is the best there is.
        let plan = try Self.plan([Self.candidate(0, [10: 0.3, 19: 0.9])], capacity: nil)
        #expect(plan.betterAnotherDay.isEmpty)
        #expect(plan.calls.map(\.row) == [0] && plan.calls.first?.window == 10)
    }

    @Test func aStrongerServedWindowLaterInTheWeekIsWaitedForWithoutACapacity() throws {
        // Best window Thu 08–10 (15), a block the team serves: with no discount it waits for it.
        let plan = try Self.plan([Self.candidate(0, [10: 0.3, 15: 0.9]), Self.candidate(1, [10: 0.5])], capacity: nil)
        #expect(plan.betterAnotherDay == [0])
        #expect(plan.calls.map(\.row) == [1])
    }

    @Test func waitingAccountsFillIdleCapacity() throws {
        let candidates = [Self.candidate(0, [10: 0.3, 15: 0.9]), Self.candidate(1, [10: 0.5]), Self.candidate(2, priority: 50, [16: 0.9])]
        let roomy = try Self.plan(candidates, capacity: 2)
        // One planned account and two waiting for a capacity of two: the higher-valued waiting one fills the room.
        #expect(roomy.calls.count == 2 && Set(roomy.calls.map(\.row)) == [0, 1])
        #expect(roomy.betterAnotherDay == [2] && roomy.cutByCapacity == 0 && roomy.priorityCount == 2)
        let tight = try Self.plan(candidates, capacity: 1)
        #expect(tight.calls.map(\.row) == [1] && Set(tight.betterAnotherDay) == [0, 2])
    }

    @Test func anAccountWithoutAnOptionTodayIsBetterAnotherDayEvenWithRoom() throws {
        // Auckland (zone 1) has no slot today and a zero priority has no option: neither fills the idle room.
        let plan = try Self.plan([Self.candidate(0, zone: 1, [10: 0.9]), Self.candidate(1, priority: 0, [10: 0.9]),
                                  Self.candidate(2, [10: 0.5])], capacity: 3)
        #expect(Set(plan.betterAnotherDay) == [0, 1])
        #expect(plan.calls.map(\.row) == [2] && plan.cutByCapacity == 0)
    }
}
