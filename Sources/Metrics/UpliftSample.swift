/// Validated inputs of the uplift metrics: one score, outcome and treatment flag per example.
///
/// Checks, in this order: `outcomes` and `treated` have as many elements as `scores`
/// (``MetricsError/lengthMismatch(argument:expected:actual:)``); there is at least one example
/// (``MetricsError/empty``); element by element, in index order, a NaN or infinite score or outcome
/// (``MetricsError/nonFiniteElement(argument:index:)`` naming `scores` or `outcomes`); at least one
/// treated and one control example (``UpliftError/missingGroup(_:)``, treated checked first).
struct UpliftSample {
    var scores: [Double]
    var outcomes: [Double]
    var treated: [Bool]
    /// Number of treated examples.
    var treatedCount: Int
    /// Number of examples.
    var count: Int { scores.count }
    /// Number of control examples.
    var controlCount: Int { count - treatedCount }

    init(scores: [Double], outcomes: [Double], treated: [Bool]) throws {
        let n = scores.count
        guard outcomes.count == n else {
            throw MetricsError.lengthMismatch(argument: "outcomes", expected: n, actual: outcomes.count)
        }
        guard treated.count == n else {
            throw MetricsError.lengthMismatch(argument: "treated", expected: n, actual: treated.count)
        }
        guard n > 0 else { throw MetricsError.empty }
        var treatedCount = 0
        for i in 0..<n {
            guard scores[i].isFinite else { throw MetricsError.nonFiniteElement(argument: "scores", index: i) }
            guard outcomes[i].isFinite else { throw MetricsError.nonFiniteElement(argument: "outcomes", index: i) }
            if treated[i] { treatedCount += 1 }
        }
        guard treatedCount > 0 else { throw UpliftError.missingGroup(.treated) }
        guard treatedCount < n else { throw UpliftError.missingGroup(.control) }
        self.scores = scores
        self.outcomes = outcomes
        self.treated = treated
        self.treatedCount = treatedCount
    }

    /// Throws ``UpliftError/nonBinaryOutcome(index:)`` for the first outcome that is not 0 or 1.
    func requireBinaryOutcomes() throws {
        if let index = outcomes.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw UpliftError.nonBinaryOutcome(index: index)
        }
    }

    /// Running totals at the end of each group of equal `keys` (the scores, or a constructed
    /// ranking), highest key first.
    ///
    /// Within a group, outcomes are added in ascending order, and the running sums are compensated,
    /// so the totals do not depend on the order of the input rows.
    func cumulativeGroups(rankedBy keys: [Double]) -> [CumulativeGroup] {
        let order = RadixSort.descendingOrder(keys, startingFrom: RadixSort.ascendingOrder(outcomes))
        var groups: [CumulativeGroup] = []
        var treatedSoFar = 0
        var treatedOutcome = CompensatedSum(), controlOutcome = CompensatedSum()
        var start = 0
        while start < order.count {
            let key = keys[order[start]]
            var end = start
            while end < order.count, keys[order[end]] == key {
                let row = order[end]
                if treated[row] {
                    treatedSoFar += 1
                    treatedOutcome.add(outcomes[row])
                } else {
                    controlOutcome.add(outcomes[row])
                }
                end += 1
            }
            groups.append(CumulativeGroup(
                key: key + 0.0, examples: end, treated: treatedSoFar,
                treatedOutcome: treatedOutcome.value, controlOutcome: controlOutcome.value))
            start = end
        }
        return groups
    }
}

/// Totals over the examples ranked at or above one group of equal scores.
struct CumulativeGroup {
    /// The group's common score (`-0.0` stored as `+0.0`).
    var key: Double
    /// Examples in this and every higher group.
    var examples: Int
    /// Treated examples among them.
    var treated: Int
    /// Sum of the outcomes of those treated examples.
    var treatedOutcome: Double
    /// Sum of the outcomes of the control examples among them.
    var controlOutcome: Double
    /// Control examples among them.
    var control: Int { examples - treated }
}
