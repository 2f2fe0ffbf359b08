/// Solves a `SlotProblem` exactly: at most one slot per candidate, no slot over its capacity, at most the total
/// capacity in all, the largest total value.
///
/// The problem is a max-weight flow (source → candidate, capacity 1 → slot, the option's value → sink, the slot's
/// capacity; total flow ≤ the daily capacity). Successive shortest paths add one call at a time along the path of
/// largest gain in the residual graph; the gains never increase, so stopping at the first gain ≤ 0 or at the total
/// capacity gives the optimum for every flow size (concavity of min-cost flow in the flow value). Paths are searched
/// over slot nodes only: an augmenting path plans an unplanned candidate into slot s₁, moves a planned candidate from
/// s₁ to s₂, … and ends in a slot with room. The best entry into slot s is the top of a heap of unplanned candidates
/// by value in s; the best move s → t is the top of a heap of candidates planned in s by value(t) − value(s); the
/// longest path is Bellman–Ford over the S slots (no positive cycle exists in the residual of an optimal flow).
///
/// Pruning: with T the effective total capacity (the smaller of the total and the sum of slot capacities), a
/// candidate planned in s in an optimum is among the T best candidates in s (otherwise one of those T is unplanned
/// and could take its place for at least as much), so only the union over slots of each slot's T best candidates
/// enters the search. With no finite capacity at all every candidate takes its best option.
///
/// Ties: heaps order equal keys by candidate index, Bellman–Ford takes a strictly larger gain only, the end slot is
/// the lowest-numbered of the best; the result is a deterministic function of the problem (candidate order included).
public enum SlotPlanner {
    /// The plan: the slot of each candidate (−1 = not planned) and the total value.
    public struct Plan: Sendable, Equatable {
        public var slotOf: [Int]
        public var totalValue: Double
        /// Planned calls per slot.
        public var load: [Int]
    }

    /// The optimal plan of `problem`.
    public static func solve(_ problem: SlotProblem) -> Plan {
        let slots = problem.slotCapacities.count
        var slotOf = [Int](repeating: -1, count: problem.candidateCount)
        let finiteSlots = problem.slotCapacities.allSatisfy { $0 != Int.max }
        let slotSum = finiteSlots ? problem.slotCapacities.reduce(0) { $0 &+ max(0, $1) } : Int.max
        let limit = min(problem.totalCapacity ?? Int.max, slotSum)
        if limit == Int.max {
            for candidate in 0..<problem.candidateCount { slotOf[candidate] = bestOption(of: candidate, in: problem) }
        } else if limit > 0 {
            var search = Search(problem: problem, candidates: prunedCandidates(problem, limit: limit), slotOf: slotOf)
            search.run(limit: limit)
            slotOf = search.slotOf
        }
        var load = [Int](repeating: 0, count: slots)
        var total = 0.0
        for (candidate, slot) in slotOf.enumerated() where slot >= 0 {
            load[slot] += 1
            total += problem.value(of: candidate, in: slot)!
        }
        return Plan(slotOf: slotOf, totalValue: total, load: load)
    }

    /// The candidate's option of largest value (ties: the lower slot), −1 without options.
    static func bestOption(of candidate: Int, in problem: SlotProblem) -> Int {
        var best = -1, bestValue = 0.0
        for index in problem.options(of: candidate) where problem.optionValues[index] > bestValue {
            best = problem.optionSlots[index]
            bestValue = problem.optionValues[index]
        }
        return best
    }

    /// The union over slots of the `limit` best candidates of each slot (value descending, ties by index), ascending.
    static func prunedCandidates(_ problem: SlotProblem, limit: Int) -> [Int] {
        var perSlot = [[(value: Double, candidate: Int32)]](repeating: [], count: problem.slotCapacities.count)
        for candidate in 0..<problem.candidateCount {
            for index in problem.options(of: candidate) where problem.slotCapacities[problem.optionSlots[index]] > 0 {
                perSlot[problem.optionSlots[index]].append((problem.optionValues[index], Int32(candidate)))
            }
        }
        var keep = [Bool](repeating: false, count: problem.candidateCount)
        for entries in perSlot {
            if entries.count <= limit {
                for entry in entries { keep[Int(entry.candidate)] = true }
                continue
            }
            var bounded = MaxHeap()   // keyed by −value: its top is the worst kept entry
            for entry in entries {
                if bounded.items.count < limit {
                    bounded.push(key: -entry.value, item: Int(entry.candidate))
                } else if let worst = bounded.top, entry.value > -worst.key {
                    bounded.pop()
                    bounded.push(key: -entry.value, item: Int(entry.candidate))
                }
            }
            for item in bounded.items { keep[Int(item)] = true }
        }
        return keep.indices.filter { keep[$0] }
    }
}
