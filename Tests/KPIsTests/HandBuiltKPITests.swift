import CivilTime
import Foundation
import Testing
import Receivables
@testable import KPIs

/// A temporary export folder, removed afterwards.
final class ExportFolder: @unchecked Sendable {
    let path: String

    init(_ files: [String: String]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("arscore-kpi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(path)/\(name)")) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func load() throws -> ReceivablesExport { try ExportLoader.load(folder: path) }
}

func day(_ text: String) -> Int32 { CivilDate.parse(text)! }

/// The hand-built export of docs/KPIS.md's worked example, window 2026-03-01 ..< 2026-05-01 (March, April).
///
/// C1 (New York, smb, US): I1 1000 due 02-09, I2 500 due 03-17, I3 300 (a March sale) due 04-09; P1 400 → I1 on
///   03-05, P2 700 on account on 03-20 (FIFO: the 600 left on I1, which is then paid, and 100 on I2), P3 400 → I2 on
///   04-12. Calls: A1 no answer, A2 RPC 03-04 (paid 03-05: followed), A3 promise 03-12 (no payment within 7 days),
///   A4 RPC at 2026-04-01T02:00Z = 03-31 22:00 local (March, not April), A5 voicemail in April.
///   Promises: PR1 500 by 03-18 (grace ends 03-21, P2 keeps it), PR2 200 by 03-29 (grace ends 04-01, not kept).
/// C2 (Tokyo, enterprise, JP): K1 2000 due 03-03 paid 03-10; K2 400 (an April sale) due 05-05, paid 500 on 04-20
///   (100 of credit left, which is not a receivable). Calls: B1 dispute at 2026-03-31T20:00Z = 04-01 local (April),
///   B2 wrong party, B3 promise 04-13 (paid 04-20, the 7th day: followed). Promises: PR3 400 by 04-17 (grace ends
///   04-20, kept by the 500 paid that day), PR4 50 by 04-29 (grace ends 05-02: outside the window).
/// C3 (London, smb, GB): L1 100 due 2025-12-31, never paid (60 days past due on 03-01, 91 on 04-01).
/// C4 (Paris, no segment, FR): nothing at all.
let handBuiltFiles: [String: String] = [
    "customers.csv": """
        customer_id,timezone,segment,country
        C1,America/New_York,smb,US
        C2,Asia/Tokyo,enterprise,JP
        C3,Europe/London,smb,GB
        C4,Europe/Paris,,FR

        """,
    "invoices.csv": """
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,C1,2026-01-10,2026-02-09,1000.00
        I2,C1,2026-02-15,2026-03-17,500.00
        I3,C1,2026-03-10,2026-04-09,300.00
        K1,C2,2026-02-01,2026-03-03,2000.00
        K2,C2,2026-04-05,2026-05-05,400.00
        L1,C3,2025-12-01,2025-12-31,100.00

        """,
    "payments.csv": """
        payment_id,customer_id,payment_date,amount,invoice_id
        P1,C1,2026-03-05,400.00,I1
        P2,C1,2026-03-20,700.00,
        P3,C1,2026-04-12,400.00,I2
        Q1,C2,2026-03-10,2000.00,K1
        Q2,C2,2026-04-20,500.00,K2

        """,
    "calls.csv": """
        call_id,customer_id,started_at,outcome
        A1,C1,2026-03-02T15:00:00Z,no_answer
        A2,C1,2026-03-04T15:00:00Z,right_party
        A3,C1,2026-03-12T15:00:00Z,promise
        A4,C1,2026-04-01T02:00:00Z,right_party
        A5,C1,2026-04-10T14:00:00Z,voicemail
        B1,C2,2026-03-31T20:00:00Z,dispute
        B2,C2,2026-04-14T01:00:00Z,wrong_party
        B3,C2,2026-04-13T03:00:00Z,promise

        """,
    "promises.csv": """
        promise_id,customer_id,created_date,promised_date,promised_amount,call_id
        PR1,C1,2026-03-12,2026-03-18,500.00,A3
        PR2,C1,2026-03-25,2026-03-29,200.00,
        PR3,C2,2026-04-13,2026-04-17,400.00,B3
        PR4,C2,2026-04-28,2026-04-29,50.00,

        """,
]

private func close(_ a: Double?, _ b: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let a else {
        Issue.record("\(what) is nil, expected \(b)", sourceLocation: sourceLocation)
        return
    }
    #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(what): \(a) vs \(b)", sourceLocation: sourceLocation)
}

@Suite("KPIs on a hand-built export")
struct HandBuiltKPITests {
    let folder: ExportFolder
    let export: ReceivablesExport

    init() throws {
        folder = try ExportFolder(handBuiltFiles)
        export = try folder.load()
    }

    func table(_ grouping: KPIGrouping = .all, period: KPIPeriod = .month, options: KPIOptions = KPIOptions()) -> KPITable {
        KPIs.table(export: export, from: day("2026-03-01"), to: day("2026-05-01"), period: period, grouping: grouping,
                   options: options)
    }

    @Test func balanceKPIsOfEveryCustomer() {
        let rows = table().rows
        #expect(rows.map(\.group) == ["all", "all"])
        let march = rows[0], april = rows[1]
        #expect(march.days == 31 && april.days == 30)
        // March: beginning 1500 + 2000 + 100, sales 300 (I3), ending 700 + 0 + 100 of which current 300 (I3).
        #expect(march.counts["beginning_receivables"] == 3600)
        #expect(march.counts["credit_sales"] == 300)
        #expect(march.counts["ending_receivables"] == 800)
        #expect(march.counts["ending_current_receivables"] == 300)
        close(march.value("dso"), 800.0 / 300 * 31, "March DSO")
        close(march.value("best_possible_dso"), 31, "March best possible DSO")
        close(march.value("add"), 800.0 / 300 * 31 - 31, "March ADD")
        close(march.value("cei"), 100 * 3100.0 / 3600, "March CEI")
        // April: beginning 800, sales 400 (K2), ending 300 (I3, now past due) + 100 (L1), none current; C2's 100 of
        // credit does not reduce the receivables.
        #expect(april.counts["ending_receivables"] == 400)
        #expect(april.counts["ending_current_receivables"] == 0)
        close(april.value("dso"), 30, "April DSO")
        close(april.value("best_possible_dso"), 0, "April best possible DSO")
        close(april.value("add"), 30, "April ADD")
        close(april.value("cei"), 100 * 800.0 / 1200, "April CEI")
    }

    @Test func contactAndPromiseKPIs() {
        let rows = table().rows
        let march = rows[0], april = rows[1]
        // A4 is on 03-31 local (New York) and B1 on 04-01 local (Tokyo), whatever their UTC dates.
        #expect(march.counts["call_attempts"] == 4 && march.counts["right_party_contacts"] == 3)
        #expect(april.counts["call_attempts"] == 4 && april.counts["right_party_contacts"] == 2)
        close(march.value("rpc_rate"), 0.75, "March RPC rate")
        close(april.value("rpc_rate"), 0.5, "April RPC rate")
        // PR1 and PR2 were made in March (per three RPCs), PR3 and PR4 in April (per two).
        #expect(march.counts["promises"] == 2 && april.counts["promises"] == 2)
        close(march.value("promise_rate"), 2.0 / 3, "March promise rate")
        close(april.value("promise_rate"), 1, "April promise rate")
        #expect(march.counts["resolved_promises"] == 1 && march.counts["kept_promises"] == 1)
        #expect(april.counts["resolved_promises"] == 2 && april.counts["kept_promises"] == 1)
        close(march.value("promise_kept_rate"), 1, "March promise-kept rate")
        close(april.value("promise_kept_rate"), 0.5, "April promise-kept rate")
        #expect(march.counts["contacts_followed_by_payment"] == 1 && april.counts["contacts_followed_by_payment"] == 1)
        close(march.value("call_to_payment_rate"), 1.0 / 3, "March call-to-payment rate")
        close(april.value("call_to_payment_rate"), 0.5, "April call-to-payment rate")
    }

    @Test func gracePeriodDecidesKeptPromises() {
        // Without grace every window closes on the promised date: PR1 (03-18) and PR2 (03-29) in March, both before
        // any payment; PR3 (04-17, the 500 came 04-20) and PR4 (04-29) in April, neither kept.
        let rows = table(options: KPIOptions(graceDays: 0)).rows
        #expect(rows[0].counts["resolved_promises"] == 2 && rows[0].counts["kept_promises"] == 0)
        #expect(rows[1].counts["resolved_promises"] == 2 && rows[1].counts["kept_promises"] == 0)
        close(rows[1].value("promise_kept_rate"), 0, "April kept rate without grace")
    }

    @Test func daysPastDueAtResolution() {
        let rows = table().rows
        // March: I1 (1000, paid 03-20 by the on-account payment, due 02-09: 39 days) and K1 (2000, 7 days).
        #expect(rows[0].counts["invoices_resolved"] == 2 && rows[0].counts["amount_resolved"] == 3000)
        close(rows[0].value("days_past_due_at_resolution"), (1000.0 * 39 + 2000 * 7) / 3000, "March DPD at resolution")
        // April: I2 (500, paid 04-12, due 03-17: 26 days) and K2 (400, paid before its due date: 0).
        close(rows[1].value("days_past_due_at_resolution"), 500.0 * 26 / 900, "April DPD at resolution")
    }

    @Test func rollRates() {
        let rows = table().rows
        let march = rows[0], april = rows[1]
        // 03-01 → 04-01: current 2500 (I2 500, K1 2000) of which I2 (400 left) is 1_30 on 04-01 → 500 / 2500.
        close(march.value("roll_rate_current_to_1_30"), 0.2, "current → 1_30")
        close(march.value("roll_rate_current_to_current"), 0, "current → current")
        #expect(march.counts["roll_base_current"] == 2500 && march.counts["roll_base_1_30"] == 1000)
        // I1 (1_30 on 03-01) was paid: nothing rolls.
        for to in AgingBucket.allCases { close(march.value(KPIName.rollRate(from: .days1To30, to: to)), 0, "1_30 → \(to.name)") }
        // L1: 60 days past due on 03-01, 91 on 04-01.
        close(march.value("roll_rate_31_60_to_91_plus"), 1, "31_60 → 91_plus")
        close(march.value("roll_rate_31_60_to_61_90"), 0, "31_60 → 61_90")
        #expect(march.value("roll_rate_61_90_to_91_plus") == nil)
        #expect(march.nullReasons["roll_rate_61_90_to_91_plus"] == "no balance in bucket 61_90 on the month's first day")
        #expect(march.counts["roll_months"] == 1)
        // 04-01 → 05-01: I3 300 current → 1_30; I2 400 (1_30) paid; L1 stays 91_plus. K2 (issued 04-05) is not counted.
        close(april.value("roll_rate_current_to_1_30"), 1, "April current → 1_30")
        close(april.value("roll_rate_1_30_to_1_30"), 0, "April 1_30 → 1_30")
        close(april.value("roll_rate_91_plus_to_91_plus"), 1, "April 91_plus → 91_plus")
        #expect(april.counts["roll_base_current"] == 300 && april.counts["roll_base_1_30"] == 400)
        #expect(april.value("roll_rate_31_60_to_61_90") == nil)
    }

    @Test func segmentsAndUndefinedValues() {
        let table = table(.segment)
        #expect(table.groups == ["all", "(none)", "enterprise", "smb"])
        let rows = Dictionary(uniqueKeysWithValues: table.rows.map { ("\(CivilDate.format($0.periodStart)) \($0.group)", $0) })
        let marchSMB = rows["2026-03-01 smb"]!, marchEnterprise = rows["2026-03-01 enterprise"]!
        close(marchSMB.value("dso"), 800.0 / 300 * 31, "smb March DSO")
        close(marchSMB.value("cei"), 100 * 1100.0 / 1600, "smb March CEI")
        // Enterprise had no sales in March: the DSOs are undefined, CEI is not (2000 collected of 2000).
        #expect(marchEnterprise.value("dso") == nil && marchEnterprise.value("add") == nil)
        #expect(marchEnterprise.nullReasons["dso"] == "no credit sales in the period")
        close(marchEnterprise.value("cei"), 100, "enterprise March CEI")
        #expect(marchEnterprise.value("rpc_rate") == nil)
        #expect(marchEnterprise.nullReasons["rpc_rate"] == "no call attempts in the period")
        #expect(marchEnterprise.nullReasons["promise_rate"] == "no right-party contacts in the period")
        #expect(marchEnterprise.nullReasons["promise_kept_rate"] == "no promise's last grace day falls in the period")
        let aprilSMB = rows["2026-04-01 smb"]!
        close(aprilSMB.value("cei"), 50, "smb April CEI")
        #expect(aprilSMB.value("dso") == nil)
        // C4 has nothing: every rate is undefined, CEI included (nothing to collect), and no value is NaN.
        let none = rows["2026-03-01 (none)"]!
        #expect(none.value("cei") == nil && none.nullReasons["cei"] != nil)
        #expect(none.nullReasons["days_past_due_at_resolution"] == "no invoice fully paid in the period")
        for row in table.rows {
            for name in KPIName.all {
                if let value = row.value(name) { #expect(value.isFinite, "\(name)") } else { #expect(row.nullReasons[name] != nil, "\(name)") }
            }
        }
        // The all rows equal the ungrouped table's.
        #expect(table.rows.filter { $0.group == "all" } == self.table().rows)
    }

    @Test func countriesSumToAll() {
        let table = table(.country)
        #expect(table.groups == ["all", "FR", "GB", "JP", "US"])
        for start in [day("2026-03-01"), day("2026-04-01")] {
            let rows = table.rows.filter { $0.periodStart == start }
            for name in KPIName.counts where name != "roll_months" {
                let total = rows.filter { $0.group != "all" }.reduce(0) { $0 + ($1.counts[name] ?? 0) }
                #expect(abs(total - (rows.first { $0.group == "all" }!.counts[name] ?? -1)) < 1e-9, "\(name)")
            }
        }
    }

    @Test func weeksWithoutAMonthStartHaveNoRollRates() {
        let table = KPIs.table(export: export, from: day("2026-03-25"), to: day("2026-04-08"), period: .week)
        // 03-25 (Wed) .. 03-29, 03-30 .. 04-05 (holds 04-01, but 05-01 is outside the window), 04-06 .. 04-07.
        #expect(table.rows.map { CivilDate.format($0.periodStart) } == ["2026-03-25", "2026-03-30", "2026-04-06"])
        #expect(table.rows.map(\.days) == [5, 7, 2])
        #expect(table.rows[1].counts["roll_months"] == 0)
        #expect(table.rows[1].nullReasons["roll_rate_current_to_current"]
            == "no month's first day in the period whose next month's first day is in the window")
        // A4 (03-31 local) and B1 (04-01 local) are both in the second week.
        #expect(table.rows[1].counts["call_attempts"] == 2)
    }

    @Test func periodBoundaries() {
        #expect(KPIPeriod.month.boundaries(from: day("2026-01-15"), to: day("2026-03-02"))
            == [day("2026-01-15"), day("2026-02-01"), day("2026-03-01"), day("2026-03-02")])
        #expect(KPIPeriod.week.boundaries(from: day("2026-03-02"), to: day("2026-03-16"))
            == [day("2026-03-02"), day("2026-03-09"), day("2026-03-16")])
        #expect(KPIPeriod.day.boundaries(from: day("2026-03-02"), to: day("2026-03-04")).count == 3)
        #expect(KPIs.monthStarts(from: day("2026-01-02"), to: day("2026-03-01")) == [day("2026-02-01"), day("2026-03-01")])
    }

    @Test func manifestBlockIsTheWholeWindow() {
        let block = KPIs.compute(export: export, from: day("2026-03-01"), to: day("2026-05-01"))
        #expect(block.group == "all" && block.days == 61)
        #expect(block.counts["call_attempts"] == 8 && block.counts["credit_sales"] == 700)
        close(block.value("dso"), 400.0 / 700 * 61, "window DSO")
        close(block.value("cei"), 100 * (3600.0 + 700 - 400) / (3600 + 700 - 0), "window CEI")
        // Both month transitions are pooled: current base 2500 + 300, of which 500 + 300 rolled to 1_30.
        close(block.value("roll_rate_current_to_1_30"), 800.0 / 2800, "window current → 1_30")
    }

    @Test func noCallLogAndNoPromisesAreReasons() throws {
        var files = handBuiltFiles
        files["calls.csv"] = nil
        files["promises.csv"] = nil
        let bare = try ExportFolder(files)
        let row = KPIs.compute(export: try bare.load(), from: day("2026-03-01"), to: day("2026-04-01"))
        #expect(row.value("rpc_rate") == nil && row.nullReasons["rpc_rate"] == "the export has no call log (calls.csv)")
        #expect(row.nullReasons["promise_rate"] == "the export has no promises (promises.csv)")
        #expect(row.nullReasons["promise_kept_rate"] == "the export has no promises (promises.csv)")
        close(row.value("dso"), 800.0 / 300 * 31, "DSO without calls")
    }

    /// With a data cutoff (the nightly manifest's as-of date) calls dated on or after it are left out, and only
    /// contacts whose 7-day payment window closes before it count towards call-to-payment.
    @Test func aDataCutoffHidesLaterCallsAndUnfinishedPaymentWindows() {
        let march = (day("2026-03-01"), day("2026-04-01"))
        let open = KPIs.compute(export: export, from: march.0, to: march.1)
        // March without a cutoff: A1–A4 (A4 at 04-01T02:00Z is 03-31 in New York), RPCs A2, A3, A4; only A2 is paid.
        #expect(open.counts["call_attempts"] == 4 && open.counts["right_party_contacts"] == 3)
        close(open.value("call_to_payment_rate"), 1.0 / 3, "call-to-payment without a cutoff")
        let cut = KPIs.compute(export: export, from: march.0, to: march.1, options: KPIOptions(observedBefore: march.1))
        // A4 is dated (UTC) 04-01, not before the cutoff: left out. A2 and A3 have windows closing 03-11 and 03-19.
        #expect(cut.counts["call_attempts"] == 3 && cut.counts["right_party_contacts"] == 2)
        #expect(cut.counts["contacts_with_full_payment_window"] == 2)
        close(cut.value("rpc_rate"), 2.0 / 3, "RPC rate with a cutoff")
        close(cut.value("call_to_payment_rate"), 1.0 / 2, "call-to-payment with a cutoff")
        // A cutoff one week earlier leaves A3's window (closing 03-19) open: only A2 is observed.
        let early = KPIs.compute(export: export, from: march.0, to: day("2026-03-19"),
                                 options: KPIOptions(observedBefore: day("2026-03-19")))
        #expect(early.counts["right_party_contacts"] == 2 && early.counts["contacts_with_full_payment_window"] == 1)
        close(early.value("call_to_payment_rate"), 1, "call-to-payment, one contact observed")
    }

    /// Σ amount × days late past the exact Int64 range is null with its reason, never a wrapped number (amounts at the
    /// largest the loader accepts, 10^12, over 26 years late).
    @Test func weightedDaysBeyondTheExactRangeAreNullNotWrapped() throws {
        let huge = try ExportFolder([
            "customers.csv": "customer_id,timezone\nC1,UTC\n",
            "invoices.csv": "invoice_id,customer_id,invoice_date,due_date,amount\n"
                + "I1,C1,2000-01-01,2000-01-02,1000000000000.00\nI2,C1,2000-01-01,2000-01-02,1000000000000.00\n",
            "payments.csv": "payment_id,customer_id,payment_date,amount,invoice_id\n"
                + "P1,C1,2026-03-05,1000000000000.00,I1\nP2,C1,2026-03-05,1000000000000.00,I2\n",
        ])
        let row = KPIs.compute(export: try huge.load(), from: day("2026-03-01"), to: day("2026-04-01"))
        #expect(row.counts["invoices_resolved"] == 2)
        #expect(row.value("days_past_due_at_resolution") == nil)
        #expect(row.nullReasons["days_past_due_at_resolution"]?.contains("exact integer range") == true)
    }

    /// Segment values spelled like the reserved group names keep their own groups.
    @Test func valuesNamedLikeReservedGroupsStayApart() throws {
        var files = handBuiltFiles
        files["customers.csv"] = "customer_id,timezone,segment\nC1,America/New_York,all\nC2,Asia/Tokyo,(none)\n"
            + "C3,Europe/London,\nC4,Europe/Paris,smb\n"
        let named = try ExportFolder(files)
        let table = KPIs.table(export: try named.load(), from: day("2026-03-01"), to: day("2026-04-01"),
                               period: .month, grouping: .segment)
        #expect(table.groups == ["all", "(none)", "(none) (as written)", "all (as written)", "smb"])
        #expect(Set(table.groups).count == table.groups.count)
        let customers = table.groups.map { table.rows(group: $0)[0].counts["customers"] ?? -1 }
        #expect(customers == [4, 1, 1, 1, 1])
    }

    @Test func jsonHasTheContractKeysAndNulls() throws {
        let data = try KPIFormat.json(table(.segment))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let rows = object["rows"] as! [[String: Any]]
        #expect(rows.count == 8)
        let kpis = rows[0]["kpis"] as! [String: Any]
        #expect(Set(kpis.keys) == Set(KPIName.all))
        #expect(Set(KPIName.all).count == 9 + 25)
        let enterprise = rows.first { ($0["group"] as? String) == "enterprise" }!
        #expect((enterprise["kpis"] as! [String: Any])["dso"] is NSNull)
        #expect((enterprise["null_reasons"] as! [String: String])["dso"] == "no credit sales in the period")
        // Byte-stable.
        #expect(try KPIFormat.json(table(.segment)) == data)
        let text = KPIFormat.text(table())
        #expect(text.contains("2026-03  all"))
        let csv = String(decoding: KPIFormat.csv(table()), as: UTF8.self)
        #expect(csv.split(separator: "\n").count == 3)
    }
}
