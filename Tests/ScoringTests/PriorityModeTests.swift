import Foundation
import Scoring
import TestSupport
import Testing

/// The `priority` modes (docs/POLICY.md, "Priority"): each ranks calls.csv by its own formula, prints it in the
/// `priority` column, and leaves `expected_cash` = past_due × cash_share.
@Suite("Priority modes")
struct PriorityModeTests {
    /// Ordinary accounts of different sizes plus a long-delinquent one (escalation off, so it stays callable).
    static func export() -> HandExport {
        var hand = ExclusionRoutingTests.baseline()
        hand.regular("R-BIG", zone: "Europe/Madrid", amount: 3000)
        hand.hopeless("OLD", zone: "Europe/Madrid")
        return hand
    }

    /// The weekly list (`plan: week`) by default: its `priority` column is the mode's formula itself. Under today's plan
    /// (a team reaching every account today, no waiting) it is the formula × P(contact in the planned window) / P(best).
    static func queues(_ mode: QueuePriority, plan: PlanMode = .week) throws -> BuiltQueues {
        try BuiltQueues(Self.export(), policy: QueuePolicy(priority: mode, escalation: false, teamHours: DayHours(start: 0, end: 1440),
                                                           waitDiscountPerDay: 0, plan: plan))
    }

    /// The mode's value from the scores of the account on `row`, over its callable balance.
    static func value(_ mode: QueuePriority, _ queues: BuiltQueues, row: Int) -> Double {
        let scored = queues.scored, output = queues.output
        return mode.value(of: .init(pastDue: output.callablePastDue[row], maxDaysPastDue: output.callableMaxDaysPastDue[row],
                                    pPay: scored.pPay[row], cashShare: scored.cashShare[row], pContact: scored.pContact[row],
                                    callEffect: scored.callEffect?[row]))
    }

    @Test(arguments: QueuePriority.allCases, PlanMode.allCases)
    func eachModeRanksByItsOwnFormula(_ mode: QueuePriority, _ plan: PlanMode) throws {
        let queues = try Self.queues(mode, plan: plan)
        let calls = queues.file("calls.csv")
        // The weekly list calls every candidate; the plan only those whose call is worth something (value > 0).
        let worthACall = ["R-MAD", "R-NYC", "R-BIG", "OLD"].filter { plan == .week || Self.value(mode, queues, row: queues.row(of: $0)!) > 0 }
        #expect(Set(calls.customerIDs) == Set(worthACall))
        let planned = Dictionary(uniqueKeysWithValues: queues.output.plannedCalls.map { ($0.row, $0.pContact) })
        let values = calls.customerIDs.map { id in
            let row = queues.row(of: id)!
            let best = queues.scored.windowContact(ofRow: row).max()!
            return Self.value(mode, queues, row: row) * (planned[row].map { $0 / best } ?? 1)
        }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 > $1 }, "\(mode): \(calls.customerIDs) by \(values)")
        #expect(calls.column("priority") == values.map { String(format: "%.2f", $0) })
        for (i, id) in calls.customerIDs.enumerated() {
            let row = queues.row(of: id)!
            let cash = queues.output.callablePastDue[row] * queues.scored.cashShare[row]
            #expect(calls.column("expected_cash")[i] == String(format: "%.2f", cash), "\(mode) \(id): expected_cash")
        }
    }

    /// The hand-computable formulas: aging = past_due × max_days_past_due puts the oldest large debt first; the
    /// pay-likelihood ranking is past_due × p_pay × p_contact.
    @Test func agingAndPayLikelihoodOrders() throws {
        let aging = try Self.queues(.aging).file("calls.csv")
        // OLD: 8000 × 185; R-BIG: 6000 × 50; R-NYC: 1600 × 50; R-MAD: 1000 × 50.
        #expect(aging.customerIDs == ["OLD", "R-BIG", "R-NYC", "R-MAD"])
        #expect(aging.column("priority") == ["1480000.00", "300000.00", "80000.00", "50000.00"])
        let pay = try Self.queues(.payLikelihood).file("calls.csv")
        for i in pay.rows.indices {
            let expected = pay.numbers("past_due_balance")[i] * pay.numbers("p_pay")[i] * pay.numbers("p_contact")[i]
            #expect(abs(pay.numbers("priority")[i] - expected) <= 0.0101 + 0.0001 * pay.numbers("past_due_balance")[i])
        }
        #expect(pay.customerIDs.first == "R-BIG" && aging.customerIDs != pay.customerIDs)
    }
}

extension PriorityModeTests {
    /// incremental_cash multiplies a per-contact effect by P(contact), and takes a per-call effect (a model learnt from
    /// logged selections) as it is; without a model it is expected cash.
    @Test func incrementalCashTakesAPerCallEffectWithoutTheContactProbability() {
        let perContact = QueuePriority.Inputs(pastDue: 1000, maxDaysPastDue: 40, pPay: 0.5, cashShare: 0.4, pContact: 0.25,
                                              callEffect: 0.2)
        var perCall = perContact
        perCall.callEffectIsPerCall = true
        var none = perContact
        none.callEffect = nil
        #expect(QueuePriority.incrementalCash.value(of: perContact) == 1000 * 0.2 * 0.25)
        #expect(QueuePriority.incrementalCash.value(of: perCall) == 1000 * 0.2)
        #expect(QueuePriority.incrementalCash.value(of: none) == QueuePriority.expectedCash.value(of: none))
    }
}
