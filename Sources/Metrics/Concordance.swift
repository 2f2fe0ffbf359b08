// When this file moves into the Metrics module, delete the import below (MetricsError is then local).

/// Harrell's concordance index (C-index) of risk scores against right-censored durations.
///
/// A pair of rows is *comparable* when the row with the shorter duration had an event:
/// `tᵢ < tⱼ` with `eventᵢ`, and also `tᵢ = tⱼ` with `eventᵢ` and row `j` censored (a row
/// censored at an event time was still at risk then). Two events at the same time are not
/// comparable, nor is any pair whose shorter duration is censored. A comparable pair is
/// *concordant* when the row that failed first has the higher risk, and *tied* when the risks
/// are equal (counted ½):
///
///     C = (concordant + ½·tied) / comparable
///
/// This is exactly lifelines' `concordance_index(durations, −risk, events)` (lifelines takes
/// survival-time-like scores, hence the sign); durations are in any unit, only their order
/// matters. Rows are unweighted (as in lifelines).
///
/// The count is O(n log n): rows are sorted by duration and by risk (radix sorts), and a Fenwick tree
/// over the risk ranks answers "how many earlier events have a higher / an equal risk".
public struct Concordance: Equatable, Sendable {
    /// Comparable pairs whose earlier-failing row has the higher risk.
    public var concordantPairs: Int
    /// Comparable pairs with equal risks (each counts ½).
    public var tiedRiskPairs: Int
    /// All comparable pairs.
    public var comparablePairs: Int

    /// Comparable pairs whose earlier-failing row has the lower risk.
    public var discordantPairs: Int { comparablePairs - concordantPairs - tiedRiskPairs }

    /// `(concordant + ½·tied) / comparable` in [0, 1], or nil when no pair is comparable
    /// (no events, or every event tied with every later row).
    public var index: Double? {
        guard comparablePairs > 0 else { return nil }
        return (Double(concordantPairs) + 0.5 * Double(tiedRiskPairs)) / Double(comparablePairs)
    }

    public init(concordantPairs: Int, tiedRiskPairs: Int, comparablePairs: Int) {
        self.concordantPairs = concordantPairs
        self.tiedRiskPairs = tiedRiskPairs
        self.comparablePairs = comparablePairs
    }

    /// Counts the pairs for `durations` (any unit), `events` (true = the event happened at the
    /// duration, false = censored there) and `risks` (higher = expected to fail sooner, e.g. a Cox
    /// linear predictor).
    /// - Throws: `MetricsError.lengthMismatch` when the arrays differ in length, `.empty` for no rows,
    ///   `.nonFinite(index:)` for a NaN or infinite duration or risk.
    public static func harrell(durations: [Double], events: [Bool], risks: [Double]) throws -> Concordance {
        let n = durations.count
        guard events.count == n else { throw MetricsError.lengthMismatch(argument: "events", expected: n, actual: events.count) }
        guard risks.count == n else { throw MetricsError.lengthMismatch(argument: "risks", expected: n, actual: risks.count) }
        guard n > 0 else { throw MetricsError.empty }
        for i in 0..<n where !(durations[i].isFinite && risks[i].isFinite) { throw MetricsError.nonFinite(index: i) }

        // Dense ranks of the risks (equal risks share a rank), 1-based for the Fenwick tree.
        let riskOrder = RadixSort.ascendingOrder(risks)
        var rank = [Int](repeating: 0, count: n)
        var distinct = 0
        for k in 0..<n {
            if k == 0 || risks[riskOrder[k]] != risks[riskOrder[k - 1]] { distinct += 1 }
            rank[riskOrder[k]] = distinct
        }

        // Rows by duration, ascending (the order within equal durations does not matter). At each
        // duration the events are counted first and then added to the pool, and the censored rows are
        // counted last: censored rows see the events of their own time (they were at risk then), tied
        // events do not see each other.
        let order: [Int]
        if durations.indices.dropFirst().allSatisfy({ durations[$0 - 1] >= durations[$0] }) {
            order = Array((0..<n).reversed())  // already descending (a Cox fit's sorted rows): no sort needed
        } else {
            order = RadixSort.ascendingOrder(durations)
        }

        // Fenwick tree of the events in the pool per rank, and the exact count per rank (32-bit counts
        // halve the tree's cache footprint; a pool never exceeds n < 2³¹ rows).
        precondition(n < Int(Int32.max), "Concordance.harrell handles fewer than 2³¹ rows")
        var tree = [Int32](repeating: 0, count: distinct + 1)
        var equal = [Int32](repeating: 0, count: distinct + 1)
        var concordant = 0, tied = 0, comparable = 0, poolSize = 0
        tree.withUnsafeMutableBufferPointer { tree in
          equal.withUnsafeMutableBufferPointer { equal in
            rank.withUnsafeBufferPointer { rank in
              order.withUnsafeBufferPointer { order in
                durations.withUnsafeBufferPointer { durations in
                  events.withUnsafeBufferPointer { events in
                    let size = tree.count
                    var start = 0
                    while start < n {
                        let time = durations[order[start]]
                        var end = start
                        while end < n && durations[order[end]] == time { end += 1 }
                        // Pass 0 counts the events, pass 1 adds them to the pool, pass 2 counts the censored.
                        for pass in 0..<3 {
                            for k in start..<end where events[order[k]] == (pass < 2) {
                                let r = rank[order[k]]
                                if pass == 1 {
                                    equal[r] &+= 1
                                    var m = r
                                    while m < size { tree[m] &+= 1; m &+= m & -m }
                                    continue
                                }
                                var atMost = 0, m = r
                                while m > 0 { atMost &+= Int(tree[m]); m &= m &- 1 }
                                comparable &+= poolSize
                                tied &+= Int(equal[r])
                                concordant &+= poolSize &- atMost  // earlier events with a strictly higher risk
                            }
                            if pass == 1 {
                                for k in start..<end where events[order[k]] { poolSize &+= 1 }
                            }
                        }
                        start = end
                    }
                  }
                }
              }
            }
          }
        }
        return Concordance(concordantPairs: concordant, tiedRiskPairs: tied, comparablePairs: comparable)
    }
}
