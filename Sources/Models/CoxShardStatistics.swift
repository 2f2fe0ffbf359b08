#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import LinearAlgebra

/// What one shard contributes to a Cox Newton step: per distinct event time of the WHOLE data, the sums
/// that add across shards.
///
/// With `ηᵢ = zᵢ·β`, `φᵢ = wᵢ·e^{ηᵢ − shift}` (`shift` the shard's largest η) and the global event times
/// `τ₀ < τ₁ < … < τ_{K−1}` (ascending), row `i` falls in bucket `k(i)`, the last `τ_k ≤ tᵢ` (rows before τ₀
/// enter no risk set and are skipped). Per bucket `k`:
/// - `bucket`: `Σ φᵢ`, `Σ φᵢzᵢ`, `Σ φᵢzᵢzᵢᵀ` over the rows of bucket k — the risk set at τ_k is the suffix
///   sum over buckets `≥ k`, formed by the driver;
/// - `ties`: the same three sums over the rows with an event (of non-zero weight) at exactly τ_k, their
///   count and weight sum.
/// Plus `Σ_events wᵢzᵢ` and the event weight. Each block of sums is `1 + p + p(p+1)/2` doubles (matrices as
/// packed upper triangles, row by row), so one evaluation ships `K·(2 + 2·(1 + p + p(p+1)/2))` numbers per shard.
public struct CoxShardStatistics: Codable, Equatable, Sendable {
    /// Number of standardised features.
    public var parameterCount: Int
    /// The shift subtracted from every η before exponentiating (the shard's largest η; 0 for β = 0).
    public var shift: Double
    /// Whether every linear predictor was finite (otherwise the sums are meaningless and the objective is NaN).
    public var finite: Bool
    /// Per event time, `1 + p + p(p+1)/2` doubles: the bucket's `Σφ`, `Σφz`, packed `Σφzzᵀ`.
    public var bucket: [Double]
    /// Per event time, the same sums over the rows with an event there.
    public var ties: [Double]
    /// Per event time, the number of events (of non-zero weight) and their total weight.
    public var eventCounts: [Int]
    public var eventWeights: [Double]
    /// `Σ_events wᵢzᵢ`, `p` values.
    public var eventFeatureSum: [Double]

    /// Doubles per block of sums for `p` features.
    public static func blockSize(_ p: Int) -> Int { 1 + p + p * (p + 1) / 2 }

    public init(parameterCount: Int, shift: Double, finite: Bool, bucket: [Double], ties: [Double],
                eventCounts: [Int], eventWeights: [Double], eventFeatureSum: [Double]) {
        self.parameterCount = parameterCount
        self.shift = shift
        self.finite = finite
        self.bucket = bucket
        self.ties = ties
        self.eventCounts = eventCounts
        self.eventWeights = eventWeights
        self.eventFeatureSum = eventFeatureSum
    }

    /// The distinct durations with an event of non-zero weight, ascending (a shard's part of the global list).
    public static func eventTimes(durations: [Double], events: [Bool], weights: [Double]) -> [Double] {
        Array(Set(durations.indices.filter { events[$0] && weights[$0] > 0 }.map { durations[$0] })).sorted()
    }

    /// The sorted union of shards' event times.
    public static func mergedEventTimes(_ lists: [[Double]]) -> [Double] {
        Array(Set(lists.joined())).sorted()
    }

    /// The shard's sums at standardised `parameters` (`design.kept.count` values; the design's intercept
    /// column is not used).
    /// - Precondition: `eventTimes` ascending and containing every event duration of the shard.
    public init(design: StandardizedDesign, durations: [Double], events: [Bool], weights: [Double],
                eventTimes: [Double], parameters beta: [Double]) {
        let n = design.rows, p = design.kept.count, size = Self.blockSize(p), times = eventTimes.count
        precondition(beta.count == p && durations.count == n && events.count == n && weights.count == n)
        var z = [Double](repeating: 0, count: n * p)
        Self.standardizedRows(design, into: &z)
        var eta = [Double](repeating: 0, count: n)
        var maxEta = -Double.infinity
        let zero = beta.allSatisfy { $0 == 0 }
        if !zero {
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<p { sum += z[i * p + j] * beta[j] }
                eta[i] = sum
                maxEta = max(maxEta, sum)
            }
        }
        let finite = zero || !(maxEta.isNaN || maxEta == .infinity)
        let shift = zero || maxEta == -.infinity || !finite ? 0 : maxEta
        self.init(parameterCount: p, shift: shift, finite: finite,
                  bucket: [Double](repeating: 0, count: times * size), ties: [Double](repeating: 0, count: times * size),
                  eventCounts: [Int](repeating: 0, count: times), eventWeights: [Double](repeating: 0, count: times),
                  eventFeatureSum: [Double](repeating: 0, count: p))
        guard finite else { return }
        for i in 0..<n where weights[i] > 0 {
            guard let k = Self.lastIndex(atMost: durations[i], in: eventTimes) else { continue }
            let phi = zero ? weights[i] : weights[i] * exp(eta[i] - shift)
            let row = Array(z[(i * p)..<((i + 1) * p)])
            Self.addRow(row, weight: phi, into: &bucket, at: k * size)
            if events[i] && durations[i] == eventTimes[k] {
                Self.addRow(row, weight: phi, into: &ties, at: k * size)
                eventCounts[k] += 1
                eventWeights[k] += weights[i]
                for j in 0..<p { eventFeatureSum[j] += weights[i] * row[j] }
            }
        }
    }

    /// The design's standardised kept columns, row-major `rows × p` (its blocks without the intercept).
    private static func standardizedRows(_ design: StandardizedDesign, into z: inout [Double]) {
        let n = design.rows, q = design.columns, p = q - 1
        guard n > 0 else { return }
        var block = [Double](repeating: 0, count: n * q)
        design.features.storage.withUnsafeBufferPointer { raw in
            block.withUnsafeMutableBufferPointer { out in
                design.fillBlock(start: 0, count: n, raw: raw.baseAddress!, into: out.baseAddress!)
            }
        }
        for i in 0..<n {
            for j in 0..<p { z[i * p + j] = block[i * q + j + 1] }
        }
    }

    /// Index of the last `times[k] ≤ value`, or nil when `value < times[0]`.
    static func lastIndex(atMost value: Double, in times: [Double]) -> Int? {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// `sums[offset…] += (weight, weight·row, weight·row·rowᵀ packed upper)`.
    @inline(__always)
    static func addRow(_ row: [Double], weight: Double, into sums: inout [Double], at offset: Int) {
        let p = row.count
        sums[offset] += weight
        var index = offset + 1
        for j in 0..<p {
            sums[index] += weight * row[j]
            index += 1
        }
        for j in 0..<p {
            let scaled = weight * row[j]
            for k in j..<p {
                sums[index] += scaled * row[k]
                index += 1
            }
        }
    }

    /// The sums of `self` and `other` over the same event times, brought to the larger shift (each φ-sum
    /// is multiplied by `e^{own shift − common shift}`).
    /// - Precondition: the same parameter count and event times.
    public func adding(_ other: CoxShardStatistics) -> CoxShardStatistics {
        precondition(parameterCount == other.parameterCount && bucket.count == other.bucket.count,
                     "statistics of different shapes")
        guard finite && other.finite else {
            var result = self
            result.finite = false
            return result
        }
        let shift = max(self.shift, other.shift)
        let mine = exp(self.shift - shift), theirs = exp(other.shift - shift)
        return CoxShardStatistics(
            parameterCount: parameterCount, shift: shift, finite: true,
            bucket: zip(bucket, other.bucket).map { mine * $0 + theirs * $1 },
            ties: zip(ties, other.ties).map { mine * $0 + theirs * $1 },
            eventCounts: zip(eventCounts, other.eventCounts).map { $0 + $1 },
            eventWeights: zip(eventWeights, other.eventWeights).map { $0 + $1 },
            eventFeatureSum: zip(eventFeatureSum, other.eventFeatureSum).map { $0 + $1 })
    }
}
