import CivilTime
import Foundation
import Jobs
import TestSupport
import Testing
import Training

/// The call-window model fitted from shard statistics: `arscore partition` → per-shard window statistics → combine
/// gives the `call_window.json` a one-machine `arscore train` writes, byte for byte; and that file does not depend
/// on the export's row order (the EM sample is chosen by a seeded hash of customer_id).
@Suite("Distributed call-window fit")
struct CallWindowDistributedFitTests {
    /// 500 customers over 12 months; the EM sample (120 accounts) is a minority of the accounts with calls, so the
    /// sample rule and the shards' candidate merge decide which accounts enter.
    static let history: GeneratedHistory = {
        do { return try GeneratedHistory(customers: 500, months: 12, seed: 31) } catch {
            fatalError("cannot generate the export: \(error)")
        }
    }()

    static var options: TrainingOptions {
        var options = TrainingOptions()
        options.callWindow.maximumAccounts = 120
        return options
    }

    /// Trains on `export` and returns the bundle's call_window.json and first holdout date.
    static func trainWindowModel(_ export: String, into folder: TemporaryFolder, name: String) throws -> (Data, String) {
        let report = try BundleTraining.run(.init(exportFolder: export, bundleFolder: folder.path(name), version: "v1",
                                                  options: options, createdAt: Date(timeIntervalSince1970: 1_790_000_000)))
        let json = try Data(contentsOf: URL(fileURLWithPath: report.versionFolder + "/call_window.json"))
        return (json, report.bundle.manifest.training.holdoutDates[0])
    }

    /// A copy of the export with the data rows of every file in another order (header first).
    static func shuffledCopy(into folder: TemporaryFolder) throws -> String {
        try FileManager.default.createDirectory(atPath: folder.path("shuffled"), withIntermediateDirectories: true)
        for name in GeneratedHistory.fileNames {
            var lines = history.files[name]!.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let header = lines.removeFirst()
            let shuffled = lines.enumerated().sorted { ($0.offset * 7919) % lines.count < ($1.offset * 7919) % lines.count }
                .map(\.element)
            _ = try folder.write("shuffled/" + name, ([header] + shuffled.reversed()).joined(separator: "\n") + "\n")
        }
        return folder.path("shuffled")
    }

    @Test func fourShardsGiveTheOneMachineModelByteForByteWhateverTheRowOrder() throws {
        let folder = try TemporaryFolder("window-shards")
        let export = try #require(Self.history.folder).path
        let (single, holdoutStart) = try Self.trainWindowModel(export, into: folder, name: "one")
        let model = try JSONSerialization.jsonObject(with: single) as? [String: Any]
        let fit = try #require(model?["fit"] as? [String: Any])
        #expect(fit["accounts"] as? Int == 120)

        // The row order of the export does not change the model.
        let (shuffled, _) = try Self.trainWindowModel(try Self.shuffledCopy(into: folder), into: folder, name: "shuffled")
        #expect(shuffled == single)

        // Four shards, statistics written and read back as files, combined in another order.
        let shards = try ExportPartition.run(.init(exportFolder: export, shards: 4, outputFolder: folder.path("shards")))
        let ranges = try shards.shardFolders.map { try CallWindowShardStatistics.range(exportFolder: $0, options: Self.options) }
        let end = try CallWindowDistributedFit.historyEnd(ranges, sources: shards.shardFolders, options: Self.options)
        #expect(CivilDate.format(end) == holdoutStart)
        var files: [String] = []
        for (index, shard) in shards.shardFolders.enumerated() {
            let statistics = try CallWindowShardStatistics.compute(exportFolder: shard, historyEnd: end, options: Self.options)
            #expect(statistics.candidates.count <= 120 && statistics.activeAccounts > 0)
            files.append(folder.path("stats-\(index).json"))
            try CallWindowDistributedFit.write(statistics, path: files.last!)
        }
        let read = try files.reversed().map { try CallWindowDistributedFit.read(path: $0) }
        #expect(read.reduce(0) { $0 + $1.activeAccounts } > 120)
        let combined = try CallWindowDistributedFit.combine(read, sources: files.reversed(), options: Self.options)
        let out = folder.path("call_window.json")
        try CallWindowDistributedFit.writeModel(combined, path: out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == single)

        // The one-process driver does both passes itself.
        let direct = try CallWindowDistributedFit.run(shardFolders: shards.shardFolders, options: Self.options)
        #expect(direct.historyEnd == end)
        #expect(try direct.model.jsonData() + Data("\n".utf8) == single)
    }

    @Test func missingRepeatedOrStaleShardStatisticsAreRefused() throws {
        let folder = try TemporaryFolder("window-shards")
        let export = try #require(Self.history.folder).path
        let shards = try ExportPartition.run(.init(exportFolder: export, shards: 3, outputFolder: folder.path("shards")))
        let sources = shards.shardFolders
        let ranges = try sources.map { try CallWindowShardStatistics.range(exportFolder: $0, options: Self.options) }
        let end = try CallWindowDistributedFit.historyEnd(ranges, sources: sources, options: Self.options)
        let statistics = try sources.map {
            try CallWindowShardStatistics.compute(exportFolder: $0, historyEnd: end, options: Self.options)
        }
        func refusal(_ shards: [CallWindowShardStatistics], _ names: [String], options: TrainingOptions = CallWindowDistributedFitTests.options) -> String {
            do {
                _ = try CallWindowDistributedFit.combine(shards, sources: names, options: options)
                return "combined"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(Array(statistics.prefix(2)), Array(sources.prefix(2))).contains("exactly once"))
        #expect(refusal(statistics + [statistics[1]], sources + [sources[1]]).contains("exactly once"))
        #expect(refusal(ranges, sources).contains("range-pass file"))
        var stale = statistics
        stale[2].historyEnd = CivilDate.format(end - 31)
        #expect(refusal(stale, sources).contains(sources[2]) && refusal(stale, sources).contains("history ending"))
        var otherSize = Self.options
        otherSize.callWindow.maximumAccounts = 50
        #expect(refusal(statistics, sources, options: otherSize).contains("sample seed"))
        var forged = statistics
        if !forged[0].candidates.isEmpty { forged[0].candidates[0].key = "0000000000000000" }
        #expect(refusal(forged, sources).contains("not its sample key"))
        var shared = statistics
        shared[1].candidates[shared[1].candidates.count - 1] = statistics[0].candidates[0]
        #expect(refusal(shared, sources).contains("shards must not share customers"))
    }
}
