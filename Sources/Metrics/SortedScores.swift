/// Rows with non-zero weight sorted by score, walked as groups of equal score.
///
/// This is the shared O(n log n) core of the ranking metrics (AUC, Gini, KS, ROC curve) and of
/// calibration. Each row is packed into 16 bytes — its score and its weight signed by the
/// label (`+w` for a positive, `−w` for a negative) — so sorting ten million rows needs about
/// 160 MB and one comparison-sort; all later passes are linear.
///
/// Conventions:
/// - rows with weight zero are dropped, exactly like scikit-learn's `_binary_clf_curve`, so
///   they neither create thresholds nor count in calibration bins;
/// - `-0.0` is stored as `+0.0`, so the two zeros form one group with threshold `0.0`;
/// - the totals are accumulated over the groups in descending-score order with compensated
///   summation, the same order used by ``forEachGroup(ascending:_:)`` with `ascending: false`,
///   so cumulative sums in that direction end exactly at the totals.
struct SortedScores {
    /// One row: its score and its weight with the label in the sign.
    struct Row {
        var score: Double
        var signedWeight: Double
    }

    /// All rows with equal score.
    struct Group {
        /// The common score.
        var score: Double
        /// Total weight of the positive rows in the group.
        var positiveWeight: Double
        /// Total weight of the negative rows in the group.
        var negativeWeight: Double
        /// Number of rows (with non-zero weight) in the group.
        var count: Int
        /// `positiveWeight + negativeWeight`.
        var weight: Double { positiveWeight + negativeWeight }
    }

    /// Rows sorted by descending score.
    private let rows: [Row]
    /// Total weight of the positive rows (see the summation-order convention above).
    let positiveTotal: Double
    /// Total weight of the negative rows (see the summation-order convention above).
    let negativeTotal: Double

    /// Sorts already validated inputs (finite scores, finite non-negative weights).
    init(scores: [Double], labels: [Bool], weights: [Double]?) {
        var rows: [Row] = []
        rows.reserveCapacity(scores.count)
        for i in scores.indices {
            let w = weights?[i] ?? 1
            guard w != 0 else { continue }
            rows.append(Row(score: scores[i] + 0.0, signedWeight: labels[i] ? w : -w))
        }
        rows.sort { $0.score > $1.score }
        self.rows = rows

        var positive = CompensatedSum()
        var negative = CompensatedSum()
        Self.walk(rows, ascending: false) { group in
            positive.add(group.positiveWeight)
            negative.add(group.negativeWeight)
        }
        positiveTotal = positive.value
        negativeTotal = negative.value
    }

    /// Calls `body` once per distinct score, in descending (default) or ascending score order.
    func forEachGroup(ascending: Bool = false, _ body: (Group) throws -> Void) rethrows {
        try Self.walk(rows, ascending: ascending, body)
    }

    private static func walk(_ rows: [Row], ascending: Bool, _ body: (Group) throws -> Void) rethrows {
        let n = rows.count
        var k = 0
        while k < n {
            let i = ascending ? n - 1 - k : k
            let score = rows[i].score
            var positive = CompensatedSum()
            var negative = CompensatedSum()
            var count = 0
            while k < n {
                let row = rows[ascending ? n - 1 - k : k]
                guard row.score == score else { break }
                if row.signedWeight > 0 { positive.add(row.signedWeight) } else { negative.add(-row.signedWeight) }
                count += 1
                k += 1
            }
            try body(Group(score: score, positiveWeight: positive.value, negativeWeight: negative.value, count: count))
        }
    }
}
