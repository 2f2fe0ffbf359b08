@testable import ArscoreCLI
import Foundation
import Jobs
import TestSupport
import Testing

/// `arscore generate` and `arscore features`, run in-process.
struct GenerateFeaturesCommandTests {
    @Test func generateWritesACompleteExportAndRefusesToOverwrite() throws {
        let folder = try TemporaryFolder()
        let out = "\(folder.path)/export"
        #expect(runCommand(["generate", "--out", out, "--customers", "40", "--months", "3", "--seed", "9", "--quiet"]) == nil)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["calls.csv", "customers.csv", "invoices.csv", "payments.csv", "promises.csv", "truth.json"])
        let again = try #require(runCommand(["generate", "--out", out, "--customers", "40", "--quiet"]))
        #expect(again.contains("already exists"))
        // No temporary folder is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["export"])
    }

    @Test func generateFillsAnExistingEmptyFolderAndCleansStaleTemporaries() throws {
        let folder = try TemporaryFolder()
        let out = "\(folder.path)/export"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: "\(folder.path)/.export.partial-99999", withIntermediateDirectories: false)
        #expect(runCommand(["generate", "--out", out, "--customers", "10", "--months", "2", "--quiet"]) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["export"])
    }

    @Test func invalidGeneratorSettingsLeaveNothingBehind() throws {
        let folder = try TemporaryFolder()
        let message = try #require(runCommand(["generate", "--out", "\(folder.path)/x", "--customers", "0", "--quiet"]))
        #expect(message.contains("customers"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func generateWritesTheArchetypesWorldAndRejectsUnknownWorlds() throws {
        let folder = try TemporaryFolder()
        let out = "\(folder.path)/export"
        #expect(runCommand(["generate", "--out", out, "--customers", "30", "--months", "3", "--world", "archetypes", "--quiet"]) == nil)
        #expect(try String(contentsOfFile: "\(out)/truth.json", encoding: .utf8).contains("\"world\": \"archetypes\""))
        let message = try #require(runCommand(["generate", "--out", "\(folder.path)/y", "--world", "flat", "--quiet"]))
        #expect(message.contains("unknown world \"flat\"") && message.contains("lift, archetypes"))
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/y"))
    }

    @Test func featuresWritesOneRowPerOpenAccountWithLabelsAndQuarantine() throws {
        let folder = try TemporaryFolder()
        let export = "\(folder.path)/export"
        #expect(runCommand(["generate", "--out", export, "--customers", "80", "--months", "6", "--seed", "4",
                            "--end", "2026-07-01", "--quiet"]) == nil)
        #expect(runCommand(["features", "--data", export, "--as-of", "2026-05-01", "--out", "\(folder.path)/f.csv",
                            "--quarantine", "\(folder.path)/q.csv", "--quiet"]) == nil)
        let lines = try folder.read("f.csv").split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.prefix(3) == ["customer_id", "as_of", "open_balance"])
        #expect(header.contains("paid_within_30d") && header.contains("max_days_past_due"))
        #expect(lines.count > 10)
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(first.count == header.count)
        #expect(first[0].hasPrefix("C") && first[1] == "2026-05-01")
        #expect(Double(first[2])! > 0)     // open balance
        #expect(try folder.read("q.csv") == "file,line,field,reason\n")
    }

    @Test func featuresFailsOverTheBadRowThresholdAndWritesNothing() throws {
        let folder = try TemporaryFolder()
        let export = "\(folder.path)/export"
        #expect(runCommand(["generate", "--out", export, "--customers", "30", "--months", "3", "--quiet"]) == nil)
        // Corrupt every invoice amount.
        let path = "\(export)/invoices.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let corrupted = [lines[0]] + lines.dropFirst().map { line -> String in
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[4] = "n/a"
            return cells.joined(separator: ",")
        }
        try Data((corrupted.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let message = try #require(runCommand(["features", "--data", export, "--as-of", "2026-10-01",
                                               "--out", "\(folder.path)/f.csv", "--quiet"]))
        #expect(message.contains("invoices.csv") && message.contains("threshold"))
        #expect(!folder.exists("f.csv"))
    }

    @Test func exportWithoutCallLogStillProducesFeatures() throws {
        let folder = try TemporaryFolder()
        let export = "\(folder.path)/export"
        #expect(runCommand(["generate", "--out", export, "--customers", "30", "--months", "4", "--quiet"]) == nil)
        try FileManager.default.removeItem(atPath: "\(export)/calls.csv")
        try FileManager.default.removeItem(atPath: "\(export)/promises.csv")
        let report = try FeatureExtraction.run(.init(
            exportFolder: export, asOf: 20_700 /* 2026-09-04 */, outputPath: "\(folder.path)/f.csv"))
        #expect(report.notes.contains { $0.contains("calls.csv") })
        #expect(report.customers > 0)
    }

    @Test func featuresRejectsABadDate() {
        let message = runCommand(["features", "--data", "x", "--as-of", "2026-02-30", "--out", "f.csv"])
        #expect(message?.contains("--as-of") == true)
    }
}
