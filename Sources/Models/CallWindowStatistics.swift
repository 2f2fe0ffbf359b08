import LinearAlgebra

/// The sufficient statistics of a call-window fit: the population's attempts and right-party contacts per window
/// (summed over every account) and the count rows of the sampled accounts that enter EM, in their sample order.
///
/// The population sums are whole counts held as doubles (exact below 2^53), so sums computed on shards of the
/// accounts and added in any order equal the one-machine sums bit for bit. `CallWindowFitter.fit(statistics:...)`
/// fits from these alone, so a driver that adds the shards' sums and merges their sample rows in the sample order
/// gets the one-machine model.
public struct CallWindowStatistics: Sendable, Equatable {
    /// Attempts and right-party contacts per window over every account (whole counts ≥ 0).
    public var populationAttempts: [Double]
    public var populationContacts: [Double]
    /// The sampled accounts' attempts and contacts (sample × windows), in sample order.
    public var sampleAttempts: Matrix
    public var sampleContacts: Matrix

    /// Statistics from their parts (e.g. summed and merged over shards); shapes are checked by the fit.
    public init(populationAttempts: [Double], populationContacts: [Double], sampleAttempts: Matrix, sampleContacts: Matrix) {
        self.populationAttempts = populationAttempts
        self.populationContacts = populationContacts
        self.sampleAttempts = sampleAttempts
        self.sampleContacts = sampleContacts
    }

    /// The statistics of every account's history: population sums over all rows, and as the sample the first
    /// `maximumAccounts` accounts with at least one attempt, taken in `sampleOrder` (row indices; nil = row order).
    ///
    /// `sampleOrder` lists each row at most once; rows it leaves out are counted in the population but never sampled.
    /// Callers that want an order-independent sample pass an order that depends on the accounts only (arscore's
    /// training orders accounts by a seeded hash of customer_id, `AccountSampleOrder`).
    public init(attempts: Matrix, contacts: Matrix, sampleOrder: [Int]? = nil, maximumAccounts: Int) {
        let w = attempts.columns
        var totalAttempts = [Double](repeating: 0, count: w), totalContacts = [Double](repeating: 0, count: w)
        var active = [Bool](repeating: false, count: attempts.rows)
        for row in 0..<attempts.rows {
            for window in 0..<w {
                let n = attempts.storage[row * w + window]
                totalAttempts[window] += n
                totalContacts[window] += contacts.storage[row * w + window]
                if n > 0 { active[row] = true }
            }
        }
        var sample: [Int] = []
        for row in sampleOrder ?? Array(0..<attempts.rows) where active[row] {
            if sample.count == maximumAccounts { break }
            sample.append(row)
        }
        self.init(populationAttempts: totalAttempts, populationContacts: totalContacts,
                  sampleAttempts: attempts.gatheringRows(sample), sampleContacts: contacts.gatheringRows(sample))
    }

    /// Number of windows.
    public var windows: Int { populationAttempts.count }

    /// Number of sampled accounts.
    public var sampledAccounts: Int { sampleAttempts.rows }
}
