/// The seeded draws of the nightly queue: how many accounts a share takes and which ones, uniformly at random without
/// replacement, deterministically per as-of date and `policy_seed` (docs/POLICY.md, "Exploration and holdout").
enum QueueDraw {
    /// The stream of the holdout draw (made first, among every eligible call candidate).
    static let holdoutStream: UInt64 = 1
    /// The stream of the exploration draw (among the candidates outside the priority part).
    static let explorationStream: UInt64 = 2

    /// ⌊share × total⌋, with a tolerance of 1e-9 so that a share written in decimals takes what it says
    /// (0.29 × 100 is 28.999… in binary and gives 29).
    static func count(share: Double, of total: Int) -> Int {
        guard total > 0, share > 0 else { return 0 }
        return min(total, Int((share * Double(total) + 1e-9).rounded(.down)))
    }

    /// `count` of `pool` drawn uniformly without replacement: the pool is put in customer-id byte order (so the draw
    /// depends on which accounts are in it, not on the order they come in), then a partial Fisher–Yates shuffle swaps
    /// position i with i + `next(below: size − i)` for i = 0 ..< count and keeps the first `count`. Every account of
    /// the pool is drawn with probability count / pool size. The result is in customer-id order.
    static func sample(_ pool: [Int], count: Int, generator: inout SplitMix64, id: (Int) -> String) -> [Int] {
        var order = pool.map { (id: id($0), row: $0) }
            .sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            .map(\.row)
        let take = min(count, order.count)
        for i in 0..<take {
            order.swapAt(i, i + generator.next(below: order.count - i))
        }
        let drawn = Set(order.prefix(take))
        return pool.filter { drawn.contains($0) }.sortedByID(id)
    }
}

extension Array where Element == Int {
    /// The rows in customer-id byte order.
    func sortedByID(_ id: (Int) -> String) -> [Int] {
        map { (id: id($0), row: $0) }.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }.map(\.row)
    }
}
