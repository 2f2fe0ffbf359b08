import Foundation
import Scoring
import TestSupport
import Testing

/// customers.csv `do_not_call_times` in the queues: a blocked window is never chosen (weekly best window, today's plan,
/// promise follow-ups) and an account blocked in every window is counted under `do_not_call_times`.
@Suite("Do-not-call times in the queues")
struct DoNotCallTimesQueueTests {
    /// Two Madrid accounts reached on Wednesdays at 10:30 (as of Wed 2026-06-17): their best window is Wed 10-12.
    static func export(times: [String: String]) -> HandExport {
        var hand = HandExport(asOf: "2026-06-17")
        hand.regular("A", zone: "Europe/Madrid", callWeekday: 2, callHour: 10)
        hand.regular("B", zone: "Europe/Madrid", amount: 900, callWeekday: 2, callHour: 10)
        hand.regular("P", zone: "Europe/Madrid", callWeekday: 2, callHour: 10)
        hand.promise("P", created: -12, due: -2, amount: 1000)  // a follow-up today
        hand.doNotCallTimes = times
        return hand
    }

    @Test func theWeeklyBestWindowIsNeverABlockedOne() throws {
        let free = try BuiltQueues(Self.export(times: [:]), policy: QueuePolicy(plan: .week))
        #expect(free.file("calls.csv").row(customer: "A")?["best_window_local"] == "Wed 10:00-12:00")
        #expect(free.file("promise_followups.csv").row(customer: "P")?["window_local"] == "Wed 10:00-12:00")
        let blocked = try BuiltQueues(Self.export(times: ["A": "Wed 11:00-11:30", "P": "Wed 10:00-12:00"]),
                                      policy: QueuePolicy(plan: .week))
        let row = try #require(blocked.file("calls.csv").row(customer: "A"))
        #expect(row["best_window_local"] != "Wed 10:00-12:00" && row["window_local"] != "Wed 10:00-12:00")
        #expect(blocked.file("calls.csv").row(customer: "B")?["best_window_local"] == "Wed 10:00-12:00")
        let followUp = try #require(blocked.file("promise_followups.csv").row(customer: "P"))
        #expect(followUp["window_local"] != "Wed 10:00-12:00")
        #expect(blocked.output.exclusions["do_not_call_times"] == 0)
    }

    @Test func todaysPlanNeverPlansASlotInABlockedWindow() throws {
        let free = try BuiltQueues(Self.export(times: [:]), policy: QueuePolicy(plan: .today))
        #expect(free.file("calls.csv").row(customer: "A")?["window_local"] == "Wed 10:00-12:00")
        // All of today's windows but 16-18 blocked for A: it is planned there or not today, never in 08-16.
        let blocked = try BuiltQueues(Self.export(times: ["A": "Wed 08:00-16:00"]), policy: QueuePolicy(plan: .today))
        let windows = blocked.output.plannedCalls.filter { blocked.row(of: "A") == $0.row }.map(\.window)
        #expect(windows.allSatisfy { $0 == 14 })  // Wed 16-18
        if let row = blocked.file("calls.csv").row(customer: "A") { #expect(row["window_local"] == "Wed 16:00-18:00") }
        #expect(blocked.file("calls.csv").row(customer: "B")?["window_local"] == "Wed 10:00-12:00")
    }

    @Test func anAccountBlockedInEveryWindowIsNotCalledAndCounted() throws {
        for plan in [PlanMode.week, .today] {
            let queues = try BuiltQueues(Self.export(times: ["A": "Mon-Fri 07:00-19:00", "P": "08:00-18:00"]),
                                         policy: QueuePolicy(plan: plan))
            #expect(queues.output.exclusions["do_not_call_times"] == 2)
            #expect(queues.file("calls.csv").row(customer: "A") == nil)
            #expect(queues.file("promise_followups.csv").row(customer: "P") == nil)
            #expect(queues.file("calls.csv").row(customer: "B") != nil)
        }
    }
}
