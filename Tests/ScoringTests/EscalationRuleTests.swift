import Foundation
import Scoring
import TestSupport
import Testing

/// Escalation (docs/POLICY.md): only long-delinquent accounts whose call is expected to bring less than the
/// escalation path, call value = past_due × cash_share × p_contact < escalation_recovery_share × past_due.
@Suite("Escalation only where a call brings less than the escalation path")
struct EscalationRuleTests {
    static func export() -> HandExport {
        var hand = ExclusionRoutingTests.baseline()
        hand.hopeless("ESC", zone: "Europe/Madrid")  // 185 days past due
        return hand
    }

    /// The account's call value as a share of its callable past-due balance: cash_share × p_contact.
    static func callShare(_ queues: BuiltQueues, _ id: String) throws -> Double {
        let row = try #require(queues.row(of: id))
        return queues.scored.cashShare[row] * queues.scored.pContact[row]
    }

    @Test func escalatesOnlyWhenTheCallValueIsBelowTheRecoveryPath() throws {
        let hand = Self.export()
        let defaults = try BuiltQueues(hand)
        let share = try Self.callShare(defaults, "ESC")
        #expect(share > 0 && share < 0.5, "ESC: a call is expected to bring \(share) of its past-due balance")
        let escalatedByDefault = share < QueuePolicy().escalationRecoveryShare
        #expect(defaults.file("escalations.csv").customerIDs == (escalatedByDefault ? ["ESC"] : []))
        #expect(defaults.file("calls.csv").customerIDs.contains("ESC") == !escalatedByDefault)
        let above = try BuiltQueues(hand, policy: QueuePolicy(escalationRecoveryShare: share * 1.01))
        #expect(above.file("escalations.csv").customerIDs == ["ESC"])
        #expect(above.output.exclusions["escalation"] == 1)
        let below = try BuiltQueues(hand, policy: QueuePolicy(escalationRecoveryShare: share * 0.99))
        #expect(below.file("escalations.csv").rows.isEmpty && below.output.exclusions["escalation"] == 0)
        #expect(below.file("calls.csv").customerIDs.contains("ESC"), "a call worth more than the recovery path is made")
    }

    /// Accounts younger than `escalation_minimum_days_past_due` are never escalated, whatever the recovery share.
    @Test func youngAccountsAreNeverEscalated() throws {
        let queues = try BuiltQueues(Self.export(), policy: QueuePolicy(escalationRecoveryShare: 1))
        #expect(queues.file("escalations.csv").customerIDs == ["ESC"])
        let later = try BuiltQueues(Self.export(), policy: QueuePolicy(escalationMinimumDaysPastDue: 186,
                                                                       escalationRecoveryShare: 1))
        #expect(later.file("escalations.csv").rows.isEmpty)
        #expect(Set(later.file("calls.csv").customerIDs) == ["R-MAD", "R-NYC", "ESC"])
    }

    /// `escalation: false` (and a recovery share of 0) routes nothing to escalations.csv.
    @Test func switchedOffNothingIsEscalated() throws {
        for policy in [QueuePolicy(escalation: false), QueuePolicy(escalation: false, escalationRecoveryShare: 1),
                       QueuePolicy(escalationRecoveryShare: 0)] {
            let queues = try BuiltQueues(Self.export(), policy: policy)
            #expect(queues.file("escalations.csv").rows.isEmpty, "\(policy)")
            #expect(queues.output.exclusions["escalation"] == 0)
            #expect(queues.file("calls.csv").customerIDs.contains("ESC"))
        }
    }

    /// escalations.csv shows the rule's two sides: call_value = expected_cash × p_contact, recovery_value = share ×
    /// past_due.
    @Test func escalationRowsShowTheCallValueAndTheRecoveryValue() throws {
        let queues = try BuiltQueues(Self.export(), policy: QueuePolicy(escalationRecoveryShare: 0.5))
        let row = try #require(queues.file("escalations.csv").row(customer: "ESC"))
        let cash = try #require(Double(row["expected_cash"] ?? "")), pContact = try #require(Double(row["p_contact"] ?? ""))
        let value = try #require(Double(row["call_value"] ?? ""))
        #expect(abs(value - cash * pContact) <= 0.0101 + 0.00005 * cash)
        #expect(row["recovery_value"] == "4000.00" && value < 4000)
    }
}
