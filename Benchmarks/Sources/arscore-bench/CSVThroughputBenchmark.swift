#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Tabular

/// The result of one CSV throughput measurement (MB means 10^6 bytes).
public struct CSVThroughputResult: Codable, Sendable, CustomStringConvertible {
    /// Size of the file in bytes.
    public let bytes: Int
    /// Best wall-clock time of `NumericTableReader.readAllNumeric` over the timed runs, in seconds.
    public let seconds: Double
    /// `bytes / seconds / 10^6`.
    public let megabytesPerSecond: Double
    /// Data rows read.
    public let rows: Int
    /// Numeric columns read.
    public let columns: Int
    /// Best time to read the same bytes into memory in 4 MiB chunks and sum them, in seconds (the I/O + memory ceiling).
    public let memoryReadSeconds: Double
    /// `bytes / memoryReadSeconds / 10^6`.
    public let memoryReadMegabytesPerSecond: Double
    /// Number of timed runs (after one untimed warm-up).
    public let runs: Int

    /// One line: throughput, ceiling and shape.
    public var description: String {
        func fixed(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) }
        return "csv: \(fixed(megabytesPerSecond)) MB/s (\(rows) rows x \(columns) columns, \(bytes) bytes in "
            + "\(fixed(seconds * 1000)) ms); plain memory read: \(fixed(memoryReadMegabytesPerSecond)) MB/s"
    }

    /// The result as one JSON object on one line.
    public var json: String {
        "{\"tool\": \"arscore-tabular\", \"bytes\": \(bytes), \"rows\": \(rows), \"columns\": \(columns), "
            + "\"seconds\": \(seconds), \"megabytes_per_second\": \(megabytesPerSecond), "
            + "\"memory_read_seconds\": \(memoryReadSeconds), "
            + "\"memory_read_megabytes_per_second\": \(memoryReadMegabytesPerSecond), \"runs\": \(runs)}"
    }
}

/// Measures how fast `NumericTableReader.readAllNumeric` reads every column of the CSV file at `path`.
///
/// One untimed warm-up pass brings the file into the page cache; then the memory-read ceiling (read the bytes in
/// 4 MiB chunks and sum them) and the table read are each timed `runs` times and the best times are kept.
/// Use the file made by `Benchmarks/reference/csv_pandas.py` (numpy seed 42, 1,000,000 x 32, `%.10f`) to compare
/// with pandas, or `writeSyntheticNumericCSV` when Python is not at hand.
public func runCSVThroughputBenchmark(path: String, runs: Int = 3) throws -> CSVThroughputResult {
    let runs = max(1, runs)
    var bytes = 0
    var checksum: UInt64 = 0
    // Warm-up: page cache, allocator, code.
    (bytes, checksum) = try csvBenchmarkReadAndSum(path: path)
    var memorySeconds = Double.infinity
    for _ in 0..<runs {
        let start = csvBenchmarkSeconds()
        let (_, sum) = try csvBenchmarkReadAndSum(path: path)
        memorySeconds = min(memorySeconds, csvBenchmarkSeconds() - start)
        precondition(sum == checksum, "file changed during the benchmark")
    }
    var seconds = Double.infinity
    var rows = 0
    var columns = 0
    for _ in 0..<runs {
        let start = csvBenchmarkSeconds()
        let (table, nonNumeric) = try NumericTableReader.readAllNumeric(path: path)
        seconds = min(seconds, csvBenchmarkSeconds() - start)
        precondition(nonNumeric.isEmpty, "benchmark file has non-numeric columns: \(nonNumeric)")
        rows = table.rowCount
        columns = table.columnNames.count
    }
    return CSVThroughputResult(
        bytes: bytes, seconds: seconds, megabytesPerSecond: Double(bytes) / seconds / 1e6, rows: rows,
        columns: columns, memoryReadSeconds: memorySeconds,
        memoryReadMegabytesPerSecond: Double(bytes) / memorySeconds / 1e6, runs: runs)
}

/// Writes a deterministic table of standard normal values formatted like `%.10f` (header `c0,c1,...`, LF endings).
///
/// The values follow the same distribution and format as `csv_pandas.py` but are not numpy's numbers;
/// use it when Python is not available. The file is written to `path + ".partial"` and then renamed.
public func writeSyntheticNumericCSV(path: String, rows: Int = 1_000_000, columns: Int = 32, seed: UInt64 = 42) throws {
    let partial = path + ".partial"
    guard let file = fopen(partial, "w") else {
        throw CSVBenchmarkError(message: "\(partial): cannot create: \(String(cString: strerror(errno)))")
    }
    var state = seed
    /// SplitMix64: the next uniform value in (0, 1).
    func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992.0
    }
    var line: [UInt8] = Array((0..<columns).map { "c\($0)" }.joined(separator: ",").utf8) + [0x0A]
    var ok = fwrite(line, 1, line.count, file) == line.count
    var spare: Double?
    for _ in 0..<rows where ok {
        line.removeAll(keepingCapacity: true)
        for column in 0..<columns {
            if column > 0 { line.append(0x2C) }
            let value: Double
            if let next = spare {
                value = next
                spare = nil
            } else {
                let radius = (-2 * log(uniform())).squareRoot()
                let angle = 2 * Double.pi * uniform()
                value = radius * cos(angle)
                spare = radius * sin(angle)
            }
            csvBenchmarkAppendFixed10(value, to: &line)
        }
        line.append(0x0A)
        ok = fwrite(line, 1, line.count, file) == line.count
    }
    let closed = fclose(file) == 0
    guard ok && closed, rename(partial, path) == 0 else {
        unlink(partial)
        throw CSVBenchmarkError(message: "\(path): cannot write: \(String(cString: strerror(errno)))")
    }
}

/// An error from the benchmark helpers (not from the reader itself).
public struct CSVBenchmarkError: Error, CustomStringConvertible {
    /// One-line explanation.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// Appends `value` with exactly 10 decimals (like `%.10f` for |value| < 9e8).
private func csvBenchmarkAppendFixed10(_ value: Double, to line: inout [UInt8]) {
    let scaled = (abs(value) * 1e10).rounded()
    let integer = UInt64(scaled / 1e10)
    let fraction = UInt64(scaled - Double(integer) * 1e10)
    if value < 0 { line.append(0x2D) }
    line.append(contentsOf: String(integer).utf8)
    line.append(0x2E)
    var divisor: UInt64 = 1_000_000_000
    while divisor > 0 {
        line.append(0x30 + UInt8((fraction / divisor) % 10))
        divisor /= 10
    }
}

/// Reads the file in 4 MiB chunks with POSIX `read` and sums its bytes; returns the size and the sum.
private func csvBenchmarkReadAndSum(path: String) throws -> (bytes: Int, sum: UInt64) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        throw CSVBenchmarkError(message: "\(path): cannot open: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let chunk = 4 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
    defer { buffer.deallocate() }
    var total = 0
    var sum: UInt64 = 0
    while true {
        let got = read(fd, buffer, chunk)
        if got < 0 {
            if errno == EINTR { continue }
            throw CSVBenchmarkError(message: "\(path): cannot read: \(String(cString: strerror(errno)))")
        }
        if got == 0 { break }
        // Sum 8 bytes at a time as packed lanes (vectorizes); the exact value only has to be deterministic.
        let words = got / 8
        let wordPointer = buffer.assumingMemoryBound(to: UInt64.self)
        var lanes: UInt64 = 0
        for index in 0..<words {
            let word = wordPointer[index]
            lanes &+= (word & 0x00FF_00FF_00FF_00FF) &+ ((word >> 8) & 0x00FF_00FF_00FF_00FF)
        }
        sum &+= lanes
        let tail = buffer.assumingMemoryBound(to: UInt8.self)
        for index in (words * 8)..<got { sum &+= UInt64(tail[index]) }
        total += got
    }
    return (total, sum)
}

/// Seconds on the monotonic clock.
private func csvBenchmarkSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
