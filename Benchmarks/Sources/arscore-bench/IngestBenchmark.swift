import CivilTime
import Features
import Foundation
import Receivables

/// Times loading and validating one export folder (no peer; the side-by-side run adds pandas).
func runIngestProfile(folder: String, parallelReadMinimumBytes: Int = 16 << 20) throws {
    let options = ExportLoadOptions(parallelReadMinimumBytes: parallelReadMinimumBytes)
    let (seconds, export) = try measureSeconds { try ExportLoader.load(folder: folder, options: options) }
    let bytes = ExportFile.allCases.reduce(0) { total, file in
        let attributes = try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(file.fileName)")
        return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
    }
    print("ingest \(folder): \(format(seconds)) s, \(format(Double(bytes) / seconds / 1e6, 0)) MB/s; "
        + "\(export.customers.count) customers, \(export.invoices.count) invoices, \(export.payments.count) payments, "
        + "\(export.calls.count) calls, \(export.promises.count) promises, \(export.quarantine.count) quarantined")
}

/// Times the id index alone.
func runIDIndexProfile(count: Int) {
    let ids = (0..<count).map { "CALL" + String(repeating: "0", count: max(0, 8 - String($0).count)) + String($0) }
    let (seconds, index) = measureSeconds { () -> IDIndex in
        var index = IDIndex()
        for id in ids { index.insert(id) }
        return index
    }
    let (findSeconds, found) = measureSeconds { ids.reduce(0) { $0 + (index.find($1) != nil ? 1 : 0) } }
    print("IDIndex: insert \(count) in \(format(seconds)) s, find in \(format(findSeconds)) s (\(found) found)")
}

/// Ingest + snapshot features: arscore vs pandas (read_csv + group-by aggregation) on one export, in one run.
///
/// Peak memory of each side is read from the OS (`getrusage` of this process, `ru_maxrss` of the peer).
func runIngestSideBySide(folder: String, asOf: String, withPeer: Bool = true) throws {
    guard let asOfDay = CivilDate.parse(asOf) else { throw BenchmarkError("--as-of must be YYYY-MM-DD") }
    print("== ingest + snapshot features: \(folder) as of \(asOf)")
    let (loadSeconds, export) = try measureSeconds { try ExportLoader.load(folder: folder) }
    let (indexSeconds, builder) = measureSeconds { FeatureBuilder(export: export) }
    let (snapshotSeconds, table) = measureSeconds { builder.snapshot(asOf: asOfDay) }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let total = loadSeconds + indexSeconds + snapshotSeconds
    print("arscore:      \(format(total)) s (load+validate \(format(loadSeconds)) s, index \(format(indexSeconds)) s, "
        + "snapshot \(format(snapshotSeconds)) s); \(table.rowCount) customers × \(table.columnCount) features; "
        + "peak memory \(format(Double(usage.ru_maxrss) / 1024 / 1024, 2)) GB")
    guard withPeer else { return }
    let peer = try runPeerScript(["Benchmarks/reference/ingest_pandas.py", "--data", folder, "--as-of", asOf])
    let peerSeconds = peer["seconds"] as? Double ?? .nan
    let peerMemory = (peer["peak_rss_mb"] as? Double ?? .nan) / 1024
    print("pandas:       \(format(peerSeconds)) s (read \(format(peer["read_seconds"] as? Double ?? .nan)) s, "
        + "features \(format(peer["features_seconds"] as? Double ?? .nan)) s); "
        + "\(peer["customers_in_snapshot"] as? Int ?? -1) customers; peak memory \(format(peerMemory, 2)) GB")
    print("ratio pandas / arscore: \(format(peerSeconds / total, 1))×  (target ≥ 10×, memory ≤ 4 GB)")
}
