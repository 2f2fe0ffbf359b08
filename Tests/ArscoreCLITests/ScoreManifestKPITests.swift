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

        // The same window computed from a fresh load of the export, without the nightly run.
        let export = try ExportLoader.load(folder: demoDataPath)
        let expected = KPIs.compute(export: export, from: CivilDate.parseExact("2026-09-15")!,
                                    to: CivilDate.parseExact("2026-10-15")!)
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
}
