import Foundation
import Scoring
import TestSupport
import Testing

/// Disputes per invoice (docs/QUEUES.md, disputes.csv): a disputed invoice goes to the dispute team, the account's
/// undisputed past-due balance stays callable.
@Suite("Disputes per invoice")
struct DisputeRoutingTests {
    /// A large undisputed past-due balance beside one disputed invoice that is not even due: the account is called
    /// for the undisputed part, its row carries the disputed balance, and the invoice is listed for the dispute team.
    @Test func disputedInvoiceNotYetDueLeavesTheUndisputedBalanceCallable() throws {
        var hand = ExclusionRoutingTests.baseline()
        hand.regular("BIG", zone: "Europe/Madrid", amount: 50_000)  // 100,000 past due, 50 and 20 days
        let disputed = hand.invoice("BIG", issued: -10, amount: 7000, disputed: true)  // due in 20 days
        let queues = try BuiltQueues(hand)
        let calls = queues.file("calls.csv")
        let row = try #require(calls.row(customer: "BIG"), "BIG must be called")
        #expect(row["past_due_balance"] == "100000.00" && row["open_balance"] == "107000.00")
        #expect(row["disputed_balance"] == "7000.00" && row["max_days_past_due"] == "50")
        #expect(calls.customerIDs.first == "BIG", "the largest undisputed past-due balance ranks first")
        #expect(queues.output.exclusions["dispute"] == 0)
        let disputes = queues.file("disputes.csv")
        #expect(disputes.rows.count == 1)
        let listed = try #require(disputes.row(customer: "BIG"))
        #expect(listed["invoice_id"] == disputed && listed["open_amount"] == "7000.00" && listed["days_past_due"] == "0")
        #expect(listed["due_date"] == Days.text(hand.asOf + 20) && listed["disputed_past_due_balance"] == "0.00")
        // Undisputed accounts carry a disputed balance of zero.
        #expect(calls.row(customer: "R-MAD")?["disputed_balance"] == "0.00")
    }

    /// An account whose whole past-due balance is disputed is not called: its invoices go to disputes.csv and the
    /// account is counted under `dispute`.
    /// `dispute_routing: account` keeps the rule before 2026-12 (any open disputed invoice keeps the whole account off
    /// calls.csv), so the simulator can measure what routing per invoice is worth.
    @Test func accountRoutingKeepsAPartlyDisputedAccountOffTheCalls() throws {
        var hand = ExclusionRoutingTests.baseline()
        hand.regular("BIG", zone: "Europe/Madrid", amount: 50_000)
        hand.invoice("BIG", issued: -10, amount: 7000, disputed: true)
        let queues = try BuiltQueues(hand, policy: QueuePolicy(disputeRouting: .account))
        #expect(!queues.file("calls.csv").customerIDs.contains("BIG"))
        #expect(queues.file("calls.csv").customerIDs.count == 2)
        #expect(queues.output.exclusions["dispute"] == 1)
        #expect(queues.file("disputes.csv").customerIDs == ["BIG"])
        let folder = try TemporaryFolder("dispute-routing")
        let bad = try folder.write("policy.json", #"{"dispute_routing": "customer"}"#)
        #expect(throws: PolicyError.self) { try QueuePolicy.load(path: bad) }
        let good = try folder.write("good.json", #"{"dispute_routing": "account"}"#)
        #expect(try QueuePolicy.load(path: good).disputeRouting == .account)
    }

    @Test func whollyDisputedAccountGoesToDisputesOnly() throws {
        var hand = ExclusionRoutingTests.baseline()
        hand.customer("ALL", zone: "Europe/Madrid")
        hand.invoice("ALL", issued: -90, amount: 1200, disputed: true)
        hand.invoice("ALL", issued: -60, amount: 800, disputed: true)
        let queues = try BuiltQueues(hand)
        #expect(!queues.file("calls.csv").customerIDs.contains("ALL"))
        #expect(queues.file("disputes.csv").customerIDs == ["ALL", "ALL"])
        #expect(queues.file("escalations.csv").rows.isEmpty)
        #expect(queues.output.exclusions["dispute"] == 1)
        #expect(queues.output.exclusions.values.reduce(0, +) + queues.output.callRows.count == queues.output.accountsScored)
    }

    /// One row per disputed open invoice, with its own open amount (a partly paid one net of the payment), ranked by
    /// open amount; a paid disputed invoice is not listed; the open amounts add up to the account's disputed balance.
    @Test func oneRowPerDisputedOpenInvoice() throws {
        var hand = ExclusionRoutingTests.baseline()
        hand.regular("MIX", zone: "Europe/Madrid")
        let old = hand.invoice("MIX", issued: -120, amount: 900, disputed: true)
        hand.payment("MIX", on: -70, amount: 400, invoice: old)  // 500 still open
        let recent = hand.invoice("MIX", issued: -45, amount: 700, disputed: true)
        let current = hand.invoice("MIX", issued: -5, amount: 300, disputed: true)
        let paid = hand.invoice("MIX", issued: -150, amount: 250, disputed: true)
        hand.payment("MIX", on: -100, amount: 250, invoice: paid)
        let queues = try BuiltQueues(hand)
        let disputes = queues.file("disputes.csv")
        #expect(disputes.column("invoice_id") == [recent, old, current])
        #expect(disputes.column("open_amount") == ["700.00", "500.00", "300.00"])
        #expect(disputes.column("invoice_amount") == ["700.00", "900.00", "300.00"])
        #expect(disputes.column("days_past_due") == ["15", "90", "0"])
        #expect(disputes.column("rank") == ["1", "2", "3"])
        #expect(Set(disputes.column("disputed_balance")) == ["1500.00"] && Set(disputes.column("disputed_invoices")) == ["3"])
        #expect(Set(disputes.column("disputed_past_due_balance")) == ["1200.00"])
        // The account itself is called for its undisputed 1000 past due, carrying the 1500 disputed.
        let call = try #require(queues.file("calls.csv").row(customer: "MIX"))
        #expect(call["past_due_balance"] == "1000.00" && call["disputed_balance"] == "1500.00")
        #expect(Set(disputes.column("past_due_balance")) == ["1000.00"])
    }

    /// Disputed invoices of a do-not-call customer are not listed (nobody may contact it); with the exclusion off
    /// they are.
    @Test func doNotCallCustomersDisputesAreNotListed() throws {
        var hand = ExclusionRoutingTests.baseline()
        hand.customer("DNC-ALL", zone: "Europe/Madrid", doNotCall: true)
        hand.invoice("DNC-ALL", issued: -60, amount: 300, disputed: true)
        let strict = try BuiltQueues(hand)
        #expect(strict.file("disputes.csv").rows.isEmpty)
        #expect(strict.output.exclusions["do_not_call"] == 1 && strict.output.exclusions["dispute"] == 0)
        let open = try BuiltQueues(hand, policy: QueuePolicy(excludeDoNotCall: false))
        #expect(open.file("disputes.csv").customerIDs == ["DNC-ALL"])
        #expect(open.output.exclusions["dispute"] == 1)
    }
}
