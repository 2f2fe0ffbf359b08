extension ClassificationMetrics {
    /// Area under the ROC curve, with tied scores counted 1/2 (equal to sklearn `roc_auc_score`).
    ///
    /// AUC is the (weighted) probability that a random positive row scores higher than a
    /// random negative row, counting ties as 1/2:
    /// `Σ_{pos i} Σ_{neg j} w_i·w_j·([s_i > s_j] + ½[s_i = s_j]) / (W_pos·W_neg)`.
    /// This equals the trapezoidal area under ``rocCurve(scores:labels:weights:)``, which is
    /// how scikit-learn computes it. Sorting makes it O(n log n); for unweighted data every
    /// partial sum is an exact integer or half-integer, so the only rounding is the final
    /// division.
    ///
    /// - Returns: a value in `[0, 1]`; 1 for a perfect ranking, 0 for a reversed one, 0.5 when
    ///   all scores are tied.
    /// - Throws: ``MetricsError/singleClass`` when one class has no (non-zero) weight, and the
    ///   input errors listed on ``MetricsError``.
    public static func rocAUC(scores: [Double], labels: [Bool], weights: [Double]? = nil) throws -> Double {
        _ = try validate(scores, kind: .score, labels: labels, weights: weights, requireBothClasses: true)
        return rocAUC(SortedScores(scores: scores, labels: labels, weights: weights))
    }

    /// Gini coefficient (accuracy ratio), `2·AUC − 1`.
    ///
    /// 1 for a perfect ranking, 0 for a random one, −1 for a reversed one. Same inputs, tie
    /// handling and errors as ``rocAUC(scores:labels:weights:)``.
    public static func gini(scores: [Double], labels: [Bool], weights: [Double]? = nil) throws -> Double {
        2 * (try rocAUC(scores: scores, labels: labels, weights: weights)) - 1
    }

    /// Kolmogorov–Smirnov statistic: the largest gap between the score distributions of the
    /// two classes.
    ///
    /// `KS = max_t |F_pos(t) − F_neg(t)|`, where `F_pos`/`F_neg` are the (weighted) empirical
    /// CDFs of the positive and negative scores. The maximum is taken only at distinct score
    /// values, so tied scores are never split; equivalently it is `max |TPR − FPR|` over the
    /// points of ``rocCurve(scores:labels:weights:)``. For unweighted data it equals
    /// `scipy.stats.ks_2samp(scores[pos], scores[neg]).statistic` (computed the same way:
    /// `count/n` per class, then the difference).
    ///
    /// - Returns: a value in `[0, 1]`.
    /// - Throws: ``MetricsError/singleClass`` when one class has no (non-zero) weight, and the
    ///   input errors listed on ``MetricsError``.
    public static func ksStatistic(scores: [Double], labels: [Bool], weights: [Double]? = nil) throws -> Double {
        _ = try validate(scores, kind: .score, labels: labels, weights: weights, requireBothClasses: true)
        return ksStatistic(SortedScores(scores: scores, labels: labels, weights: weights))
    }

    /// AUC of validated, sorted data with both classes present.
    static func rocAUC(_ sorted: SortedScores) -> Double {
        var area = CompensatedSum()
        var positivesAbove = CompensatedSum()
        sorted.forEachGroup { group in
            // Each negative in the group beats no positive above it, ties half with the
            // positives in the group.
            area.add(group.negativeWeight * (positivesAbove.value + 0.5 * group.positiveWeight))
            positivesAbove.add(group.positiveWeight)
        }
        // One division by the product (exact for unweighted data, so the AUC is correctly
        // rounded); divide twice only if the product would overflow or underflow.
        let pairs = sorted.positiveTotal * sorted.negativeTotal
        let auc = pairs.isNormal
            ? area.value / pairs
            : area.value / sorted.positiveTotal / sorted.negativeTotal
        return min(1, max(0, auc))
    }

    /// KS statistic of validated, sorted data with both classes present.
    static func ksStatistic(_ sorted: SortedScores) -> Double {
        var positiveBelow = CompensatedSum()
        var negativeBelow = CompensatedSum()
        var best = 0.0
        sorted.forEachGroup(ascending: true) { group in
            positiveBelow.add(group.positiveWeight)
            negativeBelow.add(group.negativeWeight)
            let gap = abs(positiveBelow.value / sorted.positiveTotal - negativeBelow.value / sorted.negativeTotal)
            best = max(best, gap)
        }
        return min(1, best)
    }
}
