@testable import ArscoreCLI
import CivilTime
import Foundation
import KPIs
import Receivables
import TestSupport
import Testing

/// The `kpis` block of the nightly manifest: the collection KPIs of the 30 days before the as-of date.
@Suite("arscore score: the manifest's KPI block")
struct ScoreManifestKPITests {
    @Test func theManifestCarriesTheLast30DaysOfKPIsAsArscoreKpiComputesThem() throws {
        let folder = try TemporaryFolder()
        let out = folder.path + "/queues"
        #expect(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: "2026-10-15")) == nil)
        let manifest = queueManifest(out + "/2026-10-15")
        let block = try #require(manifest["kpis"] as? [String: Any])
        #expect(block["from"] as? String == "2026-09-15" && block["to"] as? String == "2026-10-15")
        let values = try #require(block["kpis"] as? [String: Any])
        let counts = try #require(block["counts"] as? [String: Any])

        // The same window computed from a fresh load of the export, without the nightly run, with the data cut off at
        // the as-of date as the night uses it.
        let export = try ExportLoader.load(folder: demoDataPath)
        let asOf = CivilDate.parseExact("2026-10-15")!
        let expected = KPIs.compute(export: export, from: CivilDate.parseExact("2026-09-15")!, to: asOf,
                                    options: KPIOptions(observedBefore: asOf))
        #expect(Set(values.keys) == Set(expected.values.keys))
        for (name, value) in expected.values {
            if let value {
                let written = try #require(values[name] as? Double, "\(name) missing or null")
                #expect(abs(written - value) <= 1e-12 * max(1, abs(value)), "\(name): \(written) vs \(value)")
            } else {
                #expect(values[name] is NSNull, "\(name) should be null")
            }
        }
        #expect(counts["call_attempts"] as? Int == Int(expected.counts["call_attempts"] ?? -1))
        #expect((counts["call_attempts"] as? Int ?? 0) > 0)
    }

    /// A replay sees only rows dated before its as-of date: the block is the same on the full export and on a copy
    /// cut to the rows before that date (calls, payments, invoices and promises dated on or after it removed).
    @Test func aReplayedDaysBlockUsesOnlyRowsBeforeItsAsOfDate() throws {
        let folder = try TemporaryFolder()
        let asOf = "2026-08-01"
        let cut = folder.path + "/cut"
        try FileManager.default.createDirectory(atPath: cut, withIntermediateDirectories: true)
        let dateColumns = ["customers.csv": nil, "calls.csv": "started_at", "payments.csv": "payment_date",
                           "invoices.csv": "invoice_date", "promises.csv": "created_date"]
        for (file, column) in dateColumns {
            let lines = try String(contentsOfFile: demoDataPath + "/" + file, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let header = lines[0].split(separator: ",").map(String.init)
            let index = column.flatMap { header.firstIndex(of: $0) }
            let kept = lines.dropFirst().filter { line in
                guard let index else { return true }
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                return String(cells[index].prefix(10)) < asOf
            }
            try ([lines[0]] + kept).joined(separator: "\n").appending("\n")
                .write(toFile: cut + "/" + file, atomically: true, encoding: .utf8)
        }
        #expect(runCommand(scoreArguments(data: demoDataPath, out: folder.path + "/full", asOf: asOf)) == nil)
        #expect(runCommand(scoreArguments(data: cut, out: folder.path + "/cut-queues", asOf: asOf)) == nil)
        let full = try #require(queueManifest(folder.path + "/full/" + asOf)["kpis"] as? NSDictionary)
        let truncated = try #require(queueManifest(folder.path + "/cut-queues/" + asOf)["kpis"] as? NSDictionary)
        #expect(full == truncated)
        let counts = try #require(full["counts"] as? [String: Any])
        #expect((counts["contacts_with_full_payment_window"] as? Int ?? 0) < (counts["right_party_contacts"] as? Int ?? 0))
    }
}
