/// The holdout of the day: a share of the eligible call candidates drawn at random before ranking and deliberately
/// not called (holdout.csv, exclusion rule `holdout`), so what calls cause can be measured against accounts like them.
///
/// ⌊`holdout_share` × candidates⌋ accounts are drawn uniformly without replacement (`QueueDraw`, stream 1); every
/// eligible candidate, held out or not, had the same probability held / candidates of being held out.
struct QueueHoldout: Sendable {
    /// The held-out rows (customer-id order) and the candidates left to rank (in the order they came).
    var heldOut: [Int]
    var remaining: [Int]
    /// Every eligible candidate's probability of being held out: heldOut / (heldOut + remaining), 0 with none.
    var probability: Double
    /// The eligible call candidates the draw was made among.
    var pool: Int

    /// Draws the holdout among `candidates` with the day's holdout stream.
    init(candidates: [Int], share: Double, seed: UInt64, asOf: Int32, id: (Int) -> String) {
        var generator = SplitMix64(seed: seed, day: Int64(asOf), stream: QueueDraw.holdoutStream)
        let count = QueueDraw.count(share: share, of: candidates.count)
        heldOut = QueueDraw.sample(candidates, count: count, generator: &generator, id: id)
        let held = Set(heldOut)
        remaining = candidates.filter { !held.contains($0) }
        pool = candidates.count
        probability = pool == 0 ? 0 : Double(heldOut.count) / Double(pool)
    }
}
