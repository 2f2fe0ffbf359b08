import LinearAlgebra
import Parallelism

/// Per-feature centring and scaling: `z = (x − mean) / sd`.
///
/// Conventions (shared with every fit so results can be checked against other
/// libraries): the mean and the *population* standard deviation (divide by the
/// total weight, not n − 1), both weighted by the sample weights when given.
/// A feature whose standard deviation is zero (or negligible next to its mean,
/// below `1e-12 · max(1, |mean|)`) is constant: it carries no information and is dropped.
public struct FeatureStandardization: Codable, Equatable, Sendable {
    /// Feature names, in the column order of the data.
    public var featureNames: [String]
    /// Weighted means, one per feature.
    public var means: [Double]
    /// Weighted population standard deviations, one per feature.
    public var standardDeviations: [Double]

    /// Computes weighted means and population standard deviations of the columns of `features`.
    ///
    /// Two passes (mean, then squared deviations) for accuracy on large-valued columns like balances.
    /// Each pass runs over a fixed number of row partitions on all cores and adds the partial sums in
    /// partition order, so the result does not depend on the number of cores.
    public init(features: Matrix, featureNames: [String], weights: [Double]?) {
        precondition(featureNames.count == features.columns)
        let n = features.rows
        let partitions = Self.partitionCount
        let totalWeight = weights.map { w in w.reduce(0, +) } ?? Double(n)
        let sums = Self.partitionedColumnSums(features, weights: weights, partitions: partitions, centre: nil)
        let means = sums.map { totalWeight > 0 ? $0 / totalWeight : 0 }
        let squares = Self.partitionedColumnSums(features, weights: weights, partitions: partitions, centre: means)
        self.featureNames = featureNames
        self.means = means
        self.standardDeviations = squares.map { totalWeight > 0 ? ($0 / totalWeight).squareRoot() : 0 }
    }

    /// Row partitions for the moment passes (fixed, for reproducible sums).
    static let partitionCount = 8

    /// Σᵢ wᵢ·xᵢⱼ per column j (or Σᵢ wᵢ·(xᵢⱼ − centreⱼ)² when `centre` is given), over fixed row
    /// partitions computed on all cores and added in partition order.
    static func partitionedColumnSums(
        _ features: Matrix, weights: [Double]?, partitions: Int, centre: [Double]?
    ) -> [Double] {
        let n = features.rows, p = features.columns
        var partials = [Double](repeating: 0, count: partitions * p)
        let unitWeights = weights == nil
        let weightValues = weights ?? []
        let centreValues = centre ?? [Double](repeating: 0, count: p)
        let squared = centre != nil
        features.storage.withUnsafeBufferPointer { x in
            partials.withUnsafeMutableBufferPointer { out in
                weightValues.withUnsafeBufferPointer { w in
                    centreValues.withUnsafeBufferPointer { c in
                        guard n > 0, p > 0, let xBase = x.baseAddress, let outBase = out.baseAddress,
                              let cBase = c.baseAddress else { return }
                        nonisolated(unsafe) let source = xBase
                        nonisolated(unsafe) let target = outBase
                        nonisolated(unsafe) let centres = cBase
                        nonisolated(unsafe) let weightBase = w.baseAddress
                        Parallel.perform(partitions) { k in
                            let sums = target + k * p
                            for i in (n * k / partitions)..<(n * (k + 1) / partitions) {
                                let weight = unitWeights ? 1 : weightBase![i]
                                let row = source + i * p
                                if squared {
                                    for j in 0..<p {
                                        let d = row[j] - centres[j]
                                        sums[j] += weight * d * d
                                    }
                                } else {
                                    for j in 0..<p { sums[j] += weight * row[j] }
                                }
                            }
                        }
                    }
                }
            }
        }
        var totals = [Double](repeating: 0, count: p)
        for k in 0..<partitions {
            for j in 0..<p { totals[j] += partials[k * p + j] }
        }
        return totals
    }

    public init(featureNames: [String], means: [Double], standardDeviations: [Double]) {
        self.featureNames = featureNames
        self.means = means
        self.standardDeviations = standardDeviations
    }

    /// Indices of constant features (zero or negligible standard deviation).
    public var constantFeatureIndices: [Int] {
        standardDeviations.indices.filter { isConstant($0) }
    }

    /// Whether feature `index` is constant under the convention above.
    public func isConstant(_ index: Int) -> Bool {
        let sd = standardDeviations[index]
        return !(sd > 1e-12 * max(1, abs(means[index])))
    }

    /// The design matrix `[1, z₁, …, z_k]` (row-major, n × (k+1)) over the kept feature indices.
    ///
    /// Built in row blocks on all cores (the first touch of a large fresh buffer dominates otherwise).
    public func designMatrix(_ features: Matrix, keeping kept: [Int]) -> Matrix {
        let n = features.rows, p = features.columns, q = kept.count + 1
        let keptMeans = kept.map { means[$0] }
        let keptInverseScales = kept.map { 1 / standardDeviations[$0] }
        let blocks = max(1, min(64, n / 4096))
        let design = features.storage.withUnsafeBufferPointer { x in
            Matrix(rows: n, columns: q) { z in
                guard n > 0, let sourceBase = x.baseAddress, let targetBase = z.baseAddress else { return }
                nonisolated(unsafe) let source = sourceBase
                nonisolated(unsafe) let target = targetBase
                // Blocks write disjoint row ranges.
                Parallel.perform(blocks) { block in
                    for i in (n * block / blocks)..<(n * (block + 1) / blocks) {
                        let sourceRow = i * p, targetRow = i * q
                        target[targetRow] = 1
                        for k in 0..<kept.count {
                            target[targetRow + k + 1] = (source[sourceRow + kept[k]] - keptMeans[k]) * keptInverseScales[k]
                        }
                    }
                }
            }
        }
        return design
    }
}
