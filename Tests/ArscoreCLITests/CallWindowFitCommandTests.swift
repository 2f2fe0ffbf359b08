import Foundation
import TestSupport
import Testing

/// `arscore fit-sharded call_window` and the `fit-shard` / `fit-combine call_window` passes, run in-process, against
/// the call_window.json of `arscore train` on the whole export.
@Suite("arscore fit-sharded call_window")
struct CallWindowFitCommandTests {
    @Test func bothDriversWriteTheTrainedCallWindowFile() throws {
        let folder = try TemporaryFolder("window-cli")
        let export = try #require(CallWindowDistributedFitTests.history.folder).path
        #expect(runCommand(["train", "--data", export, "--out", folder.path("models"), "--holdout", "1", "--quiet"]) == nil)
        let trained = try folder.read("models/v1/call_window.json")
        #expect(runCommand(["partition", "--data", export, "--shards", "4", "--out", folder.path("shards")]) == nil)
        let shards = (0..<4).map { folder.path("shards/shard-000\($0)") }

        #expect(runCommand(["fit-sharded", "call_window", "--data"] + shards
            + ["--holdout", "1", "--out", folder.path("sharded.json"), "--quiet"]) == nil)
        #expect(try folder.read("sharded.json") == trained)

        // The stateless passes: ranges → history end → statistics → the model.
        for (index, shard) in shards.enumerated() {
            #expect(runCommand(["fit-shard", "call_window", "--data", shard, "--out", folder.path("range-\(index).json")]) == nil)
        }
        let ranges = (0..<4).map { folder.path("range-\($0).json") }
        #expect(runCommand(["fit-combine", "call_window", "--stats"] + ranges
            + ["--holdout", "1", "--out", folder.path("end.json")]) == nil)
        let endFile = try JSONSerialization.jsonObject(with: Data(try folder.read("end.json").utf8)) as? [String: String]
        let end = try #require(endFile?["historyEnd"])
        let bundle = try JSONSerialization.jsonObject(with: Data(try folder.read("models/v1/bundle.json").utf8)) as? [String: Any]
        let training = try #require(bundle?["training"] as? [String: Any])
        #expect((training["holdout_dates"] as? [String])?.first == end)
        for (index, shard) in shards.enumerated() {
            #expect(runCommand(["fit-shard", "call_window", "--data", shard, "--history-end", end,
                                "--out", folder.path("stats-\(index).json")]) == nil)
        }
        let stats = (0..<4).map { folder.path("stats-\($0).json") }
        #expect(runCommand(["fit-combine", "call_window", "--stats"] + stats
            + ["--holdout", "1", "--out", folder.path("combined.json")]) == nil)
        #expect(try folder.read("combined.json") == trained)

        // Statistics for another split (the default --holdout 2) are refused, naming a file; nothing is written.
        let refused = try #require(runCommand(["fit-combine", "call_window", "--stats"] + stats
            + ["--out", folder.path("wrong.json")]))
        #expect(refused.contains("stats-") && refused.contains("history ending"))
        #expect(!folder.exists("wrong.json"))
        let bad = try #require(runCommand(["fit-shard", "call_window", "--data", shards[0], "--history-end", "2026-13-01",
                                           "--out", folder.path("bad.json")]))
        #expect(bad.contains("--history-end"))
        #expect(try #require(runCommand(["fit-shard", "call_window", "--out", folder.path("x.json")])).contains("--data"))
    }
}
