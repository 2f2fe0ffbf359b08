/// One bin of a calibration table: predicted versus observed positive rate.
///
/// Means and rates are weighted by the row weights; with no weights they are plain averages.
public struct CalibrationBin: Codable, Equatable, Sendable {
    /// 0-based bin number in `0..<bins`. Empty bins are omitted, so indices can skip.
    public var index: Int
    /// Number of rows (with non-zero weight) in the bin.
    public var count: Int
    /// Total weight of the bin's rows (equals `count` without weights).
    public var weight: Double
    /// Weighted mean predicted probability.
    public var meanPredicted: Double
    /// Weighted share of positive rows (the observed event rate).
    public var observedRate: Double
    /// Smallest predicted probability in the bin.
    public var minPredicted: Double
    /// Largest predicted probability in the bin.
    public var maxPredicted: Double

    /// Creates a bin from its statistics.
    public init(
        index: Int, count: Int, weight: Double, meanPredicted: Double, observedRate: Double,
        minPredicted: Double, maxPredicted: Double
    ) {
        self.index = index
        self.count = count
        self.weight = weight
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
        self.minPredicted = minPredicted
        self.maxPredicted = maxPredicted
    }
}

extension ClassificationMetrics {
    /// Calibration table over quantile bins of predicted probability (deciles by default),
    /// never splitting equal probabilities.
    ///
    /// Binning rule (implemented identically by `make_metrics_reference.py`):
    /// 1. drop rows with weight 0 and let `W` be the total weight of the rest;
    /// 2. group rows with equal probability and sort the groups by ascending probability;
    /// 3. a group of weight `W_g` whose lower-probability groups weigh `C_g` in total goes to
    ///    bin `min(bins − 1, ⌊bins · (C_g + W_g/2) / W⌋)` — the bin containing the midpoint of
    ///    its cumulative-weight interval.
    ///
    /// Without ties each bin therefore holds `n/bins` rows (±1) — bin `b` gets the rows of
    /// rank `k` with `⌊bins·(k + ½)/n⌋ = b`. A tie group is never split: it lands in
    /// the bin holding the middle of its weight, which can overfill that bin and leave others
    /// empty. Empty bins are omitted, so the result has at most `bins` elements, in increasing
    /// `index` order, and their `count`s add up to the number of non-zero-weight rows. The
    /// assignment depends only on the data (not on row order). One class alone is allowed.
    ///
    /// - Parameter bins: requested number of bins, at least 1 (default 10 = deciles).
    /// - Throws: ``MetricsError/invalidBinCount(_:)`` when `bins < 1`,
    ///   ``MetricsError/probabilityOutOfRange(index:)`` for a probability outside `[0, 1]`,
    ///   and the input errors listed on ``MetricsError``.
    public static func calibration(
        probabilities: [Double], labels: [Bool], weights: [Double]? = nil, bins: Int = 10
    ) throws -> [CalibrationBin] {
        guard bins >= 1 else { throw MetricsError.invalidBinCount(bins) }
        _ = try validate(probabilities, kind: .probability, labels: labels, weights: weights, requireBothClasses: false)
        return calibration(SortedScores(scores: probabilities, labels: labels, weights: weights), bins: bins)
    }

    /// Calibration table of validated, sorted probabilities; `bins >= 1`.
    static func calibration(_ sorted: SortedScores, bins: Int) -> [CalibrationBin] {
        let total = sorted.positiveTotal + sorted.negativeTotal
        var result: [CalibrationBin] = []

        var current = -1
        var count = 0
        var weight = CompensatedSum()
        var weightedPrediction = CompensatedSum()
        var positiveWeight = CompensatedSum()
        var minPredicted = 0.0
        var maxPredicted = 0.0

        func closeBin() {
            guard current >= 0 else { return }
            let w = weight.value
            let mean = weightedPrediction.value / w
            result.append(CalibrationBin(
                index: current,
                count: count,
                weight: w,
                // Rounding must not push the mean outside the bin's range.
                meanPredicted: min(maxPredicted, max(minPredicted, mean)),
                observedRate: min(1, positiveWeight.value / w),
                minPredicted: minPredicted,
                maxPredicted: maxPredicted
            ))
        }

        var below = CompensatedSum()
        sorted.forEachGroup(ascending: true) { group in
            let groupWeight = group.weight
            let position = Double(bins) * (below.value + 0.5 * groupWeight) / total
            let bin = min(bins - 1, Int(position.rounded(.down)))
            below.add(groupWeight)
            if bin != current {
                closeBin()
                current = bin
                count = 0
                weight = CompensatedSum()
                weightedPrediction = CompensatedSum()
                positiveWeight = CompensatedSum()
                minPredicted = group.score
            }
            count += group.count
            weight.add(groupWeight)
            weightedPrediction.add(groupWeight * group.score)
            positiveWeight.add(group.positiveWeight)
            maxPredicted = group.score
        }
        closeBin()
        return result
    }
}
