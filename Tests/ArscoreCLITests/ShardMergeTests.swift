import Bundles
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

    /// A policy exercising every global step: capacity, exploration and holdout draws (`plan` is the default's).
    static let drawsPolicy = #"{"capacity": 60, "exploration_share": 0.2, "holdout_share": 0.1, "policy_seed": 11}"#

    /// Partitions `export` into 4 shards and scores each into `results/shard-N`.
    func scoreShards(_ export: String, folder: TemporaryFolder, policy: String?, asOf: Int32 = asOf,
                     threshold: Double = 0.01) throws -> [String] {
        let shards = try ExportPartition.run(.init(exportFolder: export, shards: 4, outputFolder: folder.path("shards")))
        return try shards.shardFolders.enumerated().map { index, shard in
            let result = folder.path("results/shard-\(index)")
            _ = try ShardScoring.run(.init(exportFolder: shard, modelPath: demoModelPath, resultFolder: result, asOf: asOf,
                                           policyPath: policy, badRowThreshold: threshold))
            return result
        }
    }

    /// Scores the export with bad rows on one machine and as 4 merged shards (read in reverse order) under the policy
    /// `policyJSON`, and checks every published file, the manifest included, is the same byte for byte.
    @discardableResult
    func assertFourShardsMatchOneMachine(policyJSON: String, doNotCallTimes: Bool = false, file: StaticString = #filePath,
                                         line: UInt = #line) throws -> (one: NightlyScoring.Report, merged: ShardMerge.Report,
                                                                        folder: TemporaryFolder) {
        let folder = try TemporaryFolder("shard-merge")
        let export = try exportWithBadRows(folder)
        if doNotCallTimes { try addDoNotCallTimes(export + "/customers.csv") }
        let policy = try folder.write("policy.json", policyJSON)
        let single = try NightlyScoring.run(.init(exportFolder: export, modelPath: demoModelPath, outFolder: folder.path("one"),
                                                  asOf: Self.asOf, policyPath: policy, createdAt: Self.createdAt))
        let results = try scoreShards(export, folder: folder, policy: policy)
        let merged = try ShardMerge.run(.init(resultFolders: results.reversed(), outFolder: folder.path("merged"),
                                              policyPath: policy, createdAt: Self.createdAt))
        let names = try FileManager.default.contentsOfDirectory(atPath: single.folder).sorted()
        XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: merged.folder).sorted(), file: file, line: line)
        XCTAssertTrue(names.contains("manifest.json") && names.contains("quarantine.csv"), file: file, line: line)
        for name in names {
            let one = try Data(contentsOf: URL(fileURLWithPath: single.folder + "/" + name))
            let many = try Data(contentsOf: URL(fileURLWithPath: merged.folder + "/" + name))
            XCTAssertEqual(one, many, "\(name) differs between one machine and 4 merged shards", file: file, line: line)
        }
        XCTAssertEqual(merged.manifest.exclusions, single.manifest.exclusions, file: file, line: line)
        XCTAssertEqual(merged.manifest.extra, single.manifest.extra, file: file, line: line)
        let quarantine = try String(contentsOfFile: merged.folder + "/quarantine.csv", encoding: .utf8)
        XCTAssertTrue(quarantine.contains("invoices.csv,11856,"), quarantine, file: file, line: line)
        XCTAssertTrue(quarantine.contains("first on line 11855"), quarantine, file: file, line: line)
        XCTAssertEqual(merged.inputFiles, single.inputFiles, file: file, line: line)
        return (single, merged, folder)
    }

    /// The default policy's plan (whichever `plan` is the default), with the draws and a capacity cut.
    func testFourShardsMergeIntoTheOneMachineQueueFilesByteForByte() throws {
        let (single, _, _) = try assertFourShardsMatchOneMachine(policyJSON: Self.drawsPolicy)
        // The run is not trivial: draws, a capacity cut and quarantined rows with the whole export's line numbers.
        XCTAssertGreaterThan(single.manifest.exclusions["capacity"] ?? 0, 0)
        XCTAssertGreaterThan(single.manifest.exclusions["holdout"] ?? 0, 0)
        XCTAssertGreaterThan(Int(single.manifest.extra["explore_calls"] ?? "0") ?? 0, 0)
    }

    /// `plan: week`: each call in its best window of the week, the top of the ranking cut to the capacity.
    func testFourShardsMergeTheWeeklyListByteForByte() throws {
        let (single, _, folder) = try assertFourShardsMatchOneMachine(policyJSON:
            #"{"plan": "week", "capacity": 60, "exploration_share": 0.2, "holdout_share": 0.1, "policy_seed": 11}"#)
        XCTAssertGreaterThan(single.manifest.exclusions["capacity"] ?? 0, 0)
        XCTAssertEqual(single.manifest.exclusions["better_another_day"] ?? 0, 0)
        let calls = try rows(single.folder + "/calls.csv")
        _ = folder
        XCTAssertEqual(calls.count, 60)
        // Best windows of the week: they start on several days, not only the as-of day.
        XCTAssertGreaterThan(Set(calls.map { $0[column("window_start_utc")].prefix(10) }).count, 1)
    }

    /// `plan: today`, with every global step of the plan at work: accounts deferred as `better_another_day`, a binding
    /// `calls_per_slot`, a team clock other than UTC, exploration and holdout draws, consumer contact rules.
    func testFourShardsMergeTodaysPlanByteForByte() throws {
        let (single, merged, folder) = try assertFourShardsMatchOneMachine(policyJSON: #"""
            {"plan": "today", "capacity": 60, "calls_per_slot": 5, "team_timezone": "America/New_York",
             "team_hours": "08:00-18:00", "exploration_share": 0.2, "holdout_share": 0.1, "policy_seed": 11,
             "contact_rules": "consumer", "wait_discount_per_day": 0.95}
            """#)
        let exclusions = merged.manifest.exclusions
        XCTAssertGreaterThan(exclusions["better_another_day"] ?? 0, 0, "no account was deferred to a better day")
        XCTAssertGreaterThan(exclusions["holdout"] ?? 0, 0)
        XCTAssertGreaterThan(Int(merged.manifest.extra["explore_calls"] ?? "0") ?? 0, 0, "no explore pick")
        let calls = try rows(single.folder + "/calls.csv")
        _ = folder
        let perSlot = Dictionary(grouping: calls, by: { $0[column("window_start_utc")] }).mapValues(\.count)
        XCTAssertLessThan(calls.count, 60, "calls_per_slot did not bind")
        XCTAssertEqual(perSlot.values.max(), 5, "no slot is full")
        XCTAssertGreaterThan(exclusions["capacity"] ?? 0, 0)
        // Slots are whole hours of the team's New York day (EDT on 2026-10-15: 12:00Z = 08:00 local).
        let hours = Set(perSlot.keys.map { String($0.dropFirst(11).prefix(2)) })
        XCTAssertTrue(hours.isSubset(of: Set((12..<22).map { String($0) })), "\(hours)")
        XCTAssertTrue(perSlot.keys.allSatisfy { $0.hasPrefix("2026-10-15T") })
        XCTAssertGreaterThan(Set(calls.map { $0[column("timezone")] }).count, 1)
    }

    /// Today's plan with customers.csv's optional `do_not_call_times`: every 5th customer blocked in some windows, every
    /// 40th in all of them; the merge still publishes what one machine does, byte for byte.
    func testFourShardsMergeTodaysPlanWithDoNotCallTimesByteForByte() throws {
        let policy = #"{"plan": "today", "capacity": 60, "calls_per_slot": 5, "exploration_share": 0.2, "policy_seed": 11}"#
        let (single, merged, _) = try assertFourShardsMatchOneMachine(policyJSON: policy, doNotCallTimes: true)
        XCTAssertGreaterThan(single.manifest.exclusions["do_not_call_times"] ?? 0, 0)
        XCTAssertEqual(merged.manifest.exclusions["do_not_call_times"], single.manifest.exclusions["do_not_call_times"])
        let (week, _, _) = try assertFourShardsMatchOneMachine(policyJSON: #"{"plan": "week", "capacity": 60}"#,
                                                                doNotCallTimes: true)
        XCTAssertGreaterThan(week.manifest.exclusions["do_not_call_times"] ?? 0, 0)
    }

    /// Adds a `do_not_call_times` column to a customers.csv (cells without commas or quotes).
    func addDoNotCallTimes(_ path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let rewritten = lines.enumerated().map { index, line -> String in
            if index == 0 { return line + ",do_not_call_times" }
            if line.isEmpty { return String(line) }
            let value = index % 40 == 0 ? "Mon-Fri 07:00-19:00" : index % 5 == 0 ? "Mon-Wed 09:00-12:00; 16:30-17:00" : ""
            return line + "," + value
        }
        try rewritten.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The data rows of a queue file, split at commas (the cells compared hold none).
    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func column(_ name: String) -> Int { QueueBuilder.callsHeader.firstIndex(of: name)! }

    func testTheMergeRefusesMissingRepeatedAndForeignShards() throws {
        let folder = try TemporaryFolder("shard-merge")
        let results = try scoreShards(demoDataPath, folder: folder, policy: nil)
        let out = folder.path("queues")
        func refusal(_ folders: [String], policy: String? = nil) -> String {
            do {
                _ = try ShardMerge.run(.init(resultFolders: folders, outFolder: out, policyPath: policy))
                return "published"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(refusal(Array(results.prefix(3))).contains("missing shard result for shard 3"))
        XCTAssertTrue(refusal(results + [results[1]]).contains("shard 1 is given twice"))
        let other = folder.path("other-day")
        _ = try ShardScoring.run(.init(exportFolder: folder.path("shards/shard-0002"), modelPath: demoModelPath,
                                       resultFolder: other, asOf: Self.asOf - 1))
        XCTAssertTrue(refusal([results[0], results[1], other, results[3]]).contains("as-of 2026-10-14 vs 2026-10-15"))
        let policy = try folder.write("policy.json", #"{"minimum_past_due_balance": 123.5}"#)
        XCTAssertTrue(refusal(results, policy: policy).contains("differs from the policy the shards were scored with"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/latest"), "a refused merge published")
        XCTAssertNotEqual(refusal(results), "")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/latest"))
    }

    /// Format 2 carries today's plan's inputs per candidate exactly: each candidate's zone and its 25 P(contact) values
    /// read back bit for bit as one machine plans with them; format 1 and a malformed field are refused, naming the file
    /// (and line) and the field.
    func testTheShardResultCarriesThePlanInputsBitForBit() throws {
        let folder = try TemporaryFolder("shard-merge")
        let policyJSON = #"{"plan": "today", "capacity": 40}"#
        let policyPath = try folder.write("policy.json", policyJSON)
        let shards = try ExportPartition.run(.init(exportFolder: demoDataPath, shards: 4, outputFolder: folder.path("shards")))
        var written = [[QueueShardCandidate]]()
        let results = try shards.shardFolders.enumerated().map { index, shard in
            let result = folder.path("results/shard-\(index)")
            written.append(try ShardScoring.run(.init(exportFolder: shard, modelPath: demoModelPath, resultFolder: result,
                                                      asOf: Self.asOf, policyPath: policyPath)).result.rows.candidates)
            return result
        }
        let bundle = try ModelBundle.load(path: try ModelBundle.resolveVersionFolder(demoModelPath))
        let night = try NightlyScoring.build(exportFolder: demoDataPath, bundle: bundle,
                                             policy: try QueuePolicy.load(path: folder.path("policy.json")), asOf: Self.asOf)
        let rowOf = Dictionary(uniqueKeysWithValues: (0..<night.scored.count).map { (night.customerID(ofRow: $0), $0) })
        var checked = 0
        for (folderPath, candidates) in zip(results, written) {
            let read = try ShardResult.read(from: folderPath).rows.candidates
            // The round trip is exact: every double read back has the bits the shard computed.
            XCTAssertEqual(read.map { $0.plan?.windowContact.map(\.bitPattern) }, candidates.map { $0.plan?.windowContact.map(\.bitPattern) })
            XCTAssertEqual(read, candidates)
            for candidate in read {
                let plan = try XCTUnwrap(candidate.plan, "\(candidate.customerId) carries no plan inputs")
                let row = try XCTUnwrap(rowOf[candidate.customerId])
                // The shard's GEMM over its own rows may differ from the whole export's in the last bits (BLAS blocking).
                for (shard, whole) in zip(plan.windowContact, night.scored.windowContact(ofRow: row)) {
                    XCTAssertEqual(shard, whole, accuracy: 1e-12 * max(1, abs(whole)))
                }
                let customer = Int(night.scored.table.customers[row])
                XCTAssertEqual(plan.zone, night.export.customers.timezoneNames[Int(night.export.customers.timezone[customer])])
                XCTAssertTrue(candidate.callCells.isEmpty)
                checked += 1
            }
        }
        XCTAssertEqual(checked, night.queues.candidateRows.count + night.queues.heldOutRows.count)
        XCTAssertGreaterThan(checked, 40)

        let shardJSON = results[1] + "/shard.json"
        let original = try String(contentsOfFile: shardJSON, encoding: .utf8)
        XCTAssertTrue(original.contains("\"format_version\" : 2"), original)
        try original.replacingOccurrences(of: "\"format_version\" : 2", with: "\"format_version\" : 1")
            .write(toFile: shardJSON, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ShardMerge.run(.init(resultFolders: results, outFolder: folder.path("merged"),
                                                      policyPath: folder.path("policy.json")))) {
            XCTAssertTrue("\($0)".contains(shardJSON + ": field \"format_version\" is 1"), "\($0)")
        }
        try original.write(toFile: shardJSON, atomically: true, encoding: .utf8)
        let table = results[2] + "/candidates.tsv"
        var lines = try String(contentsOfFile: table, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[1].components(separatedBy: "\t")
        fields[5] = fields[5].components(separatedBy: ",").dropLast().joined(separator: ",")
        lines[1] = fields.joined(separator: "\t")
        try lines.joined(separator: "\n").write(toFile: table, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ShardResult.read(from: results[2])) {
            XCTAssertTrue("\($0)".contains(table + ":2: field window_contact holds 24 values, expected 25"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("merged")))
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
        XCTAssertThrowsError(try ShardMerge.run(.init(resultFolders: results, outFolder: folder.path("merged")))) {
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

