import Foundation

/// CSV throughput: arscore's numeric reader vs pandas.read_csv on the same file, in one run.
///
/// The pandas script generates the file (numpy seed 42, `%.10f`) when missing, so both read identical bytes.
func runCSVBenchmarkSideBySide(rows: Int) throws {
    print("== CSV numeric table: \(rows) × 32")
    let path = try workFolder() + "/numeric_\(rows)x32.csv"
    let peer = try runPeerScript([
        "Benchmarks/reference/csv_pandas.py", "--path", path, "--rows", "\(rows)", "--repeat", "3"])
    let result = try runCSVThroughputBenchmark(path: path)
    let peerRate = peer["megabytes_per_second"] as? Double ?? .nan
    print("arscore:      \(format(result.megabytesPerSecond, 0)) MB/s (best of \(result.runs), \(result.rows) rows); "
        + "memory-read ceiling \(format(result.memoryReadMegabytesPerSecond, 0)) MB/s (target ≥ 300 MB/s)")
    print("pandas:       \(format(peerRate, 0)) MB/s")
    print("ratio arscore / pandas: \(format(result.megabytesPerSecond / peerRate, 1))×")
}
