import CallGrid
import CallPlanning

/// The global step of the nightly queue: which call candidates are called today and in which slot (docs/QUEUES.md,
/// "Today's plan"). Pure: it reads only its inputs, so a merge of shards re-runs it over the union of their candidates.
///
/// Steps: (1) each candidate's options are the grid's slots whose local window in its zone has P(contact) > 0, valued
/// priority × P(window) / P(best window in the week); (2) a candidate waits when it has no option, or when a window the
/// team serves on a later weekday, d days ahead, has P(contact) × `wait_discount_per_day`^d above today's best option's
/// (`WaitRule.swift`); (3) the others, in rank order (priority descending, ties by customer id), go to `SlotPlanner`
/// with total capacity K − E (K the capacity, E = ⌊`exploration_share` × K⌋) and the grid's slot capacity; then, under
/// a capacity, the waiting candidates with options fill the room left (K − picks − the explore picks to come), and the
/// waiting candidates left are `better_another_day`: these are the `priority` picks, each selected with probability 1;
/// (4) E explore picks are drawn uniformly (`QueueDraw`, stream 2) among the plannable candidates left, and each takes,
/// in customer-id order, its best slot with room left; a drawn account without room is not called (counted under
/// `capacity`). calls.csv lists every pick by planned value descending, ties by customer id.
public struct TodayPlan: Sendable {
    /// One call candidate: its snapshot row, customer id, priority (the policy's mode, best window in the week), zone
    /// (index into the grid's zones), today's local weekday and P(contact) per window (25 entries).
    public struct Candidate: Sendable {
        public var row: Int
        public var id: String
        public var priority: Double
        public var zone: Int
        public var windowContact: [Double]

        public init(row: Int, id: String, priority: Double, zone: Int, windowContact: [Double]) {
            self.row = row
            self.id = id
            self.priority = priority
            self.zone = zone
            self.windowContact = windowContact
        }
    }

    /// One planned call: the candidate's row, slot (index into the grid), local window, planned value and P(contact).
    public struct Call: Sendable, Equatable {
        public var row: Int
        public var slot: Int
        public var window: Int
        public var value: Double
        public var pContact: Double
        public var explore: Bool
    }

    /// The calls in file order (value descending, ties by customer id).
    public var calls: [Call]
    /// Candidates deferred to a better day, rows.
    public var betterAnotherDay: [Int]
    /// Candidates planned today but not called (the `capacity` count).
    public var cutByCapacity: Int
    /// Priority picks, explore picks, the explore pool size and an explore pick's draw probability.
    public var priorityCount: Int
    public var exploreCount: Int
    public var explorationPool: Int
    public var explorationProbability: Double
    /// Calls per slot.
    public var load: [Int]

    /// Plans `candidates` (any order) on `grid` under `policy`; `asOf` is the as-of day (days since 1970-01-01).
    public init(candidates: [Candidate], grid: SlotGrid, policy: QueuePolicy, asOf: Int32) {
        let served = Self.servedBlocks(grid)
        var plannable = [(candidate: Candidate, options: [(slot: Int, value: Double, window: Int)])]()
        var waiting = plannable
        var deferred = [Int]()
        for candidate in candidates {
            let options = Self.options(of: candidate, grid: grid)
            if options.isEmpty {
                deferred.append(candidate.row)
            } else if Self.waits(candidate, options: options, served: served[candidate.zone], discount: policy.waitDiscountPerDay) {
                waiting.append((candidate, options))
            } else {
                plannable.append((candidate, options))
            }
        }
        plannable.sort(by: Self.byRank)
        waiting.sort(by: Self.byRank)
        let budget = policy.capacity ?? plannable.count
        let explore = QueueDraw.count(share: policy.explorationShare, of: budget)
        var problem = SlotProblem(slotCapacities: [Int](repeating: grid.slotCapacity, count: grid.slotStarts.count),
                                  totalCapacity: max(0, budget - explore))
        for entry in plannable { problem.append(options: entry.options.map { ($0.slot, $0.value) }) }
        let solved = SlotPlanner.solve(problem)
        var load = solved.load
        var calls = [Call]()
        var rest = [Int]()
        for (index, entry) in plannable.enumerated() {
            let slot = solved.slotOf[index]
            guard slot >= 0, let option = entry.options.first(where: { $0.slot == slot }) else { rest.append(index); continue }
            calls.append(Self.call(entry.candidate, option, explore: false))
        }
        let picked = calls.count
        // Waiting accounts fill the room the picks leave under a daily capacity, keeping the explore picks' share.
        let room = policy.capacity.map { $0 - picked - min(explore, rest.count) } ?? 0
        let filled = Self.fillIdleRoom(waiting, load: load, slotCapacity: grid.slotCapacity, room: room)
        for (index, slot) in filled.enumerated() {
            let entry = waiting[index]
            guard slot >= 0, let option = entry.options.first(where: { $0.slot == slot }) else {
                deferred.append(entry.candidate.row)
                continue
            }
            load[slot] += 1
            calls.append(Self.call(entry.candidate, option, explore: false))
        }
        priorityCount = calls.count
        var generator = SplitMix64(seed: UInt64(policy.policySeed), day: Int64(asOf), stream: QueueDraw.explorationStream)
        let drawn = QueueDraw.sample(rest, count: explore, generator: &generator, id: { plannable[$0].candidate.id })
        for index in drawn {
            let entry = plannable[index]
            let open = entry.options.filter { load[$0.slot] < grid.slotCapacity }
            guard let best = open.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.slot > $1.slot }) else { continue }
            load[best.slot] += 1
            calls.append(Self.call(entry.candidate, best, explore: true))
        }
        exploreCount = calls.count - priorityCount
        explorationPool = rest.count
        explorationProbability = rest.isEmpty ? 0 : Double(drawn.count) / Double(rest.count)
        let ids = Dictionary((plannable + waiting).map { ($0.candidate.row, $0.candidate.id) }, uniquingKeysWith: { a, _ in a })
        self.calls = calls.sorted { a, b in
            a.value != b.value ? a.value > b.value : ids[a.row]!.utf8.lexicographicallyPrecedes(ids[b.row]!.utf8)
        }
        betterAnotherDay = deferred
        cutByCapacity = plannable.count - picked - exploreCount
        self.load = load
    }

    /// The candidate's options today: each slot whose local window has P(contact) > 0.
    static func options(of candidate: Candidate, grid: SlotGrid) -> [(slot: Int, value: Double, window: Int)] {
        let best = candidate.windowContact.max() ?? 0
        guard best > 0, candidate.priority > 0 else { return [] }
        var options = [(slot: Int, value: Double, window: Int)]()
        for (slot, window) in grid.windowOfSlot[candidate.zone].enumerated() where window >= 0 && candidate.windowContact[window] > 0 {
            options.append((slot, candidate.priority * candidate.windowContact[window] / best, window))
        }
        return options
    }

    /// Rank order: priority descending, ties by customer id (byte order).
    static func byRank(_ a: (candidate: Candidate, options: [(slot: Int, value: Double, window: Int)]),
                       _ b: (candidate: Candidate, options: [(slot: Int, value: Double, window: Int)])) -> Bool {
        a.candidate.priority != b.candidate.priority ? a.candidate.priority > b.candidate.priority
            : a.candidate.id.utf8.lexicographicallyPrecedes(b.candidate.id.utf8)
    }

    static func call(_ candidate: Candidate, _ option: (slot: Int, value: Double, window: Int), explore: Bool) -> Call {
        Call(row: candidate.row, slot: option.slot, window: option.window, value: option.value,
             pContact: candidate.windowContact[option.window], explore: explore)
    }

    /// `base`^`exponent` for a small whole exponent.
    static func pow(_ base: Double, _ exponent: Int) -> Double { (0..<exponent).reduce(1) { value, _ in value * base } }
}
