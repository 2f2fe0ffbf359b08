import LinearAlgebra

/// Mergeable weighted moments of feature columns: total weight, mean and M2 (Σ w·(x − mean)²) per column.
///
/// A shard computes its moments with two passes (mean, then squared deviations, as `FeatureStandardization`
/// does on one machine); shards merge with Chan, Golub and LeVeque's pairwise formula, which stays accurate
/// on large-valued columns such as balances (no Σx² − (Σx)²/n cancellation). The merged moments give the
/// same weighted means and population standard deviations as the one-machine standardisation, up to rounding.
public struct ColumnMoments: Codable, Equatable, Sendable {
    /// Total sample weight of the rows summarised.
    public var weight: Double
    /// Weighted mean per column.
    public var means: [Double]
    /// `Σ wᵢ·(xᵢⱼ − meanⱼ)²` per column.
    public var squaredDeviations: [Double]

    public init(weight: Double, means: [Double], squaredDeviations: [Double]) {
        self.weight = weight
        self.means = means
        self.squaredDeviations = squaredDeviations
    }

    /// The moments of `features`' columns, weighted by `weights` (all 1 when nil).
    public init(features: Matrix, weights: [Double]?) {
        let n = features.rows
        let partitions = FeatureStandardization.partitionCount
        let total = weights.map { $0.reduce(0, +) } ?? Double(n)
        let sums = FeatureStandardization.partitionedColumnSums(features, weights: weights, partitions: partitions,
                                                                centre: nil)
        let means = sums.map { total > 0 ? $0 / total : 0 }
        self.weight = total
        self.means = means
        self.squaredDeviations = FeatureStandardization.partitionedColumnSums(
            features, weights: weights, partitions: partitions, centre: means)
    }

    /// The moments of the union of the rows of `self` and `other` (Chan et al.: δ = m_b − m_a,
    /// m = m_a + δ·w_b/w, M2 = M2_a + M2_b + δ²·w_a·w_b/w).
    /// - Precondition: both have the same number of columns.
    public func merged(with other: ColumnMoments) -> ColumnMoments {
        precondition(means.count == other.means.count, "moments of \(means.count) and \(other.means.count) columns")
        let total = weight + other.weight
        guard other.weight > 0 else { return self }
        guard weight > 0 else { return other }
        var merged = ColumnMoments(weight: total, means: means, squaredDeviations: squaredDeviations)
        for j in means.indices {
            let delta = other.means[j] - means[j]
            merged.means[j] = means[j] + delta * (other.weight / total)
            merged.squaredDeviations[j] = squaredDeviations[j] + other.squaredDeviations[j]
                + delta * delta * (weight * other.weight / total)
        }
        return merged
    }

    /// The standardisation these moments define: the means and population standard deviations `√(M2 / weight)`.
    public func standardization(featureNames: [String]) -> FeatureStandardization {
        FeatureStandardization(
            featureNames: featureNames, means: means,
            standardDeviations: squaredDeviations.map { weight > 0 ? ($0 / weight).squareRoot() : 0 })
    }
}
