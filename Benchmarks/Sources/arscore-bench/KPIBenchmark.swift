import CivilTime
import Features
import Foundation
import Jobs
import KPIs
import Receivables

/// `arscore-bench kpi`: the export load alone vs load + index + every KPI for the monthly periods of the window
/// (`KPIReport`'s work without the formatting), then, with `--peer-data`, the same KPIs by
/// Benchmarks/reference/kpis_pandas.py and by arscore on that (smaller) folder, side by side.
func runKPIBenchmark(folder: String, from: String, to: String, peerFolder: String?) throws {
    guard let start = CivilDate.parseExact(from), let end = CivilDate.parseExact(to), start < end else {
        throw BenchmarkError("kpi needs --from and --to dates YYYY-MM-DD, from before to")
    }
    print("== KPIs: \(folder), \(from) ..< \(to), monthly")
    var loadBest = Double.infinity, totalBest = Double.infinity, kpiBest = Double.infinity
    var rows = 0
    for _ in 0..<2 {
        let (load, _) = try measureSeconds { try ExportLoader.load(folder: folder) }
        loadBest = min(loadBest, load)
        let (total, table): (Double, (Double, Int)) = try measureSeconds {
            var export = try ExportLoader.load(folder: folder)
            let (seconds, count) = measureSeconds { () -> Int in
                let builder = FeatureBuilder(releasingRowTablesOf: &export)
                return KPIs.table(builder: builder, customers: export.customers, from: start, to: end,
                                  period: .month, grouping: .segment).rows.count
            }
            return (seconds, count)
        }
        totalBest = min(totalBest, total)
        kpiBest = min(kpiBest, table.0)
        rows = table.1
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("load alone:         \(format(loadBest)) s (best of 2)")
    print("load + all KPIs:    \(format(totalBest)) s (index + one pass \(format(kpiBest)) s; \(rows) rows by segment)")
    print("ratio (load + KPIs) / load: \(format(totalBest / loadBest, 2))×  (target ≤ 2×), peak memory "
        + "\(format(Double(usage.ru_maxrss) / 1024 / 1024, 2)) GB (target ≤ 4 GB)")
    guard let peerFolder else { return }
    let (swiftSeconds, _) = try measureSeconds {
        try KPIReport.run(.init(exportFolder: peerFolder, from: start, to: end, grouping: .segment, format: .json))
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "Benchmarks/reference/kpis_pandas.py", peerFolder, "--from", from, "--to", to,
                         "--by", "segment", "--out", "/dev/null"]
    let (pandasSeconds, _) = try measureSeconds {
        try process.run()
        process.waitUntilExit()
    }
    guard process.terminationStatus == 0 else { throw BenchmarkError("kpis_pandas.py exited with \(process.terminationStatus)") }
    print("peer folder \(peerFolder): arscore kpi (load + KPIs + JSON) \(format(swiftSeconds)) s, pandas \(format(pandasSeconds)) s, "
        + "ratio pandas / arscore \(format(pandasSeconds / swiftSeconds, 0))×")
}
