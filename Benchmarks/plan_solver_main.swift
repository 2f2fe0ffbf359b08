import Foundation
// 1M candidates × 10 options over 10 slots, capacity 5,000 (500 per slot): the solver's time, pruning included.
var state: UInt64 = 7
func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
var problem = SlotProblem(slotCapacities: [Int](repeating: 500, count: 10), totalCapacity: 5000)
for _ in 0..<1_000_000 {
    let base = next() * 1000
    problem.append(options: (0..<10).map { (slot: $0, value: base * (0.2 + next())) })
}
let start = Date()
let plan = SlotPlanner.solve(problem)
print("solve 1M×10, 10 slots, capacity 5000: \(Date().timeIntervalSince(start)) s, planned \(plan.load.reduce(0, +)), value \(plan.totalValue)")
