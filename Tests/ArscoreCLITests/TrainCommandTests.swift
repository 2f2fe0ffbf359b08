import Foundation
import TestSupport
import Testing
@testable import ArscoreCLI

/// `arscore train`, run in-process.
@Suite("arscore train")
struct TrainCommandTests {
    @Test func trainWritesAVersionedBundleAndNeverOverwritesOne() throws {
        let folder = try TemporaryFolder()
        let data = folder.path + "/export", models = folder.path + "/Models/demo"
        #expect(runCommand(["generate", "--out", data, "--customers", "300", "--months", "12", "--seed", "3",
                            "--end", "2026-11-01", "--quiet"]) == nil)
        #expect(runCommand(["train", "--data", data, "--out", models, "--quiet"]) == nil)
        for file in ["bundle.json", "pay_likelihood.json", "time_to_pay.json", "call_window.json", "promise_kept.json", "cash_share.json",
                     "model_card.md"] {
            #expect(folder.exists("Models/demo/v1/" + file), "missing \(file)")
        }
        let card = try folder.read("Models/demo/v1/model_card.md")
        #expect(card.contains("## Holdout metrics") && card.contains("| pay likelihood"))
        let manifest = try JSONSerialization.jsonObject(with: Data(try folder.read("Models/demo/v1/bundle.json").utf8)) as? [String: Any]
        #expect(manifest?["version"] as? String == "v1")
        #expect((manifest?["data"] as? [String: Any])?["fingerprint"] as? String != nil)

        // A second run gets the next version; naming an existing one fails and changes nothing.
        #expect(runCommand(["train", "--data", data, "--out", models, "--holdout", "1", "--quiet"]) == nil)
        #expect(folder.exists("Models/demo/v2/bundle.json"))
        let before = try folder.read("Models/demo/v1/bundle.json")
        let exists = try #require(runCommand(["train", "--data", data, "--out", models, "--version", "v1", "--quiet"]))
        #expect(exists.contains("Models/demo/v1") && exists.contains("already exists"))
        #expect(try folder.read("Models/demo/v1/bundle.json") == before)

        // A history too short for the holdout: a clear error and no partial bundle.
        let short = try #require(runCommand(["train", "--data", data, "--out", models, "--holdout", "12", "--quiet"]))
        #expect(short.contains("history too short") && short.contains("--holdout 12"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: models).sorted()
        #expect(entries == ["v1", "v2"])
    }

    @Test func badOptionsAreRefusedBeforeAnyWork() throws {
        let folder = try TemporaryFolder()
        let message = try #require(runCommand(["train", "--data", folder.path, "--out", folder.path + "/m", "--snapshots", "weekly"]))
        #expect(message.contains("--snapshots"))
        let version = try #require(runCommand(["train", "--data", folder.path, "--out", folder.path + "/m", "--version", "../x"]))
        #expect(version.contains("--version"))
        let missing = try #require(runCommand(["train", "--data", folder.path + "/nope", "--out", folder.path + "/m", "--quiet"]))
        #expect(missing.contains("nope"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/m/v1"))
    }
}
