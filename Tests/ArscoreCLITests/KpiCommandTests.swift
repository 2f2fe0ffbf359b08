import Foundation
import Jobs
import KPIs
import Testing
import TestSupport
@testable import ArscoreCLI

/// A two-customer export: C1 (New York, smb) invoices 1000 on 2026-03-02 due 04-01 and pays it on 04-10 after an
/// RPC on 04-03; C2 (Tokyo, enterprise) invoices 200 on 2026-04-15, unpaid.
private func writeExport(_ folder: TemporaryFolder) throws -> String {
    _ = try folder.write("customers.csv", "customer_id,timezone,segment,country\nC1,America/New_York,smb,US\nC2,Asia/Tokyo,enterprise,JP\n")
    _ = try folder.write("invoices.csv", "invoice_id,customer_id,invoice_date,due_date,amount\nI1,C1,2026-03-02,2026-04-01,1000\nI2,C2,2026-04-15,2026-05-15,200\n")
    _ = try folder.write("payments.csv", "payment_id,customer_id,payment_date,amount,invoice_id\nP1,C1,2026-04-10,1000,I1\n")
    _ = try folder.write("calls.csv", "call_id,customer_id,started_at,outcome\nA1,C1,2026-04-03T14:00:00Z,right_party\nA2,C2,2026-04-20T01:00:00Z,no_answer\n")
    return folder.path
}

@Suite("arscore kpi")
struct KpiCommandTests {
    @Test func jobComputesTheKPIsWithoutAProcess() throws {
        let folder = try TemporaryFolder()
        let data = try writeExport(folder)
        let report = try KPIReport.run(.init(exportFolder: data, from: CivilDateText.day("2026-03-01"),
                                             to: CivilDateText.day("2026-05-01"), grouping: .segment, format: .json))
        #expect(report.table.groups == ["all", "enterprise", "smb"])
        let april = report.table.rows.first { $0.group == "all" && $0.periodStart == CivilDateText.day("2026-04-01") }!
        // April: beginning 1000, sales 200, ending 200 (current): DSO 200/200·30, CEI 100·(1200−200)/(1200−200).
        #expect(april.value("dso") == 30 && april.value("best_possible_dso") == 30 && april.value("cei") == 100)
        #expect(april.value("rpc_rate") == 0.5 && april.value("call_to_payment_rate") == 1)
        // I1 paid 9 days after its due date.
        #expect(april.value("days_past_due_at_resolution") == 9)
        #expect(april.value("promise_rate") == nil)
    }

    @Test func commandWritesJSONCSVTextAndTheReport() throws {
        let folder = try TemporaryFolder()
        let data = try writeExport(folder)
        let common = ["kpi", "--data", data, "--from", "2026-03-01", "--to", "2026-05-01", "--quiet"]
        #expect(ArscoreMain.run(common + ["--by", "country", "--format", "json", "--out", folder.path + "/k.json"]) == 0)
        let json = try JSONSerialization.jsonObject(with: Data(try folder.read("k.json").utf8)) as! [String: Any]
        #expect(json["by"] as? String == "country")
        let rows = json["rows"] as! [[String: Any]]
        #expect(rows.map { $0["group"] as! String } == ["all", "JP", "US", "all", "JP", "US"])
        let marchJP = rows[1]["kpis"] as! [String: Any]
        #expect(marchJP["dso"] is NSNull)
        #expect((rows[1]["null_reasons"] as! [String: String])["dso"] == "no credit sales in the period")
        #expect(ArscoreMain.run(common + ["--format", "csv", "--out", folder.path + "/k.csv"]) == 0)
        let csv = try folder.read("k.csv").split(separator: "\n")
        #expect(csv.count == 3 && csv[0].hasPrefix("period_start,period_end,days,group,dso,best_possible_dso,add,cei,"))
        #expect(ArscoreMain.run(common + ["--out", folder.path + "/k.txt", "--report", folder.path + "/k.html"]) == 0)
        let text = try folder.read("k.txt")
        #expect(text.contains("2026-04  all") && text.contains("roll rates"))
        let html = try folder.read("k.html")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("https://"))
        #expect(html.components(separatedBy: "class=\"chart line-chart\"").count - 1 == 9)
        #expect(html.components(separatedBy: "class=\"chart heat-map\"").count - 1 == 1)
    }

    @Test func badArgumentsAreOneLineErrors() throws {
        let folder = try TemporaryFolder()
        let data = try writeExport(folder)
        #expect(runCommand(["kpi", "--data", data, "--from", "2026-05-01", "--to", "2026-03-01"])?.contains("must be before") == true)
        #expect(runCommand(["kpi", "--data", data, "--from", "2026-03-01", "--to", "2026-05-01", "--period", "year"])?
            .contains("--period must be month, week or day") == true)
        #expect(runCommand(["kpi", "--data", data, "--from", "2026-03-01", "--to", "2026-05-01", "--by", "agent"])?
            .contains("--by must be segment or country") == true)
        #expect(runCommand(["kpi", "--data", folder.path + "/missing", "--from", "2026-03-01", "--to", "2026-05-01"]) != nil)
    }
}

/// Day numbers for the job's request.
enum CivilDateText {
    static func day(_ text: String) -> Int32 {
        let parts = text.split(separator: "-").map { Int($0)! }
        var (y, m) = (parts[0], parts[1])
        if m <= 2 { y -= 1; m += 12 }
        let era = y / 400, yoe = y - era * 400
        let doy = (153 * (m - 3) + 2) / 5 + parts[2] - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }
}
