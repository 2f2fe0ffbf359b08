import Foundation

/// Quantile bins of one score: the cut points and the share of values in each bin, as stored in a bundle.
public struct ScoreDistribution: Codable, Equatable, Sendable {
    /// The score or feature name the bins describe.
    public var score: String
    /// Cut points, ascending; bins are `(-∞, e₀], (e₀, e₁], …, (eₖ, ∞)`.
    public var edges: [Double]
    /// Share of values in each bin (`edges.count + 1` of them).
    public var shares: [Double]

    public init(score: String, edges: [Double], shares: [Double]) {
        self.score = score
        self.edges = edges
        self.shares = shares
    }
}

/// Quantile bins of a score, for the population stability index (PSI) between training and scoring.
public enum ScoreBins {
    /// Decile cut points of `scores` and the share of scores in each bin (bins are `(-∞, e₀], (e₀, e₁], …, (e₈, ∞)`;
    /// repeated cut points are merged, so heavily tied scores give fewer bins).
    public static func deciles(of scores: [Double], score: String) -> ScoreDistribution {
        let sorted = scores.sorted()
        guard !sorted.isEmpty else { return .init(score: score, edges: [], shares: [1]) }
        var edges: [Double] = []
        for decile in 1..<10 {
            let edge = sorted[min(sorted.count - 1, decile * sorted.count / 10)]
            if edges.last != edge && edge < sorted.last! { edges.append(edge) }
        }
        return .init(score: score, edges: edges, shares: shares(of: scores, edges: edges))
    }

    /// The share of `scores` in each bin of `edges` (see `deciles`).
    public static func shares(of scores: [Double], edges: [Double]) -> [Double] {
        let counts = counts(of: scores, edges: edges)
        let total = Double(max(1, scores.count))
        return counts.map { Double($0) / total }
    }

    /// The number of `scores` in each bin of `edges` (`edges.count + 1` bins): additive across shards, so the shares of
    /// the whole are the summed counts over the summed total.
    public static func counts(of scores: [Double], edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for value in scores {
            var low = 0, high = edges.count
            while low < high {
                let mid = (low + high) / 2
                if value <= edges[mid] { high = mid } else { low = mid + 1 }
            }
            counts[low] += 1
        }
        return counts
    }

    /// PSI `Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ)` of actual shares against expected ones; shares below 1e-4 are floored there so
    /// an empty bin gives a large, finite value. Rule of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 large.
    public static func populationStabilityIndex(expected: [Double], actual: [Double]) -> Double {
        precondition(expected.count == actual.count, "PSI needs the same bins on both sides")
        var total = 0.0
        for (e, a) in zip(expected, actual) {
            let expectedShare = max(e, 1e-4), actualShare = max(a, 1e-4)
            total += (actualShare - expectedShare) * log(actualShare / expectedShare)
        }
        return total
    }
}
