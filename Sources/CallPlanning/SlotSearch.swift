extension SlotPlanner {
    /// The successive-shortest-path search over slot nodes (see `SlotPlanner`): its heaps, loads and the plan so far.
    struct Search {
        let problem: SlotProblem
        let slots: Int
        var slotOf: [Int]
        var load: [Int]
        /// Unplanned candidates by value, per slot.
        var entries: [MaxHeap]
        /// Candidates planned in slot s by value(t) − value(s), at index s × slots + t.
        var moves: [MaxHeap]

        init(problem: SlotProblem, candidates: [Int], slotOf: [Int]) {
            self.problem = problem
            slots = problem.slotCapacities.count
            self.slotOf = slotOf
            load = [Int](repeating: 0, count: slots)
            entries = [MaxHeap](repeating: MaxHeap(), count: slots)
            moves = [MaxHeap](repeating: MaxHeap(), count: slots * slots)
            for candidate in candidates {
                for index in problem.options(of: candidate) where problem.slotCapacities[problem.optionSlots[index]] > 0 {
                    entries[problem.optionSlots[index]].push(key: problem.optionValues[index], item: candidate)
                }
            }
        }

        /// Adds calls along the best augmenting path until the gain is ≤ 0 or `limit` calls are planned.
        mutating func run(limit: Int) {
            var planned = 0
            while planned < limit, augment() { planned += 1 }
        }

        /// The top of the entry heap of `slot` that is still unplanned (stale entries dropped).
        mutating func entryTop(_ slot: Int) -> (key: Double, item: Int)? {
            while let top = entries[slot].top {
                if slotOf[top.item] < 0 { return top }
                entries[slot].pop()
            }
            return nil
        }

        /// The top of the move heap from `from` to `to` whose candidate is still planned in `from`.
        mutating func moveTop(_ from: Int, _ to: Int) -> (key: Double, item: Int)? {
            let heap = from * slots + to
            while let top = moves[heap].top {
                if slotOf[top.item] == from { return top }
                moves[heap].pop()
            }
            return nil
        }

        /// Finds the best augmenting path and applies it; false when no path gains.
        mutating func augment() -> Bool {
            let unreached = -Double.infinity
            var gain = [Double](repeating: unreached, count: slots)
            var predecessor = [Int](repeating: -1, count: slots)
            var mover = [Int](repeating: -1, count: slots)
            for slot in 0..<slots {
                if let top = entryTop(slot) { gain[slot] = top.key; mover[slot] = top.item }
            }
            var edge = [(key: Double, item: Int)?](repeating: nil, count: slots * slots)
            for from in 0..<slots where load[from] > 0 {
                for to in 0..<slots where to != from && problem.slotCapacities[to] > 0 { edge[from * slots + to] = moveTop(from, to) }
            }
            for _ in 0..<slots {
                var changed = false
                for from in 0..<slots where gain[from] > unreached {
                    for to in 0..<slots {
                        guard let move = edge[from * slots + to] else { continue }
                        let through = gain[from] + move.key
                        if gain[to] == unreached || through > gain[to] + 1e-12 * max(1, abs(gain[to])) {
                            gain[to] = through; predecessor[to] = from; mover[to] = move.item; changed = true
                        }
                    }
                }
                if !changed { break }
            }
            var end = -1
            for slot in 0..<slots where load[slot] < problem.slotCapacities[slot] && gain[slot] > 0 {
                if end < 0 || gain[slot] > gain[end] { end = slot }
            }
            guard end >= 0 else { return false }
            return apply(end: end, predecessor: predecessor, mover: mover)
        }

        /// Moves every candidate on the path ending in `end` one slot along and plans the entering one.
        mutating func apply(end: Int, predecessor: [Int], mover: [Int]) -> Bool {
            var steps = [(candidate: Int, slot: Int)]()
            var visited = Set<Int>()
            var slot = end
            while true {
                guard visited.insert(slot).inserted else { return false }   // a cycle: only rounding can cause one
                steps.append((mover[slot], slot))
                if predecessor[slot] < 0 { break }
                slot = predecessor[slot]
            }
            load[end] += 1
            for step in steps {
                slotOf[step.candidate] = step.slot
                let here = problem.value(of: step.candidate, in: step.slot)!
                for index in problem.options(of: step.candidate) where problem.optionSlots[index] != step.slot {
                    let target = problem.optionSlots[index]
                    moves[step.slot * slots + target].push(key: problem.optionValues[index] - here, item: step.candidate)
                }
            }
            return true
        }
    }
}
