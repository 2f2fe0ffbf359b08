#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The AUC of one score with its DeLong standard error and a 95% confidence interval.
///
/// Produced by ``DeLong/inference(scores:labels:)``. `auc` is the same number as
/// ``ClassificationMetrics/rocAUC(scores:labels:weights:)`` without weights (ties count ½);
/// the interval is `auc ± z·standardError` with `z = Φ⁻¹(0.975) ≈ 1.959964`, clipped to `[0, 1]`.
public struct AUCInference: Codable, Equatable, Sendable {
    /// Area under the ROC curve, ties counted ½.
    public var auc: Double
    /// DeLong's standard error of `auc`, `√(S₁₀/m + S₀₁/n)`.
    public var standardError: Double
    /// Lower end of the 95% interval, at least 0.
    public var lower95: Double
    /// Upper end of the 95% interval, at most 1.
    public var upper95: Double
    /// Number of positive rows (`m`).
    public var positives: Int
    /// Number of negative rows (`n`).
    public var negatives: Int

    /// Creates an inference result from its fields (normally use ``DeLong/inference(scores:labels:)``).
    public init(auc: Double, standardError: Double, lower95: Double, upper95: Double, positives: Int, negatives: Int) {
        self.auc = auc
        self.standardError = standardError
        self.lower95 = lower95
        self.upper95 = upper95
        self.positives = positives
        self.negatives = negatives
    }
}

/// DeLong's paired test of two AUCs measured on the same rows.
///
/// Produced by ``DeLong/pairedTest(scoresA:scoresB:labels:)``: `difference = aucA − aucB`,
/// `z = difference / standardError`, the two-sided `pValue = 2·(1 − Φ(|z|))`, and the 95%
/// interval of the difference, `difference ± 1.959964·standardError`, clipped to `[−1, 1]`.
public struct PairedAUCTest: Codable, Equatable, Sendable {
    /// AUC of the first score.
    public var aucA: Double
    /// AUC of the second score.
    public var aucB: Double
    /// `aucA − aucB`.
    public var difference: Double
    /// Standard error of the difference, `√(Var A + Var B − 2·Cov(A, B))`.
    public var standardError: Double
    /// `difference / standardError` (0 when both are 0, ±infinity when only the error is 0).
    public var z: Double
    /// Two-sided p-value `2·(1 − Φ(|z|))`, computed as `erfc(|z|/√2)`.
    public var pValue: Double
    /// Lower end of the 95% interval of the difference, at least −1.
    public var lower95: Double
    /// Upper end of the 95% interval of the difference, at most 1.
    public var upper95: Double

    /// Creates a test result from its fields (normally use ``DeLong/pairedTest(scoresA:scoresB:labels:)``).
    public init(
        aucA: Double, aucB: Double, difference: Double, standardError: Double, z: Double, pValue: Double,
        lower95: Double, upper95: Double
    ) {
        self.aucA = aucA
        self.aucB = aucB
        self.difference = difference
        self.standardError = standardError
        self.z = z
        self.pValue = pValue
        self.lower95 = lower95
        self.upper95 = upper95
    }
}

/// DeLong's variance of the AUC and DeLong's paired test (DeLong, DeLong & Clarke-Pearson 1988),
/// computed in O(n log n) by the midrank algorithm of Sun & Xu (2014).
///
/// Conventions (all rows unweighted, `labels[i] == true` marks a positive, higher score = more
/// likely positive):
/// - The kernel is `ψ(x, y) = 1` when a positive scores `x > y` above a negative, `½` when
///   `x = y`, and `0` otherwise; `AUC = mean ψ` over the `m·n` positive–negative pairs.
/// - The *structural components* (placement values) are `V₁₀(xᵢ) = meanⱼ ψ(xᵢ, yⱼ)` for each
///   positive and `V₀₁(yⱼ) = meanᵢ ψ(xᵢ, yⱼ)` for each negative; both average to the AUC.
///   `S₁₀`, `S₀₁` are their sample variances (denominators `m − 1`, `n − 1`), and
///   `Var(AUC) = S₁₀/m + S₀₁/n`. A class with a single row contributes no variance term
///   (its sample variance, 0/0, is taken as 0).
/// - The components are computed in one ascending pass over the rows sorted by score (a stable
///   radix sort): for a positive in a group of equal scores, `V₁₀ = (negatives below + ½·negatives
///   in the group)/n`; for a negative, `V₀₁ = (positives above + ½·positives in the group)/m`.
///   This is Sun & Xu's midrank formula (`V₁₀ = (T_Z − T_X)/n`, `V₀₁ = 1 − (T_Z − T_Y)/m`) with
///   the half-integer counts kept exact, so the AUC is the correctly rounded ratio of two integers
///   (bit-identical to ``ClassificationMetrics/rocAUC(scores:labels:weights:)``).
/// - Sums of squared deviations are taken around the AUC with compensated summation.
/// - The 95% intervals use `z = Φ⁻¹(0.975) = 1.959963984540054`.
/// - Results depend only on the multiset of (score, label) rows and on the order of the scores,
///   not on their values: any strictly increasing transform of the scores gives the same result.
///
/// Errors are ``MetricsError`` values, checked in this order: lengths
/// (``MetricsError/lengthMismatch(argument:expected:actual:)``), no rows (``MetricsError/empty``),
/// row by row a NaN or infinite score (``MetricsError/nonFinite(index:)``), one class only
/// (``MetricsError/singleClass``).
public enum DeLong {
    /// `Φ⁻¹(0.975)`, the two-sided 95% normal quantile.
    public static let z95 = 1.959963984540054

    /// AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson 1988), computed in O(n log n) by
    /// the fast algorithm of Sun & Xu (2014) (midranks); ties count ½; 95% CI `auc ± 1.959964·SE`
    /// clipped to `[0, 1]`.
    ///
    /// - Throws: ``MetricsError`` for mismatched lengths, no rows, a non-finite score or a single class.
    public static func inference(scores: [Double], labels: [Bool]) throws -> AUCInference {
        try validate(scores, nil, labels: labels)
        let p = Placements(scores: scores, labels: labels)
        let se = (p.positiveVariance(around: p.auc) + p.negativeVariance(around: p.auc)).squareRoot()
        return AUCInference(
            auc: p.auc, standardError: se,
            lower95: max(0, p.auc - z95 * se), upper95: min(1, p.auc + z95 * se),
            positives: p.positives.count, negatives: p.negatives.count)
    }

    /// Paired test of two scores on the same rows: the covariance of the two AUCs from the structural
    /// components; `z = difference / SE`; `p = 2·(1 − Φ(|z|))` (computed as `erfc(|z|/√2)`).
    ///
    /// `Var(A − B) = Var A + Var B − 2·Cov(A, B)` is computed directly as the sample variance of the
    /// per-row differences of the components, `S₁₀(A − B)/m + S₀₁(A − B)/n`, which is never negative
    /// and is exactly 0 when both scores rank the rows alike (e.g. `B` is a monotone transform of `A`).
    /// When the standard error is 0 the difference is 0 as well in practice, and the result is
    /// `z = 0`, `p = 1`; should the error be 0 with a non-zero difference, `z = ±infinity`, `p = 0`.
    ///
    /// - Throws: ``MetricsError``: `scoresB` or `labels` of a different length than `scoresA`, no rows,
    ///   a non-finite score in either array (the lowest row index; `scoresA` first within a row), a
    ///   single class.
    public static func pairedTest(scoresA: [Double], scoresB: [Double], labels: [Bool]) throws -> PairedAUCTest {
        try validate(scoresA, scoresB, labels: labels)
        let a = Placements(scores: scoresA, labels: labels)
        let b = Placements(scores: scoresB, labels: labels)
        let m = a.positives.count, n = a.negatives.count

        var positiveSquares = CompensatedSum()
        for i in 0..<m {
            let d = (a.positives[i] - a.auc) - (b.positives[i] - b.auc)
            positiveSquares.add(d * d)
        }
        var negativeSquares = CompensatedSum()
        for j in 0..<n {
            let d = (a.negatives[j] - a.auc) - (b.negatives[j] - b.auc)
            negativeSquares.add(d * d)
        }
        let variance = Placements.meanVariance(positiveSquares.value, count: m)
            + Placements.meanVariance(negativeSquares.value, count: n)
        let se = variance.squareRoot()
        let difference = a.auc - b.auc
        let z: Double
        let pValue: Double
        if se > 0 {
            z = difference / se
            pValue = min(1, erfc(abs(z) / 2.0.squareRoot()))
        } else if difference == 0 {
            z = 0
            pValue = 1
        } else {
            z = difference > 0 ? .infinity : -.infinity
            pValue = 0
        }
        return PairedAUCTest(
            aucA: a.auc, aucB: b.auc, difference: difference, standardError: se, z: z, pValue: pValue,
            lower95: max(-1, difference - z95 * se), upper95: min(1, difference + z95 * se))
    }

    /// Checks lengths, emptiness, finiteness (row by row, `a` before `b`) and both classes.
    private static func validate(_ a: [Double], _ b: [Double]?, labels: [Bool]) throws {
        let count = a.count
        if let b, b.count != count {
            throw MetricsError.lengthMismatch(argument: "scoresB", expected: count, actual: b.count)
        }
        guard labels.count == count else {
            throw MetricsError.lengthMismatch(argument: "labels", expected: count, actual: labels.count)
        }
        guard count > 0 else { throw MetricsError.empty }
        var positives = 0
        for i in 0..<count {
            guard a[i].isFinite, b?[i].isFinite ?? true else { throw MetricsError.nonFinite(index: i) }
            if labels[i] { positives += 1 }
        }
        guard positives > 0, positives < count else { throw MetricsError.singleClass }
    }

    /// The structural components of one score: `V₁₀` of every positive and `V₀₁` of every negative,
    /// each in row order, and the AUC. Inputs must be validated (finite, both classes present).
    struct Placements {
        /// `V₁₀` of the positive rows, in row order.
        var positives: [Double]
        /// `V₀₁` of the negative rows, in row order.
        var negatives: [Double]
        /// The AUC, the mean of either array.
        var auc: Double

        init(scores: [Double], labels: [Bool]) {
            let count = scores.count
            // Position of each row within its class, in row order.
            var classIndex = [Int](repeating: 0, count: count)
            var m = 0, n = 0
            for i in 0..<count {
                if labels[i] { classIndex[i] = m; m += 1 } else { classIndex[i] = n; n += 1 }
            }
            var positives = [Double](repeating: 0, count: m)
            var negatives = [Double](repeating: 0, count: n)
            let order = RadixSort.ascendingOrder(scores)
            let twiceN = Double(2 * n), twiceM = Double(2 * m)
            var positivesBelow = 0, negativesBelow = 0
            var twiceArea = 0  // Σ over positives of 2·n·V₁₀, an exact integer
            var start = 0
            while start < count {
                let score = scores[order[start]] + 0.0
                var end = start, groupPositives = 0
                while end < count, scores[order[end]] + 0.0 == score {
                    if labels[order[end]] { groupPositives += 1 }
                    end += 1
                }
                let groupNegatives = end - start - groupPositives
                let twicePositivePlacement = 2 * negativesBelow + groupNegatives
                let twiceNegativePlacement = 2 * (m - positivesBelow) - groupPositives
                let positiveValue = Double(twicePositivePlacement) / twiceN
                let negativeValue = Double(twiceNegativePlacement) / twiceM
                for k in start..<end {
                    let row = order[k]
                    if labels[row] {
                        positives[classIndex[row]] = positiveValue
                    } else {
                        negatives[classIndex[row]] = negativeValue
                    }
                }
                twiceArea += groupPositives * twicePositivePlacement
                positivesBelow += groupPositives
                negativesBelow += groupNegatives
                start = end
            }
            self.positives = positives
            self.negatives = negatives
            // Exact integers divided once: the correctly rounded AUC (as ClassificationMetrics.rocAUC).
            self.auc = min(1, max(0, Double(twiceArea) / (twiceN * Double(m))))
        }

        /// `S₁₀/m`: the sample variance of the positive components divided by their count.
        func positiveVariance(around mean: Double) -> Double {
            Self.meanVariance(Self.squares(positives, around: mean), count: positives.count)
        }

        /// `S₀₁/n`: the sample variance of the negative components divided by their count.
        func negativeVariance(around mean: Double) -> Double {
            Self.meanVariance(Self.squares(negatives, around: mean), count: negatives.count)
        }

        /// Compensated `Σ (xᵢ − mean)²`.
        static func squares(_ values: [Double], around mean: Double) -> Double {
            var sum = CompensatedSum()
            for x in values {
                let d = x - mean
                sum.add(d * d)
            }
            return sum.value
        }

        /// `squares / ((count − 1)·count)`, the variance of a mean; 0 for a single value.
        static func meanVariance(_ squares: Double, count: Int) -> Double {
            guard count > 1 else { return 0 }
            return squares / (Double(count - 1) * Double(count))
        }
    }
}
