import Foundation
import Scoring
import TestSupport
import Testing

/// The columns appended to calls.csv in 2026-12 (DESIGN.md "Output: the queue folder"), after `reason_3`, and the
/// byte-stability of every queue file.
@Suite("calls.csv appended columns and determinism")
struct CallsAppendedColumnsTests {
    static let appended = ["incremental_cash", "window_end_utc", "timezone", "best_window_local", "disputed_balance",
                           "selection", "selection_probability"]

    static func export() -> HandExport {
        var hand = ExclusionRoutingTests.baseline()
        hand.regular("TOKYO", zone: "Asia/Tokyo", amount: 700)
        hand.regular("DSP", zone: "America/New_York")
        hand.invoice("DSP", issued: -60, amount: 300, disputed: true)
        return hand
    }

    /// Today's plan (the default) with a team that can reach every account today (all 24 UTC hours) and calls each
    /// when today has a window (`wait_discount_per_day` 0); the weekly list (`plan: week`) of the same export.
    static let reachingTeam = QueuePolicy(teamHours: DayHours(start: 0, end: 1440), waitDiscountPerDay: 0)

    @Test(arguments: [PlanMode.today, .week])
    func appendedColumnsFollowReasonThreeInOrderWithTheirValues(_ plan: PlanMode) throws {
        var policy = Self.reachingTeam
        policy.plan = plan
        let queues = try BuiltQueues(Self.export(), policy: policy)
        let calls = queues.file("calls.csv")
        let reason3 = try #require(calls.header.firstIndex(of: "reason_3"))
        #expect(Array(calls.header[(reason3 + 1)...]) == Self.appended)
        #expect(Set(calls.customerIDs) == ["R-MAD", "R-NYC", "TOKYO", "DSP"])
        let planned = Dictionary(uniqueKeysWithValues: queues.output.plannedCalls.map { ($0.row, $0) })
        #expect(planned.isEmpty == (plan == .week))
        for id in calls.customerIDs {
            let row = try #require(calls.row(customer: id))
            // The demo bundle has a call-effect model: incremental_cash = past_due × effect × p_contact of the planned
            // window (under the plan, the window today's slot lies in; under the week, the best window).
            let snapshotRow = try #require(queues.row(of: id))
            let effect = try #require(queues.scored.callEffect)[snapshotRow]
            let pContact = planned[snapshotRow]?.pContact ?? queues.scored.pContact[snapshotRow]
            let expected = queues.output.callablePastDue[snapshotRow] * effect * pContact
            #expect(abs((Double(row["incremental_cash"] ?? "") ?? .nan) - expected) <= 0.0051, "\(id): incremental_cash")
            let start = try #require(Days.parseISOUTC(row["window_start_utc"] ?? ""))
            if plan == .week {
                #expect(row["window_end_utc"] == Days.isoUTC(start + 7200), "\(id): window_end_utc = start + 2 h")
                #expect(row["best_window_local"] == row["window_local"])
            } else {
                #expect(row["window_end_utc"] == Days.isoUTC(start + 3600), "\(id): window_end_utc = slot start + 1 h")
                #expect(start / 86_400 == Self.export().asOf, "\(id): the slot is on the as-of day (UTC)")
                #expect(row["best_window_local"]?.isEmpty == false)
            }
            #expect(row["timezone"] == queues.zone(of: id))
            #expect(row["selection"] == "priority" && Double(row["selection_probability"] ?? "") == 1)
            #expect(row["disputed_balance"] == (id == "DSP" ? "300.00" : "0.00"), "\(id): disputed_balance")
        }
        #expect(calls.row(customer: "TOKYO")?["timezone"] == "Asia/Tokyo")
    }

    @Test(arguments: QueuePriority.allCases)
    func sameInputsGiveByteIdenticalFiles(_ mode: QueuePriority) throws {
        let policy = QueuePolicy(priority: mode)
        let first = try BuiltQueues(Self.export(), policy: policy), second = try BuiltQueues(Self.export(), policy: policy)
        #expect(first.output.files.map(\.name) == second.output.files.map(\.name))
        for (a, b) in zip(first.output.files, second.output.files) {
            #expect(a.contents == b.contents, "\(mode): \(a.name) differs between two runs")
        }
        #expect(first.output.exclusions == second.output.exclusions)
    }
}
