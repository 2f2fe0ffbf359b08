/// How many top-scored examples uplift@k takes: a share of the examples or a count.
public enum UpliftTop: Equatable, Sendable {
    /// A share `k` in `(0, 1)` of the examples (of each group with ``UpliftAtKStrategy/byGroup``).
    case share(Double)
    /// A count `k` in `1..<n`.
    case count(Int)
}

/// Where uplift@k takes its top examples from (scikit-uplift's `strategy`).
public enum UpliftAtKStrategy: String, Codable, Equatable, Sendable {
    /// The top `k` of all examples; the treated and the control examples among them (`overall`).
    case overall
    /// The top `k` treated examples and, separately, the top `k` control examples (`by_group`).
    case byGroup
}

/// Uplift among the top-scored examples: mean outcome of the treated minus that of the control.
public struct UpliftAtK: Codable, Equatable, Sendable {
    /// Treated examples in the top.
    public var treatedExamples: Int
    /// Control examples in the top.
    public var controlExamples: Int
    /// Mean outcome of the treated examples in the top.
    public var treatedMean: Double
    /// Mean outcome of the control examples in the top.
    public var controlMean: Double
    /// `treatedMean − controlMean`, in the outcome's unit per example (`sklift.metrics.uplift_at_k`).
    public var uplift: Double { treatedMean - controlMean }
}

extension UpliftMetrics {
    /// uplift@k exactly as `sklift.metrics.uplift_at_k(y, uplift, treatment, strategy, k)`.
    ///
    /// - Ranking and ties: examples are sorted by score descending; **equal scores are ordered by
    ///   descending input position** (the last row first: sklift reverses a stable ascending sort).
    ///   The cut is by rows, so a tie group straddling it is split by that order and the result
    ///   then depends on the order of the rows (unlike the curves).
    /// - Size: a share `k` of `m` examples is `⌊m·k⌋` rows with `m·k` rounded to double precision
    ///   first, as Python's `int(m * k)` (so 0.57 of 100 is 56); `m = n` for ``UpliftAtKStrategy/overall``,
    ///   and the group's size for each group with ``UpliftAtKStrategy/byGroup``. A count is used as is.
    /// - `overall`: the top rows of all examples; `byGroup`: the top rows of each group.
    /// - The value is `mean(treated outcomes in the top) − mean(control outcomes in the top)`.
    ///
    /// - Throws: the input errors of ``UpliftMetrics``; ``UpliftError/invalidShare(_:)`` unless
    ///   `0 < k < 1`, ``UpliftError/invalidCount(_:examples:)`` unless `1 ≤ k < n`;
    ///   ``UpliftError/topExceedsGroup(_:top:groupSize:)`` for a `byGroup` count larger than a group;
    ///   ``UpliftError/groupMissingFromTop(_:top:)`` when the top holds no example of a group (where
    ///   sklift returns NaN), checked for the control group first.
    public static func upliftAtK(
        scores: [Double], outcomes: [Double], treated: [Bool], top: UpliftTop, strategy: UpliftAtKStrategy
    ) throws -> UpliftAtK {
        let sample = try UpliftSample(scores: scores, outcomes: outcomes, treated: treated)
        switch top {
        case let .share(k): guard k.isFinite, k > 0, k < 1 else { throw UpliftError.invalidShare(k) }
        case let .count(k): guard k >= 1, k < sample.count else { throw UpliftError.invalidCount(k, examples: sample.count) }
        }
        let order = Array(RadixSort.ascendingOrder(scores).reversed())
        var treatedTop = CompensatedSum(), controlTop = CompensatedSum()
        var treatedRows = 0, controlRows = 0
        let treatedLimit: Int, controlLimit: Int
        switch strategy {
        case .overall:
            let limit = topRows(top, of: sample.count)
            (treatedLimit, controlLimit) = (limit, limit)
            for row in order.prefix(limit) {
                if sample.treated[row] { treatedRows += 1; treatedTop.add(outcomes[row]) } else { controlRows += 1; controlTop.add(outcomes[row]) }
            }
        case .byGroup:
            (treatedLimit, controlLimit) = (topRows(top, of: sample.treatedCount), topRows(top, of: sample.controlCount))
            guard controlLimit <= sample.controlCount else {
                throw UpliftError.topExceedsGroup(.control, top: controlLimit, groupSize: sample.controlCount)
            }
            guard treatedLimit <= sample.treatedCount else {
                throw UpliftError.topExceedsGroup(.treated, top: treatedLimit, groupSize: sample.treatedCount)
            }
            for row in order {
                if sample.treated[row] {
                    if treatedRows < treatedLimit { treatedRows += 1; treatedTop.add(outcomes[row]) }
                } else if controlRows < controlLimit {
                    controlRows += 1; controlTop.add(outcomes[row])
                }
            }
        }
        guard controlRows > 0 else { throw UpliftError.groupMissingFromTop(.control, top: controlLimit) }
        guard treatedRows > 0 else { throw UpliftError.groupMissingFromTop(.treated, top: treatedLimit) }
        return UpliftAtK(
            treatedExamples: treatedRows, controlExamples: controlRows,
            treatedMean: treatedTop.value / Double(treatedRows), controlMean: controlTop.value / Double(controlRows))
    }

    /// The rows uplift@k takes from `size` examples: `Int(Double(size)·k)` for a share (Python's
    /// `int(size * k)`), the count itself for a count.
    static func topRows(_ top: UpliftTop, of size: Int) -> Int {
        switch top {
        case let .share(k): return Int(Double(size) * k)
        case let .count(k): return k
        }
    }
}
