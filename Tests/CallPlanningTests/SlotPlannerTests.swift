import CallPlanning
import XCTest

/// The slot planner against exhaustive enumeration on small random problems, and its capacity guarantees.
final class SlotPlannerTests: XCTestCase {
    /// A small deterministic generator (SplitMix64) so the random cases are the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// The best total by trying every choice (no slot or one of its options) for every candidate.
    func bruteForce(_ problem: SlotProblem) -> Double {
        var best = 0.0
        var load = [Int](repeating: 0, count: problem.slotCapacities.count)
        func visit(_ candidate: Int, planned: Int, total: Double) {
            if candidate == problem.candidateCount { best = max(best, total); return }
            visit(candidate + 1, planned: planned, total: total)
            guard planned < (problem.totalCapacity ?? Int.max) else { return }
            for index in problem.options(of: candidate) {
                let slot = problem.optionSlots[index]
                guard load[slot] < problem.slotCapacities[slot] else { continue }
                load[slot] += 1
                visit(candidate + 1, planned: planned + 1, total: total + problem.optionValues[index])
                load[slot] -= 1
            }
        }
        visit(0, planned: 0, total: 0)
        return best
    }

    /// A random problem: values from a small set when `ties` (many equal values), capacities 0…3, totals nil or 0…6.
    func randomProblem(_ generator: inout Generator, ties: Bool) -> SlotProblem {
        let slots = 1 + generator.below(5), candidates = generator.below(8)
        let capacities = (0..<slots).map { _ in generator.below(4) }
        let total: Int? = generator.below(3) == 0 ? nil : generator.below(7)
        var problem = SlotProblem(slotCapacities: capacities, totalCapacity: total)
        for _ in 0..<candidates {
            let count = generator.below(slots + 1)
            let options = (0..<count).map { _ in
                (slot: generator.below(slots), value: ties ? Double(1 + generator.below(3)) : Double(generator.below(1000)) / 10)
            }
            problem.append(options: options)
        }
        return problem
    }

    func checkFeasible(_ plan: SlotPlanner.Plan, _ problem: SlotProblem, file: StaticString = #filePath, line: UInt = #line) {
        for (slot, load) in plan.load.enumerated() {
            XCTAssertLessThanOrEqual(load, problem.slotCapacities[slot], "slot \(slot) over capacity", file: file, line: line)
        }
        XCTAssertLessThanOrEqual(plan.load.reduce(0, +), problem.totalCapacity ?? Int.max, file: file, line: line)
        for (candidate, slot) in plan.slotOf.enumerated() where slot >= 0 {
            XCTAssertNotNil(problem.value(of: candidate, in: slot), "candidate \(candidate) planned outside its options",
                            file: file, line: line)
        }
    }

    func testMatchesBruteForceOnRandomProblems() {
        var generator = Generator(state: 13)
        for trial in 0..<3000 {
            let problem = randomProblem(&generator, ties: trial % 2 == 0)
            let plan = SlotPlanner.solve(problem)
            checkFeasible(plan, problem)
            XCTAssertEqual(plan.totalValue, bruteForce(problem), accuracy: 1e-9, "trial \(trial)")
        }
    }

    func testExchangeIsFound() {
        // Greedy by value would put candidate 0 in slot 0 (10) and leave candidate 1 (only slot 0, 9) out; the optimum
        // moves candidate 0 to slot 1 (8): 17.
        var problem = SlotProblem(slotCapacities: [1, 1], totalCapacity: nil)
        problem.append(options: [(0, 10), (1, 8)])
        problem.append(options: [(0, 9)])
        let plan = SlotPlanner.solve(problem)
        XCTAssertEqual(plan.slotOf, [1, 0])
        XCTAssertEqual(plan.totalValue, 17)
    }

    func testZeroCapacitySlotsAndBindingTotal() {
        var problem = SlotProblem(slotCapacities: [0, 5, 5], totalCapacity: 2)
        for value in [5.0, 4, 3, 2] { problem.append(options: [(0, 100), (1, value), (2, value / 2)]) }
        let plan = SlotPlanner.solve(problem)
        XCTAssertEqual(plan.load, [0, 2, 0])
        XCTAssertEqual(plan.slotOf, [1, 1, -1, -1])
    }

    func testTiesAreBrokenByCandidateOrder() {
        var problem = SlotProblem(slotCapacities: [1], totalCapacity: nil)
        for _ in 0..<3 { problem.append(options: [(0, 7)]) }
        XCTAssertEqual(SlotPlanner.solve(problem).slotOf, [0, -1, -1])
    }

    func testUnlimitedCapacityTakesEveryBestOption() {
        var problem = SlotProblem(slotCapacities: [Int.max, Int.max], totalCapacity: nil)
        problem.append(options: [(0, 1), (1, 2)])
        problem.append(options: [(0, 3), (1, 3)])
        problem.append(options: [])
        XCTAssertEqual(SlotPlanner.solve(problem).slotOf, [1, 0, -1])
    }

    func testLargerProblemsStayWithinCapacityAndMatchAnExactTransportBound() {
        // More slots than candidates and the reverse, checked for feasibility and against brute force at the edge of
        // what enumeration reaches.
        var generator = Generator(state: 99)
        for _ in 0..<40 {
            let slots = 6, candidates = 9
            var problem = SlotProblem(slotCapacities: (0..<slots).map { _ in generator.below(3) }, totalCapacity: 1 + generator.below(8))
            for _ in 0..<candidates {
                problem.append(options: (0..<3).map { _ in (slot: generator.below(slots), value: Double(generator.below(50))) })
            }
            let plan = SlotPlanner.solve(problem)
            checkFeasible(plan, problem)
            XCTAssertEqual(plan.totalValue, bruteForce(problem), accuracy: 1e-9)
        }
    }
}
