import Foundation
import Jobs
import Receivables
import TestSupport
import XCTest

/// `arscore partition`: shards of a generated export, with bad rows, loaded back with the export loader.
final class PartitionTests: XCTestCase {
    /// The documented hash must not drift: FNV-1a 64-bit constants (checked against a Python implementation).
    func testHashOfFixedIdsIsCommittedConstant() {
        XCTAssertEqual(ShardHash.fnv1a64("C00042"), 0x4319_2821_7df4_443c)
        XCTAssertEqual(ShardHash.fnv1a64("007"), 0x4e7e_ef18_1d60_f22e)
        XCTAssertEqual(ShardHash.fnv1a64("7"), 0xaf63_aa4c_8601_9796)
        XCTAssertEqual(ShardHash.fnv1a64(""), 0xcbf2_9ce4_8422_2325)
    }

    func testPartitionKeepsEveryRowAndEveryShardLoads() throws {
        let history = try GeneratedHistory(customers: 200, months: 6, seed: 5)
        let input = history.folder!.path
        // Bad rows: an unknown customer, a row with too few fields, a blank customer_id, leading-zero ids.
        try append(input + "/customers.csv", "007,Europe/Paris,,,,0\n7,Europe/Paris,,,,0\n")
        try append(input + "/invoices.csv", "INVX1,NOBODY,2026-01-02,2026-02-01,10.00,USD,0\nINVX2,C000001\n"
            + "INVX3,  ,2026-01-02,2026-02-01,10.00,USD,0\nINVX4,007,2026-01-02,2026-02-01,5.00,USD,0\n")
        let loose = ExportLoadOptions(badRowThreshold: 1)
        let whole = try ExportLoader.load(folder: input, options: loose)
        let out = try TemporaryFolder("partition")
        let report = try ExportPartition.run(.init(exportFolder: input, shards: 4, outputFolder: out.path("shards")))
        XCTAssertEqual(report.shardFolders.map { URL(fileURLWithPath: $0).lastPathComponent },
                       ["shard-0000", "shard-0001", "shard-0002", "shard-0003"])
        var owner: [String: Int] = [:]
        var quarantine: [String] = []
        for (shard, folder) in report.shardFolders.enumerated() {
            let part = try ExportLoader.load(folder: folder, options: loose)
            for row in 0..<part.customers.ids.count {
                let id = part.customers.ids.id(row)
                XCTAssertNil(owner[id], "customer \(id) in two shards")
                owner[id] = shard
                XCTAssertEqual(Int(ShardHash.fnv1a64(id) % 4), shard)
            }
            quarantine += part.quarantine.map { "\($0.file)|\($0.reason)" }
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/selections.csv"))
        }
        XCTAssertEqual(owner.count, whole.customers.ids.count)
        XCTAssertNotNil(owner["007"])
        XCTAssertNotNil(owner["7"])
        XCTAssertNotEqual(ShardHash.fnv1a64("007"), ShardHash.fnv1a64("7"))
        XCTAssertEqual(quarantine.sorted(), whole.quarantine.map { "\($0.file)|\($0.reason)" }.sorted())
        XCTAssertGreaterThanOrEqual(whole.quarantine.count, 3)
        for file in report.files {
            let lines = try String(contentsOfFile: input + "/" + file.fileName, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).dropFirst().filter { !$0.isEmpty }
            XCTAssertEqual(file.rows, lines.count, file.fileName)
            var shardLines: [Substring] = []
            for folder in report.shardFolders {
                shardLines += try String(contentsOfFile: folder + "/" + file.fileName, encoding: .utf8)
                    .split(separator: "\n").dropFirst()
            }
            XCTAssertEqual(shardLines.sorted(), lines.sorted(), "\(file.fileName): rows not copied byte for byte")
        }
        // The row with too few fields and the blank id go to shard 0.
        let shard0 = try String(contentsOfFile: report.shardFolders[0] + "/invoices.csv", encoding: .utf8)
        XCTAssertTrue(shard0.contains("INVX2,C000001\n"))
        XCTAssertTrue(shard0.contains("INVX3,  ,"))
    }

    func testRefusesBadShardCountsExistingOutputAndMissingColumns() throws {
        let history = try GeneratedHistory(customers: 20, months: 3, seed: 2)
        let input = history.folder!.path
        let out = try TemporaryFolder("partition")
        XCTAssertThrowsError(try ExportPartition.run(.init(exportFolder: input, shards: 0, outputFolder: out.path("a"))))
        XCTAssertThrowsError(try ExportPartition.run(.init(exportFolder: input, shards: 4097, outputFolder: out.path("a"))))
        try FileManager.default.createDirectory(atPath: out.path("full"), withIntermediateDirectories: true)
        _ = try out.write("full/x", "x")
        XCTAssertThrowsError(try ExportPartition.run(.init(exportFolder: input, shards: 2, outputFolder: out.path("full"))))
        let text = try String(contentsOfFile: input + "/payments.csv", encoding: .utf8)
        try text.replacingOccurrences(of: "customer_id", with: "client").write(
            toFile: input + "/payments.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExportPartition.run(.init(exportFolder: input, shards: 2, outputFolder: out.path("b")))) {
            XCTAssertTrue("\($0)".contains("payments.csv") && "\($0)".contains("customer_id"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path("b")))
    }

    private func append(_ path: String, _ text: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}
