import Foundation

/// arscore-bench: performance targets, each run side by side with its peer library in one invocation.
///
/// Usage: swift run -c release arscore-bench [all|logistic-fit|cox-fit|logistic-fit-profile|logistic-score|csv|ingest|ingest-profile|id-index|nightly|kpi] [--rows N] [--cols P]
///        arscore-bench kpi --data DIR --from YYYY-MM-DD --to YYYY-MM-DD [--peer-data SMALL_DIR]
///        arscore-bench nightly --data DIR --model BUNDLE [--as-of YYYY-MM-DD] [--out DIR] [--no-throughput]
/// Run from the repository root (peer scripts live in Benchmarks/reference).
let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first { !$0.hasPrefix("--") } ?? "all"
func option(_ name: String) -> Int? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return Int(arguments[index + 1])
}

do {
    if which == "all" || which == "logistic-fit" {
        try runLogisticFitBenchmark(rows: option("--rows") ?? 1_000_000, columns: option("--cols") ?? 32)
    }
    if which == "ingest" {
        guard let index = arguments.firstIndex(of: "--data"), index + 1 < arguments.count,
              let dateIndex = arguments.firstIndex(of: "--as-of"), dateIndex + 1 < arguments.count else {
            throw BenchmarkError("ingest needs --data FOLDER --as-of YYYY-MM-DD")
        }
        try runIngestSideBySide(folder: arguments[index + 1], asOf: arguments[dateIndex + 1],
                                 withPeer: !arguments.contains("--no-peer"))
    }
    if which == "nightly" {
        func text(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        guard let data = text("--data"), let model = text("--model") else {
            throw BenchmarkError("nightly needs --data DIR --model BUNDLE [--as-of YYYY-MM-DD] [--out DIR] [--no-throughput]")
        }
        try runNightlyBenchmark(data: data, model: model, asOf: text("--as-of") ?? "2026-11-02", out: text("--out"),
                                throughput: !arguments.contains("--no-throughput"))
    }
    if which == "kpi" {
        func text(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        guard let data = text("--data"), let from = text("--from"), let to = text("--to") else {
            throw BenchmarkError("kpi needs --data DIR --from YYYY-MM-DD --to YYYY-MM-DD [--peer-data DIR]")
        }
        try runKPIBenchmark(folder: data, from: from, to: to, peerFolder: text("--peer-data"))
    }
    if which == "id-index" { runIDIndexProfile(count: option("--rows") ?? 2_000_000) }
    if which == "ingest-profile" {
        guard let index = arguments.firstIndex(of: "--data"), index + 1 < arguments.count else {
            throw BenchmarkError("ingest-profile needs --data FOLDER")
        }
        try runIngestProfile(folder: arguments[index + 1],
                             parallelReadMinimumBytes: option("--parts-min-bytes") ?? 16 << 20)
    }
    if which == "logistic-fit-profile" {
        try runLogisticFitProfile(rows: option("--rows") ?? 1_000_000, columns: option("--cols") ?? 32)
    }
    if which == "all" || which == "logistic-score" {
        try runLogisticScoreBenchmark(rows: option("--rows") ?? 10_000_000, columns: option("--cols") ?? 32)
    }
    if which == "all" || which == "cox-fit" {
        try runCoxFitBenchmark(rows: option("--rows") ?? 200_000, columns: option("--cols") ?? 10)
    }
    if which == "all" || which == "csv" {
        try runCSVBenchmarkSideBySide(rows: option("--rows") ?? 1_000_000)
    }
} catch {
    FileHandle.standardError.write(Data("arscore-bench: \(error)\n".utf8))
    exit(1)
}
