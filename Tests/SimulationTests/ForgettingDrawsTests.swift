import CivilTime
import Foundation
import Testing
@testable import Simulation

/// `CustomerWorld.forgettingRealizedDraws`: the copy an oracle rolls forward knows the rules, not the drawn numbers.
@Suite("Forgetting realized draws")
struct ForgettingDrawsTests {
    /// `count` customers' worlds as they stand at the end of a six-month history.
    private func worlds(_ world: WorldKind, count: Int) throws -> [CustomerWorld] {
        let start = Int(CivilDate.parseExact("2025-11-01")!), end = Int(CivilDate.parseExact("2026-05-01")!)
        let tables = try TimeTables(start: start, end: end)
        let simulator = CustomerSimulator(seed: 17, start: start, end: end, customerCount: count, tables: tables, world: world)
        let records = ChunkRecords()
        records.reset(firstCustomer: 0)
        return (0..<count).map { simulator.simulate(customer: $0, into: records) }
    }

    @Test(arguments: WorldKind.allCases)
    func redrawnThresholdsLieAboveTheAccruedHazardAndTheSameStreamGivesTheSameCopy(world: WorldKind) throws {
        var openInvoices = 0, changed = 0
        for (index, customer) in try worlds(world, count: 300).enumerated() {
            var first = RandomSource(seed: 5, customer: index, day: 0, purpose: 1)
            var second = first
            let copy = customer.forgettingRealizedDraws(rng: &first)
            let again = customer.forgettingRealizedDraws(rng: &second)
            #expect(copy.open.count == customer.open.count)
            for position in copy.open.indices {
                openInvoices += 1
                let invoice = copy.open[position]
                #expect(invoice.threshold > invoice.cumulative)
                #expect(invoice.cumulative == customer.open[position].cumulative && invoice.remaining == customer.open[position].remaining)
                #expect(invoice.threshold == again.open[position].threshold && invoice.neverPaid == again.open[position].neverPaid)
                if invoice.threshold != customer.open[position].threshold { changed += 1 }
            }
            #expect(copy.state.promise?.kept == again.state.promise?.kept)
            #expect(copy.state.promise?.paymentDay == again.state.promise?.paymentDay)
        }
        #expect(openInvoices > 100 && changed == openInvoices, "open invoices \(openInvoices), redrawn \(changed)")
    }

    /// A customer with an open invoice (the first one found).
    private func customerWithOpenInvoice(_ world: WorldKind) throws -> CustomerWorld {
        try #require(try worlds(world, count: 100).first { !$0.open.isEmpty })
    }

    @Test func archetypesRedrawTheOutcomeOfAPromiseWhoseDateIsToCome() throws {
        var customer = try customerWithOpenInvoice(.archetypes)
        let today = customer.state.lastDay
        customer.state.promise = CustomerWorld.ActivePromise(
            windowEnd: today + 8, kept: true, paymentDay: today + 5, paymentAmount: 700, record: 0,
            promisedDay: today + 5, promisedAmount: 700, keptProbability: 0.3)
        var kept = 0
        let draws = 4000
        for draw in 0..<draws {
            var rng = RandomSource(seed: 9, customer: draw, day: 0, purpose: 2)
            let promise = try #require(customer.forgettingRealizedDraws(rng: &rng).state.promise)
            if promise.kept {
                kept += 1
                #expect(promise.paymentDay == today + 5 && promise.paymentAmount == 700)
            } else {
                #expect(promise.paymentDay == Int.min && promise.paymentAmount == 0)
            }
        }
        #expect(abs(Double(kept) / Double(draws) - 0.3) < 0.03, "kept share \(Double(kept) / Double(draws))")
        // Once the promised date has come, the outcome is revealed and stays.
        customer.state.lastDay = today + 5
        var rng = RandomSource(seed: 9, customer: 0, day: 0, purpose: 3)
        #expect(customer.forgettingRealizedDraws(rng: &rng).state.promise?.kept == true)
    }

    @Test func liftRedrawsNeverPaidGivenThatTheDisputedInvoiceIsStillOpen() throws {
        var customer = try customerWithOpenInvoice(.lift)
        customer.open[0].disputed = true
        customer.open[0].partlyPaid = false
        func neverPaidShare(cumulative: Double) -> Double {
            customer.open[0].cumulative = cumulative
            var count = 0
            for draw in 0..<4000 {
                var rng = RandomSource(seed: 3, customer: draw, day: 0, purpose: 4)
                if customer.forgettingRealizedDraws(rng: &rng).open[0].neverPaid { count += 1 }
            }
            return Double(count) / 4000
        }
        let share = World.disputedNeverPaidShare
        #expect(abs(neverPaidShare(cumulative: 0) - share) < 0.03)
        let posterior = share / (share + (1 - share) * Foundation.exp(-1.5))
        #expect(abs(neverPaidShare(cumulative: 1.5) - posterior) < 0.03)
        // A partly paid invoice is known to be payable.
        customer.open[0].partlyPaid = true
        customer.open[0].neverPaid = false
        #expect(neverPaidShare(cumulative: 3) == 0)
    }
}
