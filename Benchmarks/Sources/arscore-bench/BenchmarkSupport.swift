import Foundation
import Parallelism

/// Wall-clock seconds of `body` (monotonic clock).
func measureSeconds<T>(_ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    let end = DispatchTime.now().uptimeNanoseconds
    return (Double(end - start) / 1e9, result)
}

/// A small, fast, seedable generator (SplitMix64) so benchmark data is identical run to run.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0 }

    /// Standard normal (Box–Muller; the second value is discarded for simplicity).
    mutating func normal() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// Writes doubles as raw little-endian float64 (what numpy.fromfile reads).
func writeFloat64(_ values: [Double], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try values.withUnsafeBytes { try Data($0).write(to: url) }
}

/// Runs a peer-library script and parses the single JSON line it prints.
func runPeerScript(_ arguments: [String]) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchmarkError("peer script \(arguments.first ?? "") exited with status \(process.terminationStatus)")
    }
    let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    guard let object = try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any] else {
        throw BenchmarkError("peer script printed no JSON line")
    }
    return object
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Where benchmark data files go (git-ignored).
func workFolder() throws -> String {
    let folder = "Benchmarks/work"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// Plain memory-read bandwidth in GB/s: sum a buffer on all cores (the ceiling for a streaming pass).
func memoryReadGigabytesPerSecond(_ values: [Double]) -> Double {
    var best = Double.infinity
    var checksum = 0.0
    for _ in 0..<3 {
        let (seconds, sum) = measureSeconds { () -> Double in
            values.withUnsafeBufferPointer { buffer in
                let threads = ProcessInfo.processInfo.activeProcessorCount
                let chunk = (buffer.count + threads - 1) / threads
                nonisolated(unsafe) let base = buffer.baseAddress!
                let count = buffer.count
                let partials = UnsafeMutableBufferPointer<Double>.allocate(capacity: threads)
                defer { partials.deallocate() }
                nonisolated(unsafe) let partialBase = partials.baseAddress!
                Parallel.perform(threads) { t in
                    let start = t * chunk, end = min(start + chunk, count)
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    var i = start
                    while i + 4 <= end {
                        s0 += base[i]; s1 += base[i + 1]; s2 += base[i + 2]; s3 += base[i + 3]
                        i += 4
                    }
                    while i < end { s0 += base[i]; i += 1 }
                    partialBase[t] = s0 + s1 + s2 + s3
                }
                return partials.reduce(0, +)
            }
        }
        best = min(best, seconds)
        checksum += sum
    }
    if checksum.isNaN { print("checksum NaN") }
    return Double(values.count * 8) / best / 1e9
}

func format(_ value: Double, _ digits: Int = 3) -> String {
    String(format: "%.\(digits)f", value)
}

/// Kahan–Babuška sum, so checksums over millions of probabilities compare across libraries.
func compensatedSum(_ values: [Double]) -> Double {
    var sum = 0.0, compensation = 0.0
    for value in values {
        let t = sum + value
        if abs(sum) >= abs(value) { compensation += (sum - t) + value } else { compensation += (value - t) + sum }
        sum = t
    }
    return sum + compensation
}
