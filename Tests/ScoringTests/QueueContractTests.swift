import Bundles
import Features
import Foundation
import Receivables
@testable import Scoring
import TestSupport
import Testing

/// The demo export scored with the committed demo bundle, as of 2026-10-01, as the weekly list (`plan: week`: each
/// account's best window of the week, priorities unscaled): built once for the suite. TodayPlanTests and
/// WaitRuleTests check today's plan, the default.
let demoQueues: BuiltQueues = {
    do { return try BuiltQueues(folder: packageRoot + "/Datasets/demo", asOf: Days.number("2026-10-01"), policy: QueuePolicy(plan: .week)) } catch {
        fatalError("cannot score Datasets/demo: \(error)")
    }
}()

/// The demo export as of 2026-10-01 with a recovery path netting 30% of the past-due balance, so escalations.csv has
/// rows (under the default 5% a call beats escalation for every long-delinquent demo account).
let demoEscalationQueues: BuiltQueues = {
    do {
        return try BuiltQueues(folder: packageRoot + "/Datasets/demo", asOf: Days.number("2026-10-01"),
                               policy: QueuePolicy(escalationRecoveryShare: 0.3, plan: .week))
    } catch {
        fatalError("cannot score Datasets/demo: \(error)")
    }
}()

/// The file contracts of DESIGN.md "Output: the queue folder", checked on the demo export and on hand-built ones.
@Suite("Queue files: the calls.csv contract and the other headers")
struct QueueContractTests {
    static let callsHeader = ["rank", "customer_id", "priority", "expected_cash", "p_pay", "expected_days_to_pay",
                              "past_due_balance", "open_balance", "max_days_past_due", "segment", "window_local",
                              "window_start_utc", "p_contact", "reason_1", "reason_2", "reason_3",
                              "incremental_cash", "window_end_utc", "timezone", "best_window_local", "disputed_balance",
                              "selection", "selection_probability"]

    @Test func callsHeaderIsTheDocumentedColumnsInOrder() throws {
        let calls = demoQueues.file("calls.csv")
        #expect(calls.header == Self.callsHeader)
        let text = String(decoding: try #require(demoQueues.output.files.first { $0.name == "calls.csv" }).contents, as: UTF8.self)
        #expect(text.hasPrefix(Self.callsHeader.joined(separator: ",") + "\n"))
        #expect(calls.rows.count > 50, "the demo book should give a real call list")
        #expect(calls.rows.allSatisfy { $0.count == Self.callsHeader.count })
    }

    @Test func ranksStartAtOneAndAreConsecutive() {
        for name in ["calls.csv", "promise_followups.csv", "disputes.csv", "escalations.csv"] {
            let queues = name == "escalations.csv" ? demoEscalationQueues : demoQueues
            let file = queues.file(name)
            #expect(!file.rows.isEmpty, "\(name) is empty on the demo data")
            #expect(file.column("rank") == (0..<file.rows.count).map { String($0 + 1) }, "\(name)")
            let entry = queues.output.files.first { $0.name == name }
            #expect(entry?.rows == file.rows.count, "\(name): row count")
        }
    }

    @Test func callsAreSortedByPriorityDescendingThenCustomerID() throws {
        let calls = demoQueues.file("calls.csv")
        let printed = calls.numbers("priority")
        #expect(zip(printed, printed.dropFirst()).allSatisfy { $0 >= $1 }, "printed priorities must not increase")
        // The exact priorities of the rows, in file order, from the scores.
        let scored = demoQueues.scored
        let pastDue = demoQueues.output.callablePastDue
        let rows = demoQueues.output.callRows
        #expect(rows.count == calls.rows.count)
        let exact = rows.map { pastDue[$0] * scored.pPay[$0] * scored.pContact[$0] }  // the default pay_likelihood
        let ids = calls.customerIDs
        for i in 1..<exact.count {
            #expect(exact[i - 1] > exact[i] || (exact[i - 1] == exact[i] && ids[i - 1].utf8.lexicographicallyPrecedes(ids[i].utf8)),
                    "rows \(i) and \(i + 1) out of order: \(ids[i - 1]) \(exact[i - 1]), \(ids[i]) \(exact[i])")
        }
        for (i, row) in rows.enumerated() {
            #expect(demoQueues.export.customers.ids.id(Int(scored.table.customers[row])) == ids[i])
            #expect(calls.rows[i][2] == String(format: "%.2f", exact[i]))
        }
    }

    /// The default priority (`pay_likelihood`): priority = past_due × p_pay × p_contact; expected_cash = past_due × cash
    /// share from the bundle's cash-share model (not P(pay): the demo bundle has one), whatever the mode.
    @Test func priorityIsPastDueTimesPayTimesContactAndExpectedCashIsPastDueTimesCashShare() {
        let calls = demoQueues.file("calls.csv")
        let share = demoQueues.output.callRows.map { demoQueues.scored.cashShare[$0] }
        #expect(zip(share, demoQueues.output.callRows.map { demoQueues.scored.pPay[$0] }).contains { abs($0 - $1) > 0.05 },
                "the cash share must come from its own model")
        let priority = calls.numbers("priority"), cash = calls.numbers("expected_cash"), pPay = calls.numbers("p_pay")
        let pContact = calls.numbers("p_contact"), pastDue = calls.numbers("past_due_balance"), open = calls.numbers("open_balance")
        let days = calls.numbers("expected_days_to_pay"), maxDays = calls.numbers("max_days_past_due")
        for i in calls.rows.indices {
            // Rounding: money to 0.005, probabilities to 0.00005.
            #expect(abs(priority[i] - pastDue[i] * pPay[i] * pContact[i]) <= 0.0101 + 0.0001 * pastDue[i], "row \(i + 1): priority")
            #expect(abs(cash[i] - pastDue[i] * share[i]) <= 0.0101 + 1e-9 * pastDue[i], "row \(i + 1): expected_cash")
            #expect((0...1).contains(pPay[i]) && (0...1).contains(pContact[i]), "row \(i + 1): probabilities")
            #expect(pastDue[i] >= 1 && pastDue[i] <= open[i] + 0.005, "row \(i + 1): balances")
            #expect(days[i] >= 0 && days[i] <= 180, "row \(i + 1): expected_days_to_pay")
            #expect(maxDays[i] >= 1 && maxDays[i] == maxDays[i].rounded(), "row \(i + 1): max_days_past_due")
        }
    }

    @Test func segmentsFollowThePolicyThresholds() throws {
        let calls = demoQueues.file("calls.csv")
        let policy = QueuePolicy()
        let segments = calls.column("segment")
        for (i, row) in demoQueues.output.callRows.enumerated() {
            let p = demoQueues.scored.pPay[row]
            let expected = p >= policy.timelyMinimumPPay ? "timely" : (p < policy.doubtfulMaximumPPay ? "doubtful" : "late")
            #expect(segments[i] == expected, "row \(i + 1): p_pay \(p) is \(segments[i])")
            #expect(calls.rows[i][4] == String(format: "%.4f", p))
        }
        #expect(Set(segments).isSubset(of: ["timely", "late", "doubtful"]))
        #expect(Set(segments).count >= 2, "the demo call list should hold more than one segment")
    }

    @Test func windowsAreLocalLabelsWithTheirUTCStart() throws {
        let calls = demoQueues.file("calls.csv")
        let asOf = Days.number("2026-10-01")
        let label = try Regex(#"^(Mon|Tue|Wed|Thu|Fri) (08|10|12|14|16):00-(10|12|14|16|18):00$"#)
        for (i, id) in calls.customerIDs.enumerated() {
            let local = calls.rows[i][10], utc = calls.rows[i][11]
            guard try label.wholeMatch(in: local) != nil else {
                Issue.record("row \(i + 1): window_local \(local)")
                continue
            }
            let weekday = Days.weekdayNames.firstIndex(of: String(local.prefix(3)))!
            let start = Int(local.dropFirst(4).prefix(2))!, end = Int(local.dropFirst(10).prefix(2))!
            #expect(end == start + 2, "row \(i + 1): \(local)")
            let instant = try #require(Days.parseISOUTC(utc), "row \(i + 1): window_start_utc \(utc) is not ISO 8601 Z")
            let back = Days.local(instant, zone: demoQueues.zone(of: id))
            #expect(back.weekday == weekday && back.hour == start && back.minute == 0, "row \(i + 1): \(utc) is not \(local) locally")
            #expect(back.day >= asOf && back.day < asOf + 7, "row \(i + 1): \(utc) is not within the week from the as-of date")
        }
    }

    @Test func reasonsAreThreeDistinctPhrases() throws {
        let calls = demoQueues.file("calls.csv")
        let words = try Regex(#"^[A-Z][A-Za-z0-9 ()\-]*[a-z)]$"#)
        for (i, row) in calls.rows.enumerated() {
            let reasons = Array(row[13...15])
            for reason in reasons {
                #expect(try words.wholeMatch(in: reason) != nil, "row \(i + 1): reason \"\(reason)\"")
                #expect(!reason.contains("_"), "row \(i + 1): a raw feature name \"\(reason)\"")
            }
            #expect(Set(reasons).count == 3, "row \(i + 1): \(reasons)")
        }
    }

    @Test func otherFilesHaveTheirHeaders() {
        let expected: [String: [String]] = [
            "promise_followups.csv": ["rank", "customer_id", "promise_id", "created_date", "promised_date", "promised_amount",
                                      "remaining_amount", "p_kept", "expected_shortfall", "window_local", "window_start_utc",
                                      "p_contact"],
            "disputes.csv": ["rank", "customer_id", "disputed_balance", "disputed_past_due_balance", "disputed_invoices",
                             "past_due_balance", "open_balance", "max_days_past_due", "dispute_calls_90d", "invoice_id",
                             "invoice_date", "due_date", "invoice_amount", "open_amount", "days_past_due"],
            "escalations.csv": ["rank", "customer_id", "past_due_balance", "open_balance", "max_days_past_due", "p_pay",
                                "expected_cash", "days_since_last_payment", "days_since_last_rpc", "reason_1", "reason_2",
                                "reason_3", "p_contact", "call_value", "recovery_value"],
            "holdout.csv": ["rank", "customer_id", "priority", "expected_cash", "p_pay", "p_contact", "past_due_balance",
                            "selection_probability"],
            "quarantine.csv": ["file", "line", "field", "reason"],
        ]
        #expect(demoQueues.output.files.map(\.name).sorted() == (Array(expected.keys) + ["calls.csv"]).sorted())
        for (name, header) in expected {
            let file = demoQueues.file(name)
            #expect(file.header == header, "\(name)")
            #expect(file.rows.allSatisfy { $0.count == header.count }, "\(name): ragged rows")
        }
    }

    @Test func otherFilesAreRankedByTheirKey() {
        func descending(_ values: [Double]) -> Bool { zip(values, values.dropFirst()).allSatisfy { $0 >= $1 } }
        #expect(descending(demoQueues.file("promise_followups.csv").numbers("expected_shortfall")))
        #expect(descending(demoQueues.file("disputes.csv").numbers("open_amount")))
        #expect(descending(demoEscalationQueues.file("escalations.csv").numbers("past_due_balance")))
        let promises = demoQueues.file("promise_followups.csv")
        for i in promises.rows.indices {
            let amount = promises.numbers("remaining_amount")[i], p = promises.numbers("p_kept")[i]
            #expect(abs(promises.numbers("expected_shortfall")[i] - amount * (1 - p)) <= 0.0101 + 0.00005 * amount)
        }
        let escalations = demoEscalationQueues.file("escalations.csv")
        #expect(!escalations.rows.isEmpty)
        let policy = QueuePolicy()
        #expect(escalations.numbers("max_days_past_due").allSatisfy { $0 >= Double(policy.escalationMinimumDaysPastDue) })
        for (value, recovery) in zip(escalations.numbers("call_value"), escalations.numbers("recovery_value")) {
            #expect(value <= recovery, "an escalated account's call value \(value) must be below the recovery path's \(recovery)")
        }
        #expect(demoQueues.file("disputes.csv").numbers("open_amount").allSatisfy { $0 > 0 })
    }

    @Test func everyScoredAccountIsCountedOnceAcrossTheQueuesAndExclusions() {
        let output = demoQueues.output
        #expect(Set(output.exclusions.keys) == Set(allExclusionRules))
        // Routed or excluded: each snapshot account is a call, or counted under exactly one rule.
        let counted = output.exclusions.values.reduce(0, +) + output.callRows.count
        #expect(counted == output.accountsScored)
        #expect(output.exclusions["escalation"] == demoQueues.file("escalations.csv").rows.count)
        // `dispute` counts the accounts of disputes.csv whose past-due balance reaches the minimum only with its disputed
        // part (no do-not-call ones are listed).
        let disputes = demoQueues.file("disputes.csv"), minimum = QueuePolicy().minimumPastDueBalance
        let disputed = Set(disputes.customerIDs)
        let wholly = disputed.filter { id in
            let callable = output.callablePastDue[demoQueues.row(of: id)!]
            return callable < minimum && callable + (Double(disputes.row(customer: id)?["disputed_past_due_balance"] ?? "") ?? 0) >= minimum
        }
        #expect(output.exclusions["dispute"] == wholly.count)
        // No account is both called and escalated; a called account in disputes.csv carries its disputed balance.
        let calls = demoQueues.file("calls.csv"), escalations = Set(demoQueues.file("escalations.csv").customerIDs)
        #expect(Set(calls.customerIDs).isDisjoint(with: escalations) && wholly.isDisjoint(with: calls.customerIDs))
        for id in Set(calls.customerIDs).intersection(disputed) {
            #expect(Double(calls.row(customer: id)?["disputed_balance"] ?? "") ?? 0 > 0, "\(id): disputed_balance")
        }
    }

    /// Two identical customers tie on priority: the smaller customer_id (byte order) comes first, whatever the
    /// order of customers.csv.
    @Test func tiesAreBrokenByCustomerID() throws {
        var hand = HandExport(asOf: "2026-06-17")
        hand.regular("TIE-b", zone: "Europe/Madrid")
        hand.regular("TIE-B", zone: "Europe/Madrid")
        hand.regular("TIE-A", zone: "Europe/Madrid")
        hand.regular("BIG", zone: "Europe/Madrid", amount: 5000)
        hand.regular("SMALL", zone: "Europe/Madrid", amount: 50)
        let queues = try BuiltQueues(hand)
        let calls = queues.file("calls.csv")
        #expect(calls.customerIDs == ["BIG", "TIE-A", "TIE-B", "TIE-b", "SMALL"])
        let tied = calls.rows.filter { $0[1].hasPrefix("TIE") }
        #expect(Set(tied.map { Array($0[2...]) }).count == 1, "the tied rows should agree on every column after the id")
        #expect(calls.column("rank") == ["1", "2", "3", "4", "5"])
    }

    @Test func quarantineFileListsRowsAndNeutralisesText() {
        let rows = [QuarantinedRow(file: "invoices.csv", line: 7, field: "amount", reason: "not a number: \"=1+1\""),
                    QuarantinedRow(file: "customers.csv", line: 3, field: nil, reason: "=cmd|' /C calc'!A0")]
        let table = CSVTable(QuarantineFile.csv(rows))
        #expect(table.header == ["file", "line", "field", "reason"])
        #expect(table.rows == [["invoices.csv", "7", "amount", "not a number: \"=1+1\""],
                               ["customers.csv", "3", "", "'=cmd|' /C calc'!A0"]])
    }
}
