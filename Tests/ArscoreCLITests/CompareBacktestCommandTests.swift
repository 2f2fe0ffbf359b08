import Foundation
import TestSupport
import Testing
@testable import ArscoreCLI

/// `arscore compare` and `arscore backtest`, run in-process on a small generated export.
@Suite("arscore compare and backtest")
struct CompareBacktestCommandTests {
    @Test func compareWritesTheTableJSONAndReportAndBacktestReplaysDays() throws {
        let folder = try TemporaryFolder()
        let data = folder.path + "/export", models = folder.path + "/Models/cmp"
        #expect(runCommand(["generate", "--out", data, "--customers", "400", "--months", "12", "--seed", "8",
                            "--end", "2026-11-01", "--quiet"]) == nil)
        #expect(runCommand(["train", "--data", data, "--out", models, "--quiet"]) == nil)
        #expect(runCommand(["train", "--data", data, "--out", models, "--holdout", "1", "--quiet"]) == nil)

        #expect(runCommand(["compare", "--data", data, models + "/v1", models + "/v2", "--format", "json",
                            "--out", folder.path + "/cmp.json", "--report", folder.path + "/report.html",
                            "--backtest-capacity", "10", "--quiet"]) == nil)
        let json = try JSONSerialization.jsonObject(with: Data(try folder.read("cmp.json").utf8)) as? [String: Any]
        let bundles = try #require(json?["bundles"] as? [[String: Any]])
        #expect(bundles.map { $0["label"] as? String } == ["cmp/v1", "cmp/v2"])
        #expect((json?["paired_tests"] as? [Any])?.count == 1)
        #expect((bundles[1]["notes"] as? [String])?.first?.contains("optimistic") == true)
        #expect(!((bundles[0]["backtest"] as? [Any]) ?? []).isEmpty)
        let cash = try #require(bundles[0]["cash_share"] as? [String: Any])
        #expect(cash["share_model"] as? String == "cash_share" && (cash["deciles"] as? [Any])?.count == 10)
        #expect((cash["predicted_to_collected"] as? Double).map { $0 > 0.5 && $0 < 1.5 } == true)
        let html = try folder.read("report.html")
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("cmp/v2") && html.contains("<svg"))

        #expect(runCommand(["compare", "--data", data, models, models + "/v1", "--format", "csv", "--out", folder.path + "/cmp.csv",
                            "--quiet"]) == nil)
        let table = try folder.read("cmp.csv")
        #expect(table.hasPrefix("metric,") && table.contains("cash pred/collected") && table.contains("cash share log-loss"))

        #expect(runCommand(["backtest", "--data", data, "--model", models + "/v1", "--from", "2026-09-01", "--to", "2026-09-10",
                            "--step", "3", "--capacity", "5", "--format", "json", "--quiet"]) == nil)
    }

    @Test func badInputsAreOneLineErrors() throws {
        let folder = try TemporaryFolder()
        let missing = try #require(runCommand(["compare", "--data", folder.path, folder.path + "/no-bundle", "--quiet"]))
        #expect(missing.contains("no-bundle"))
        let dates = try #require(runCommand(["backtest", "--data", folder.path, "--model", "m", "--from", "2026-10-01",
                                             "--to", "2026-09-01", "--capacity", "5"]))
        #expect(dates.contains("--from"))
        let capacity = try #require(runCommand(["backtest", "--data", folder.path, "--model", "m", "--from", "2026-09-01",
                                                "--to", "2026-09-02", "--capacity", "0"]))
        #expect(capacity.contains("--capacity"))
    }
}
