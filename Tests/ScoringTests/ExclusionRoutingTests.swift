import Foundation
import Scoring
import TestSupport
import Testing

/// Routing and exclusions of QueueBuilder on hand-built exports: each special account triggers exactly one rule.
@Suite("Queue routing and exclusion rules")
struct ExclusionRoutingTests {
    /// Two ordinary callable accounts, the background of every export here.
    static func baseline(asOf: String = "2026-06-17") -> HandExport {
        var hand = HandExport(asOf: asOf)
        hand.regular("R-MAD", zone: "Europe/Madrid")
        hand.regular("R-NYC", zone: "America/New_York", amount: 800)
        return hand
    }

    /// One export with one account per rule: each rule counts exactly one account, routed to its file.
    @Test func oneAccountPerRuleIsCountedUnderThatRuleAndRouted() throws {
        var hand = Self.baseline()
        hand.regular("DNC", zone: "Europe/Madrid", doNotCall: true)
        hand.customer("DSP", zone: "Europe/Madrid")  // its whole past-due balance is disputed
        hand.invoice("DSP", issued: -60, amount: 300, disputed: true)
        hand.hopeless("ESC", zone: "Europe/Madrid")
        hand.regular("OPN", zone: "Europe/Madrid")
        hand.promise("OPN", created: -7, due: 13, amount: 1000)
        hand.regular("PFU", zone: "America/New_York")
        hand.promise("PFU", created: -12, due: -2, amount: 1000)  // due two days ago: in its 3 grace days
        hand.regular("CAP", zone: "Europe/Madrid")
        for day in [-7, -3, -1] { hand.call("CAP", day: day, hour: 11, outcome: "no_answer") }
        hand.current("LOW", zone: "Europe/Madrid")
        hand.regular("DNT", zone: "Europe/Madrid")
        hand.doNotCallTimes["DNT"] = "Mon-Fri 07:00-19:00"  // every call window blocked
        // A recovery path netting half the past-due balance beats a call to ESC (the default 0.05 does not: docs/POLICY.md).
        let queues = try BuiltQueues(hand, policy: QueuePolicy(capacity: 1, escalationRecoveryShare: 0.5))

        var expected = Dictionary(uniqueKeysWithValues: allExclusionRules.map { ($0, 1) })
        expected["capacity"] = 1  // R-MAD and R-NYC are candidates; one fits
        expected["holdout"] = 0  // holdout_share is 0 by default (the holdout has its own tests: ExplorationHoldoutTests)
        expected["recent_conversation"] = 0  // b2b rules by default (TodayPlanTests covers the consumer rule)
        expected["better_another_day"] = 0  // both have a window today worth calling in (TodayPlanTests covers the rule)
        #expect(queues.output.exclusions == expected)
        #expect(queues.output.accountsScored == 10)
        #expect(queues.file("calls.csv").rows.count == 1)
        #expect(Set(queues.file("calls.csv").customerIDs).isSubset(of: ["R-MAD", "R-NYC"]))
        #expect(queues.file("disputes.csv").customerIDs == ["DSP"])
        #expect(queues.file("escalations.csv").customerIDs == ["ESC"])
        #expect(queues.file("promise_followups.csv").customerIDs == ["PFU"])
        let disputes = try #require(queues.file("disputes.csv").row(customer: "DSP"))
        #expect(disputes["disputed_balance"] == "300.00" && disputes["disputed_invoices"] == "1")
        #expect(disputes["past_due_balance"] == "0.00" && disputes["open_amount"] == "300.00")
        let escalation = try #require(queues.file("escalations.csv").row(customer: "ESC"))
        #expect(escalation["max_days_past_due"] == "185" && escalation["past_due_balance"] == "8000.00")
        #expect(escalation["recovery_value"] == "4000.00")  // 0.5 × 8000
        #expect(Double(escalation["call_value"] ?? "") ?? .infinity < 4000)
        let promise = try #require(queues.file("promise_followups.csv").row(customer: "PFU"))
        #expect(promise["promised_date"] == Days.text(hand.asOf - 2) && promise["remaining_amount"] == "1000.00")
    }

    @Test func withoutCapacityEveryCandidateIsCalledInPriorityOrder() throws {
        var hand = Self.baseline()
        hand.regular("R-BIG", zone: "Europe/Madrid", amount: 3000)
        let queues = try BuiltQueues(hand)
        #expect(queues.output.exclusions["capacity"] == 0)
        #expect(queues.file("calls.csv").customerIDs == ["R-BIG", "R-NYC", "R-MAD"])
        // A capacity of 2 keeps the first two of the same order and counts the third.
        let capped = try BuiltQueues(hand, policy: QueuePolicy(capacity: 2))
        #expect(capped.file("calls.csv").customerIDs == ["R-BIG", "R-NYC"])
        #expect(capped.output.exclusions["capacity"] == 1)
        #expect(capped.output.candidateRows.count == 3)
    }

    /// The contact cap counts attempts on the 7 days before the as-of date: not older ones, not the as-of day's.
    @Test func contactCapCountsTheSevenDaysBeforeTheAsOfDate() throws {
        var hand = Self.baseline()
        hand.regular("CAP-IN", zone: "Europe/Madrid")
        for day in [-7, -3, -1] { hand.call("CAP-IN", day: day, hour: 9, outcome: "no_answer") }
        hand.regular("CAP-OLD", zone: "Europe/Madrid")
        for day in [-8, -3, -1] { hand.call("CAP-OLD", day: day, hour: 9, outcome: "no_answer") }
        hand.regular("CAP-TODAY", zone: "Europe/Madrid")
        for hour in [9, 11, 13] { hand.call("CAP-TODAY", day: 0, hour: hour, outcome: "no_answer") }
        let queues = try BuiltQueues(hand)
        #expect(queues.output.exclusions["contact_cap"] == 1)
        let called = Set(queues.file("calls.csv").customerIDs)
        #expect(!called.contains("CAP-IN"))
        #expect(called.isSuperset(of: ["CAP-OLD", "CAP-TODAY", "R-MAD", "R-NYC"]))
        // A policy of at most 4 attempts in 7 days lets CAP-IN through.
        let loose = try BuiltQueues(hand, policy: QueuePolicy(contactCapAttempts: 4))
        #expect(loose.output.exclusions["contact_cap"] == 0)
        #expect(loose.file("calls.csv").customerIDs.contains("CAP-IN"))
    }

    /// Switched off, each exclusion lets its account through; `exclude_disputed: false` keeps disputed invoices in the
    /// callable balance (DSP is called for 1300, not 1000; DSP-ALL, wholly disputed, is called) and lists none of them.
    @Test func switchedOffExclusionsLetTheAccountThrough() throws {
        var hand = Self.baseline()
        hand.regular("DNC", zone: "Europe/Madrid", doNotCall: true)
        hand.regular("OPN", zone: "Europe/Madrid")
        hand.promise("OPN", created: -7, due: 13, amount: 1000)
        hand.regular("DSP", zone: "Europe/Madrid")
        hand.invoice("DSP", issued: -60, amount: 300, disputed: true)
        hand.customer("DSP-ALL", zone: "Europe/Madrid")
        hand.invoice("DSP-ALL", issued: -60, amount: 300, disputed: true)
        let strict = try BuiltQueues(hand)
        #expect(Set(strict.file("calls.csv").customerIDs) == ["R-MAD", "R-NYC", "DSP"])
        #expect(strict.file("calls.csv").row(customer: "DSP")?["past_due_balance"] == "1000.00")
        #expect(strict.file("disputes.csv").customerIDs.sorted() == ["DSP", "DSP-ALL"])
        let open = try BuiltQueues(hand, policy: QueuePolicy(excludeDoNotCall: false, excludeDisputed: false,
                                                             excludeOpenPromiseNotDue: false, waitDiscountPerDay: 0))
        #expect(Set(open.file("calls.csv").customerIDs) == ["R-MAD", "R-NYC", "DNC", "OPN", "DSP", "DSP-ALL"])
        let dsp = try #require(open.file("calls.csv").row(customer: "DSP"))
        #expect(dsp["past_due_balance"] == "1300.00" && dsp["disputed_balance"] == "300.00")
        #expect(open.file("disputes.csv").rows.isEmpty)
        #expect(open.output.exclusions.values.allSatisfy { $0 == 0 }, "\(open.output.exclusions)")
    }

    @Test func minimumPastDueBalanceFromThePolicy() throws {
        let hand = Self.baseline()  // R-MAD owes 1000 past due, R-NYC 1600
        let queues = try BuiltQueues(hand, policy: QueuePolicy(minimumPastDueBalance: 1200))
        #expect(queues.file("calls.csv").customerIDs == ["R-NYC"])
        #expect(queues.output.exclusions["below_minimum_past_due"] == 1)
    }

    /// A do-not-call account with a dispute is not routed to disputes.csv (nobody may call it), and counted once.
    @Test func doNotCallWinsOverDispute() throws {
        var hand = Self.baseline()
        hand.regular("DNC-DSP", zone: "Europe/Madrid", doNotCall: true)
        hand.invoice("DNC-DSP", issued: -60, amount: 300, disputed: true)
        let queues = try BuiltQueues(hand)
        #expect(queues.file("disputes.csv").rows.isEmpty)
        #expect(queues.output.exclusions["do_not_call"] == 1 && queues.output.exclusions["dispute"] == 0)
    }

    /// An open promise due within the follow-up days (2 days after the as-of date) is followed up: its account is in
    /// promise_followups.csv, so the manifest must count it under `promise_follow_up` (QueueBuilder's routing rule 6,
    /// "an open, unpaid promise due soon or in its grace days"), not under `open_promise_not_due`.
    @Test func promiseDueSoonIsCountedAsAFollowUp() throws {
        var hand = Self.baseline()
        hand.regular("SOON", zone: "Europe/Madrid")
        hand.promise("SOON", created: -7, due: 2, amount: 1000)
        let queues = try BuiltQueues(hand)
        #expect(queues.file("promise_followups.csv").customerIDs == ["SOON"])
        #expect(!queues.file("calls.csv").customerIDs.contains("SOON"))
        #expect(queues.output.exclusions["promise_follow_up"] == 1,
                "SOON is in promise_followups.csv but counted as \(queues.output.exclusions.filter { $0.value > 0 })")
        #expect(queues.output.exclusions["open_promise_not_due"] == 0)
    }
}
