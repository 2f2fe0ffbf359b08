import CivilTime
import Foundation
@testable import Simulation
import TestSupport
import Testing

/// Calls one customer once, on the loop's first day, at 10:00 local.
private struct SingleCallPolicy: ClosedLoopPolicy {
    let name = "single"
    let customer: Int
    func plan(_ world: ClosedLoopWorld, capacity: Int) -> [PlannedCall] {
        world.day == world.start ? [PlannedCall(customer: customer, secondOfDay: 10 * 3600)] : []
    }
}

@Suite("Closed loop")
struct ClosedLoopTests {
    static let small = ClosedLoopConfiguration(customers: 400, historyMonths: 6, seed: 5, start: "2026-11-02",
                                               callingDays: 15, tailDays: 10, capacity: 12)

    @Test func theHistoryBeforeTheLoopIsTheGeneratorsExport() throws {
        let folder = try TemporaryFolder("closed-loop-history")
        _ = try HistoryGenerator.generate(Self.small.history, into: folder.path("generated"))
        try ClosedLoopWorld(Self.small).writeExport(to: folder.path("loop"))
        for file in ["customers.csv", "invoices.csv", "payments.csv", "calls.csv", "promises.csv"] {
            let loop = try folder.read("loop/" + file), generated = try folder.read("generated/" + file)
            #expect(loop == generated, "\(file)")
        }
    }

    @Test func theSamePolicyOnTheSameSeedGivesTheSameOutcome() throws {
        var first = AgingCallPolicy(), second = AgingCallPolicy()
        let a = try ClosedLoop.run(Self.small, policy: &first), b = try ClosedLoop.run(Self.small, policy: &second)
        #expect(a == b)
    }

    @Test func noCallsMeansNoCallsAndCapacityIsNeverExceeded() throws {
        var none = NoCallPolicy()
        let quiet = try ClosedLoop.run(Self.small, policy: &none)
        #expect(quiet.tally.calls == 0 && quiet.tally.promises == 0)
        var aging = AgingCallPolicy()
        let busy = try ClosedLoop.run(Self.small, policy: &aging)
        #expect(busy.tally.calls > 0)
        #expect(busy.tally.calls <= Self.small.capacity * Self.small.callingDays)
        #expect(busy.tally.rightPartyContacts <= busy.tally.calls && busy.tally.keptPromises <= busy.tally.promises)
    }

    /// Common random numbers: one call changes the called customer's rows and nobody else's.
    @Test func aCallChangesOnlyTheCalledCustomersWorld() throws {
        let quiet = try ClosedLoopWorld(Self.small), called = try ClosedLoopWorld(Self.small)
        let views = quiet.accountViews()
        let target = try #require(views.firstIndex { $0.collectorsWouldCall })
        var none = NoCallPolicy(), single = SingleCallPolicy(customer: target)
        _ = try ClosedLoop.run(quiet, policy: &none)
        let outcome = try ClosedLoop.run(called, policy: &single)
        #expect(outcome.tally.calls == 1)
        func payments(_ world: ClosedLoopWorld, customer: Int) -> [String] {
            world.records.payments.filter { Int($0.customer) == customer }.map { "\($0.day) \($0.amount)" }
        }
        for customer in 0..<Self.small.customers where customer != target {
            #expect(payments(quiet, customer: customer) == payments(called, customer: customer), "customer \(customer)")
        }
        #expect(called.records.calls.count == quiet.records.calls.count + 1)
    }

    @Test func policiesCallOnlyOnWeekdaysOfTheCallingPeriod() throws {
        let world = try ClosedLoopWorld(Self.small)
        #expect(world.callingDays.count == Self.small.callingDays)
        #expect(world.callingDays.allSatisfy { CivilDate.weekday(Int32($0)) < 5 })
        #expect(world.end == world.callingDays.last! + 1 + Self.small.tailDays)
        var aging = AgingCallPolicy()
        let historyCalls = world.records.calls.count
        _ = try ClosedLoop.run(world, policy: &aging)
        for call in world.records.calls[historyCalls...] {
            let localDay = (Int(call.utcSeconds) + world.tables.utcOffset(zone: world.customers[Int(call.customer)].account.zone,
                                                                          day: Int(call.utcSeconds) / 86_400)) / 86_400
            #expect(CivilDate.weekday(Int32(localDay)) < 5)
            #expect(localDay >= world.start && localDay <= world.callingDays.last!)
        }
    }

    /// The oracle knows the world: its calls must cause more cash than calling at random and than aging here.
    @Test func theOracleCausesMoreCashThanRandomCalling() throws {
        var none = NoCallPolicy(), random = RandomCallPolicy(seed: 3), oracle = OracleCallPolicy(rollouts: 8)
        let baseline = try ClosedLoop.run(Self.small, policy: &none).tally.cashUSD
        let randomCash = try ClosedLoop.run(Self.small, policy: &random).tally.cashUSD - baseline
        let oracleCash = try ClosedLoop.run(Self.small, policy: &oracle).tally.cashUSD - baseline
        #expect(oracleCash > randomCash)
        #expect(oracleCash > 0)
    }

    @Test func theComparisonMeasuresCausedCashAgainstNoCallsAndRatiosAgainstAging() {
        func outcome(_ name: String, _ cash: Double) -> ClosedLoopOutcome {
            var tally = ClosedLoopTally()
            tally.cashUSD = cash
            return ClosedLoopOutcome(policy: name, tally: tally, pastDueAtEndUSD: 0)
        }
        let comparison = ClosedLoopComparison(configuration: Self.small, world: "lift",
                                              outcomes: [outcome("none", 100), outcome("aging", 140), outcome("queue", 160)])
        #expect(comparison.rows.map(\.cashCausedUSD) == [0, 40, 60])
        #expect(comparison.rows.map(\.ratioToAging) == [0, 1, 1.5])
        let noBaseline = ClosedLoopComparison(configuration: Self.small, world: "lift", outcomes: [outcome("aging", 140)])
        #expect(noBaseline.rows[0].cashCausedUSD == nil && noBaseline.rows[0].ratioToAging == nil)
    }

    @Test func badConfigurationsAreRefusedNamingTheField() {
        var configuration = Self.small
        configuration.callingDays = 0
        #expect(throws: GeneratorError.invalidConfiguration("calling days must be between 1 and 260 (got 0)")) {
            try ClosedLoopWorld(configuration)
        }
        configuration = Self.small
        configuration.capacity = -1
        #expect(throws: GeneratorError.invalidConfiguration("capacity must be ≥ 0 (got -1)")) { try ClosedLoopWorld(configuration) }
        configuration = Self.small
        configuration.start = "2026-13-01"
        #expect(throws: GeneratorError.self) { try ClosedLoopWorld(configuration) }
    }

    @Test func customerIdsRoundTrip() throws {
        let world = try ClosedLoopWorld(Self.small)
        #expect(world.customerID(0) == "C000001")
        #expect(world.customerIndex(ofID: "C000400") == 399)
        #expect(world.customerIndex(ofID: "C000401") == nil)
        #expect(world.customerIndex(ofID: "C00001") == nil)
        #expect(world.customerIndex(ofID: "X000001") == nil)
    }
}
