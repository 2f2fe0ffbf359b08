import CivilTime
import Foundation
import Jobs
import Receivables
import Scoring
import TestSupport
import XCTest

/// Sharded scoring: `arscore partition` → `arscore score --shard-result` per shard → `arscore merge` publishes the
/// queue files a one-machine `arscore score` publishes, byte for byte (library calls, no processes).
final class ShardMergeTests: XCTestCase {
    static let asOf = CivilDate.parse("2026-10-15")!
    static let createdAt = Date(timeIntervalSince1970: 1_790_000_000)

    /// The demo export with bad rows: a duplicate invoice id (quoting the line of the first), a row with too few
    /// fields (its customer id unreadable: shard 0), an unknown customer, a payment of an unknown invoice.
    func exportWithBadRows(_ folder: TemporaryFolder) throws -> String {
        let export = folder.path("export")
        try FileManager.default.copyItem(atPath: demoDataPath, toPath: export)
        try append(export + "/invoices.csv", "INV0011854,C001000,2026-10-04,2026-11-03,4589.05,USD,0\nINVX2,C000001\n"
            + "INVX3,NOBODY,2026-01-02,2026-02-01,10.00,USD,0\n")
        try append(export + "/payments.csv", "PAYX1,C000002,2026-09-01,10.00,INVNONE\n")
        return export
    }

    /// A policy exercising every global step: capacity, exploration and holdout draws.
    func policyFile(_ folder: TemporaryFolder) throws -> String {
        try folder.write("policy.json", #"{"capacity": 60, "exploration_share": 0.2, "holdout_share": 0.1, "policy_seed": 11, "plan": "week"}"#) // plan: week until merge runs the plan
    }

    /// Partitions `export` into 4 shards and scores each into `results/shard-N`.
    func scoreShards(_ export: String, folder: TemporaryFolder, policy: String?, asOf: Int32 = asOf,
                     threshold: Double = 0.01) throws -> [String] {
        let shards = try ExportPartition.run(.init(exportFolder: export, shards: 4, outputFolder: folder.path("shards")))
        let policy = try policy ?? folder.write("week.json", #"{"plan": "week"}"#) // plan: week until merge runs the plan
        return try shards.shardFolders.enumerated().map { index, shard in
            let result = folder.path("results/shard-\(index)")
            _ = try ShardScoring.run(.init(exportFolder: shard, modelPath: demoModelPath, resultFolder: result, asOf: asOf,
                                           policyPath: policy, badRowThreshold: threshold))
            return result
        }
    }

    func testFourShardsMergeIntoTheOneMachineQueueFilesByteForByte() throws {
        let folder = try TemporaryFolder("shard-merge")
        let export = try exportWithBadRows(folder)
        let policy = try policyFile(folder)
        let single = try NightlyScoring.run(.init(exportFolder: export, modelPath: demoModelPath, outFolder: folder.path("one"),
                                                  asOf: Self.asOf, policyPath: policy, createdAt: Self.createdAt))
        let results = try scoreShards(export, folder: folder, policy: policy)
        let merged = try ShardMerge.run(.init(resultFolders: results.reversed(), outFolder: folder.path("merged"),
                                              policyPath: policy, createdAt: Self.createdAt))
        let names = try FileManager.default.contentsOfDirectory(atPath: single.folder).sorted()
        XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: merged.folder).sorted())
        XCTAssertTrue(names.contains("manifest.json") && names.contains("quarantine.csv"))
        for name in names {
            let one = try Data(contentsOf: URL(fileURLWithPath: single.folder + "/" + name))
            let many = try Data(contentsOf: URL(fileURLWithPath: merged.folder + "/" + name))
            XCTAssertEqual(one, many, "\(name) differs between one machine and 4 merged shards")
        }
        // The run is not trivial: draws, a capacity cut and quarantined rows with the whole export's line numbers.
        XCTAssertGreaterThan(single.manifest.exclusions["capacity"] ?? 0, 0)
        XCTAssertGreaterThan(single.manifest.exclusions["holdout"] ?? 0, 0)
        XCTAssertGreaterThan(Int(single.manifest.extra["explore_calls"] ?? "0") ?? 0, 0)
        let quarantine = try String(contentsOfFile: merged.folder + "/quarantine.csv", encoding: .utf8)
        XCTAssertTrue(quarantine.contains("invoices.csv,11856,"), quarantine)
        XCTAssertTrue(quarantine.contains("first on line 11855"), quarantine)
        XCTAssertEqual(merged.inputFiles, single.inputFiles)
    }

    func testTheMergeRefusesMissingRepeatedAndForeignShards() throws {
        let folder = try TemporaryFolder("shard-merge")
        let results = try scoreShards(demoDataPath, folder: folder, policy: nil)
        let out = folder.path("queues")
        func refusal(_ folders: [String], policy: String? = nil) -> String {
            do {
                _ = try ShardMerge.run(.init(resultFolders: folders, outFolder: out, policyPath: policy ?? folder.path("week.json"))) // plan: week until merge runs the plan
                return "published"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(refusal(Array(results.prefix(3))).contains("missing shard result for shard 3"))
        XCTAssertTrue(refusal(results + [results[1]]).contains("shard 1 is given twice"))
        let other = folder.path("other-day")
        _ = try ShardScoring.run(.init(exportFolder: folder.path("shards/shard-0002"), modelPath: demoModelPath,
                                       resultFolder: other, asOf: Self.asOf - 1, policyPath: folder.path("week.json"))) // plan: week until merge runs the plan
        XCTAssertTrue(refusal([results[0], results[1], other, results[3]]).contains("as-of 2026-10-14 vs 2026-10-15"))
        let policy = try folder.write("policy.json", #"{"minimum_past_due_balance": 123.5}"#)
        XCTAssertTrue(refusal(results, policy: policy).contains("differs from the policy the shards were scored with"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/latest"), "a refused merge published")
        XCTAssertNotEqual(refusal(results), "")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/latest"))
    }

    /// Today's per-slot plan is a global step the shard result does not carry yet: a shard scored under it would merge
    /// into a different calls.csv than one machine writes, so scoring the shard refuses, naming the key.
    func testTodaysPlanIsRefusedInShardedScoring() throws {
        let folder = try TemporaryFolder("shard-merge")
        let shards = try ExportPartition.run(.init(exportFolder: demoDataPath, shards: 2, outputFolder: folder.path("shards")))
        let policy = try folder.write("policy.json", #"{"plan": "today", "capacity": 40}"#)
        let result = folder.path("results/shard-0")
        XCTAssertThrowsError(try ShardScoring.run(.init(exportFolder: shards.shardFolders[0], modelPath: demoModelPath,
                                                        resultFolder: result, asOf: Self.asOf, policyPath: policy))) {
            XCTAssertTrue("\($0)".contains("policy.json: key \"plan\": sharded scoring supports plan \"week\" only"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: result), "a refused shard wrote a result")
    }

    /// The bad-row threshold is the whole export's: each shard scores (its share alone is not checked), the merge
    /// fails as the one-machine run does and publishes nothing.
    func testTheBadRowThresholdAppliesToTheWholeExport() throws {
        let folder = try TemporaryFolder("shard-merge")
        let export = try exportWithBadRows(folder)
        let threshold = 0.0002 // 3 of 11,857 invoice rows are rejected: 0.025 %
        XCTAssertThrowsError(try NightlyScoring.run(.init(exportFolder: export, modelPath: demoModelPath,
                                                          outFolder: folder.path("one"), asOf: Self.asOf,
                                                          badRowThreshold: threshold)))
        let results = try scoreShards(export, folder: folder, policy: nil, threshold: threshold)
        XCTAssertThrowsError(try ShardMerge.run(.init(resultFolders: results, outFolder: folder.path("merged"), policyPath: folder.path("week.json")))) { // plan: week until merge runs the plan
            XCTAssertTrue("\($0)".contains("invoices.csv: 3 of 11857 rows rejected"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("merged")))
    }

    func append(_ path: String, _ text: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }
}

