/// How the training snapshot rows were sampled to fit the row budget (bundle.json `training.sampling`).
///
/// Written only when rows were left out (π < 1); a bundle without it was fitted on every candidate row. Each
/// candidate row (customer with an open balance at a training snapshot date) was kept with probability π by a hash
/// of (seed, snapshot date, customer_id) (`Features.SnapshotRowSampling`) and weighted 1/π in every fit. The holdout
/// is never sampled.
public struct TrainingRowSampling: Codable, Equatable, Sendable {
    /// The row budget (`--max-training-rows`).
    public var rowBudget: Int
    /// π = budget / candidate rows, in (0, 1).
    public var keepProbability: Double
    /// Candidate rows at the training dates, and the rows kept.
    public var rowsSeen: Int
    public var rowsKept: Int
    /// Weight 1/π of each kept row in the fits.
    public var rowWeight: Double
    /// The sampling seed (`--sampling-seed`).
    public var seed: UInt64

    public init(rowBudget: Int, keepProbability: Double, rowsSeen: Int, rowsKept: Int, rowWeight: Double, seed: UInt64) {
        self.rowBudget = rowBudget
        self.keepProbability = keepProbability
        self.rowsSeen = rowsSeen
        self.rowsKept = rowsKept
        self.rowWeight = rowWeight
        self.seed = seed
    }
}
