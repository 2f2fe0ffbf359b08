/// Lift and cumulative gains of targeting the top-scored share of rows (e.g. the customers to call
/// first), optionally with the value (cash) captured.
///
/// See ``Lift`` for how the top rows are chosen and how ties at the cut are shared.
public struct LiftPoint: Codable, Equatable, Sendable {
    /// Fraction of rows targeted (the top by score), as requested.
    public var share: Double
    /// Number of rows in the top, `⌈share·n⌉` (see ``Lift`` for the rounding rule).
    public var rows: Int
    /// Positives in the top divided by `rows` (a tie group split by the cut counts pro rata).
    public var positiveRate: Double
    /// `positiveRate` divided by the overall positive rate `P/n`.
    public var lift: Double
    /// Share of all positives that are in the top (the gains / recall at this cut), in `[0, 1]`.
    public var capturedPositives: Double
    /// Share of the total value that is in the top, when values were given (0 when they are all 0).
    public var capturedValue: Double?
    /// Total value in the top, when values were given.
    public var value: Double?

    /// Creates a point from its fields (normally use ``Lift/points(at:scores:labels:values:)``).
    public init(
        share: Double, rows: Int, positiveRate: Double, lift: Double, capturedPositives: Double,
        capturedValue: Double? = nil, value: Double? = nil
    ) {
        self.share = share
        self.rows = rows
        self.positiveRate = positiveRate
        self.lift = lift
        self.capturedPositives = capturedPositives
        self.capturedValue = capturedValue
        self.value = value
    }
}

/// An argument problem specific to ``Lift`` (input-data problems are ``MetricsError`` values).
public enum LiftError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `shares[index]` is not a finite number in `(0, 1]`.
    case invalidShare(index: Int, share: Double)
    /// The gains curve needs at least one point.
    case invalidCount(Int)
    /// Row `index` has a negative value (values are amounts such as outstanding cash).
    case negativeValue(index: Int)

    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case let .invalidShare(index, share):
            return "share \(index) is \(share); shares must lie in (0, 1]"
        case let .invalidCount(count):
            return "a gains curve needs at least 1 point, got \(count)"
        case let .negativeValue(index):
            return "row \(index) has a negative value"
        }
    }
}

/// Lift tables and cumulative gains curves of a score: how concentrated the positives (and the
/// value, e.g. cash to collect) are among the top-scored rows.
///
/// Conventions:
/// - Rows are ranked by score, highest first; `labels[i] == true` marks a positive. Rows are
///   unweighted; `values` (optional) are finite, non-negative amounts per row.
/// - The top `share` of `n` rows is `k = ⌈share·n⌉` rows, at least 1. Because `share` is a binary
///   fraction, a product `share·n` within a relative `1e-12` of an integer counts as that integer
///   (so 10% of 30 rows is 3 rows although `0.1·30` may round above 3).
/// - **Ties at the cut.** If the cut falls inside a group of `g` rows with equal scores, `a` rows
///   of which rank above the cut's group start, the top holds all rows scoring higher plus the
///   fraction `f = (k − a)/g` of the tied group, and that fraction is credited with `f` times the
///   group's positives and `f` times the group's total value (the average tied row, taken `k − a`
///   times). The top's positives and value are therefore
///   `positives above + (k − a)·(group positives)/g` and likewise for value — possibly
///   fractional, deterministic, and independent of the order of the input rows.
/// - `positiveRate = top positives / k`, `lift = positiveRate / (P/n)`,
///   `capturedPositives = top positives / P`, `value` = top value,
///   `capturedValue = top value / total value` (0 when the total is 0). At `share = 1` the
///   captured shares are exactly 1 and the lift exactly 1.
/// - Sums of values use compensated summation over the rows in (score descending, value
///   ascending) order, so results are bit-identical for any permutation of the rows.
///
/// Errors are checked in this order: each share (``LiftError/invalidShare(index:share:)``) or the
/// curve's point count (``LiftError/invalidCount(_:)``); lengths of `labels` and `values`
/// (``MetricsError/lengthMismatch(argument:expected:actual:)``); no rows (``MetricsError/empty``);
/// row by row a non-finite score or value (``MetricsError/nonFinite(index:)``) or a negative
/// value (``LiftError/negativeValue(index:)``); no positive or no negative row
/// (``MetricsError/singleClass``).
public enum Lift {
    /// Points at the given top shares (e.g. 0.05, 0.1, 0.2), in the order given: rows sorted by
    /// score descending; the cut is `⌈share·n⌉` rows; a tie group straddling the cut contributes
    /// its average row pro rata (see ``Lift``).
    ///
    /// - Parameter shares: fractions in `(0, 1]`, in any order, repeats allowed.
    /// - Throws: ``LiftError`` for a bad share or a negative value, ``MetricsError`` for
    ///   mismatched lengths, no rows, non-finite scores or values, or a single class.
    public static func points(
        at shares: [Double], scores: [Double], labels: [Bool], values: [Double]? = nil
    ) throws -> [LiftPoint] {
        for (index, share) in shares.enumerated() where !(share.isFinite && share > 0 && share <= 1) {
            throw LiftError.invalidShare(index: index, share: share)
        }
        let ranked = try Ranked(scores: scores, labels: labels, values: values)
        return shares.map { ranked.point(share: $0, rows: topRows(share: $0, of: scores.count)) }
    }

    /// A cumulative gains curve with `count` evenly spaced shares in `(0, 1]`, `i/count` for
    /// `i = 1…count` (for plotting); each point is the one ``points(at:scores:labels:values:)``
    /// gives at that share (the row count `⌈i·n/count⌉` is computed in integers).
    ///
    /// - Throws: ``LiftError/invalidCount(_:)`` when `count < 1`, and the errors of
    ///   ``points(at:scores:labels:values:)``.
    public static func gainsCurve(
        scores: [Double], labels: [Bool], values: [Double]? = nil, count: Int = 50
    ) throws -> [LiftPoint] {
        guard count >= 1 else { throw LiftError.invalidCount(count) }
        let ranked = try Ranked(scores: scores, labels: labels, values: values)
        let n = scores.count
        return (1...count).map { i in
            let (quotient, remainder) = (i * n).quotientAndRemainder(dividingBy: count)
            let rows = max(1, quotient + (remainder > 0 ? 1 : 0))
            return ranked.point(share: Double(i) / Double(count), rows: rows)
        }
    }

    /// `⌈share·n⌉` (at least 1), treating products within a relative 1e-12 of an integer as that integer.
    static func topRows(share: Double, of n: Int) -> Int {
        let product = share * Double(n)
        let nearest = product.rounded()
        let rows = abs(product - nearest) <= 1e-12 * max(1, product) ? nearest : product.rounded(.up)
        return min(n, max(1, Int(rows)))
    }

    /// Validated rows grouped by equal score, highest first, with cumulative counts and values.
    struct Ranked {
        /// Rows up to and including each group.
        var cumulativeRows: [Int] = []
        /// Positives up to and including each group.
        var cumulativePositives: [Int] = []
        /// Value up to and including each group (compensated running sum), when values are given.
        var cumulativeValue: [Double] = []
        /// Value of each group alone, when values are given.
        var groupValue: [Double] = []
        var hasValues: Bool
        var positives: Int
        var count: Int
        var totalValue: Double = 0

        init(scores: [Double], labels: [Bool], values: [Double]?) throws {
            let n = scores.count
            guard labels.count == n else {
                throw MetricsError.lengthMismatch(argument: "labels", expected: n, actual: labels.count)
            }
            if let values, values.count != n {
                throw MetricsError.lengthMismatch(argument: "values", expected: n, actual: values.count)
            }
            guard n > 0 else { throw MetricsError.empty }
            var positives = 0
            for i in 0..<n {
                guard scores[i].isFinite else { throw MetricsError.nonFinite(index: i) }
                if let values {
                    guard values[i].isFinite else { throw MetricsError.nonFinite(index: i) }
                    guard values[i] >= 0 else { throw LiftError.negativeValue(index: i) }
                }
                if labels[i] { positives += 1 }
            }
            guard positives > 0, positives < n else { throw MetricsError.singleClass }
            self.positives = positives
            self.count = n
            self.hasValues = values != nil

            // Score descending; equal scores by ascending value, so value sums do not depend on row order.
            let order = values.map { RadixSort.descendingOrder(scores, startingFrom: RadixSort.ascendingOrder($0)) }
                ?? RadixSort.descendingOrder(scores)
            var start = 0, rowsSoFar = 0, positivesSoFar = 0
            var running = CompensatedSum()
            while start < n {
                let score = scores[order[start]]
                var end = start
                var group = CompensatedSum()
                while end < n, scores[order[end]] == score {
                    let row = order[end]
                    if labels[row] { positivesSoFar += 1 }
                    if let values {
                        group.add(values[row])
                        running.add(values[row])
                    }
                    end += 1
                }
                rowsSoFar += end - start
                cumulativeRows.append(rowsSoFar)
                cumulativePositives.append(positivesSoFar)
                if hasValues {
                    cumulativeValue.append(running.value)
                    groupValue.append(group.value)
                }
                start = end
            }
            totalValue = running.value
        }

        /// The point for the top `rows` rows (`1 ≤ rows ≤ count`), labelled with `share`.
        func point(share: Double, rows k: Int) -> LiftPoint {
            // First group whose cumulative row count reaches k.
            var low = 0, high = cumulativeRows.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulativeRows[mid] >= k { high = mid } else { low = mid + 1 }
            }
            let g = low
            let rowsAbove = g > 0 ? cumulativeRows[g - 1] : 0
            let positivesAbove = g > 0 ? cumulativePositives[g - 1] : 0
            let groupRows = cumulativeRows[g] - rowsAbove
            let taken = k - rowsAbove
            let topPositives: Double
            var topValue: Double? = nil
            if taken == groupRows {
                topPositives = Double(cumulativePositives[g])
                if hasValues { topValue = cumulativeValue[g] }
            } else {
                let groupPositives = cumulativePositives[g] - positivesAbove
                topPositives = Double(positivesAbove) + Double(taken) * Double(groupPositives) / Double(groupRows)
                if hasValues {
                    let above = g > 0 ? cumulativeValue[g - 1] : 0
                    topValue = above + Double(taken) * groupValue[g] / Double(groupRows)
                }
            }
            let captured = k == count ? 1 : min(1, topPositives / Double(positives))
            return LiftPoint(
                share: share,
                rows: k,
                positiveRate: topPositives / Double(k),
                lift: k == count ? 1 : topPositives * Double(count) / (Double(k) * Double(positives)),
                capturedPositives: captured,
                capturedValue: topValue.map { value in
                    guard totalValue > 0 else { return 0 }
                    return k == count ? 1 : min(1, value / totalValue)
                },
                value: topValue)
        }
    }
}
