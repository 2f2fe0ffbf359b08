/// Which ranked call candidates make the day's calls.csv: the top of the ranking (`priority`) and an exploration share
/// drawn at random from the rest (`explore`), each with its selection probability (docs/POLICY.md, "Exploration and
/// holdout").
///
/// With K the capacity (the number of candidates when no capacity is set) and N the ranked candidates, the explore
/// count is E = ⌊`exploration_share` × K⌋; the first P = min(K − E, N) candidates by priority are picked by rank
/// (probability 1), then min(E, N − P) of the R = N − P others are drawn uniformly without replacement (`QueueDraw`,
/// stream 2), each of those R with probability min(E, R) / R. Picks by rank come first, explore picks after them in
/// rank order: as every explore pick ranks below every pick by rank, the file stays sorted by priority.
struct QueueSelection: Sendable {
    /// Why a row is on calls.csv (the `selection` column).
    enum Kind: String, Sendable {
        case priority, explore
    }

    /// calls.csv's snapshot rows, in file order, and the kind of each.
    var rows: [Int]
    var kinds: [Kind]
    /// Picks by rank and explore picks.
    var priorityCount: Int
    var exploreCount: Int
    /// The candidates outside the priority part (R), each selected with probability `explorationProbability`
    /// (exploreCount / R; 0 when R is 0), whether drawn or not.
    var explorationPool: Int
    var explorationProbability: Double

    /// Picks the day's calls from `ranked` (the candidates by priority, after the holdout).
    init(ranked: [Int], capacity: Int?, share: Double, seed: UInt64, asOf: Int32, id: (Int) -> String) {
        let budget = capacity ?? ranked.count
        let explore = QueueDraw.count(share: share, of: budget)
        priorityCount = min(budget - explore, ranked.count)
        let rest = Array(ranked[priorityCount...])
        var generator = SplitMix64(seed: seed, day: Int64(asOf), stream: QueueDraw.explorationStream)
        let drawn = Set(QueueDraw.sample(rest, count: explore, generator: &generator, id: id))
        let picks = rest.filter { drawn.contains($0) }
        rows = Array(ranked.prefix(priorityCount)) + picks
        kinds = [Kind](repeating: .priority, count: priorityCount) + [Kind](repeating: .explore, count: picks.count)
        exploreCount = picks.count
        explorationPool = rest.count
        explorationProbability = rest.isEmpty ? 0 : Double(picks.count) / Double(rest.count)
    }

    /// The selection of today's plan (`TodayPlan`): its calls in file order, priority picks with probability 1,
    /// explore picks with the draw's probability.
    init(plan: TodayPlan) {
        rows = plan.calls.map(\.row)
        kinds = plan.calls.map { $0.explore ? .explore : .priority }
        priorityCount = plan.priorityCount
        exploreCount = plan.exploreCount
        explorationPool = plan.explorationPool
        explorationProbability = plan.explorationProbability
    }

    /// The selection probability printed for the row at `index` of calls.csv.
    func probability(at index: Int) -> Double {
        kinds[index] == .priority ? 1 : explorationProbability
    }
}
