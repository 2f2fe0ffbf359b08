import LinearAlgebra

/// Issue 13's smoothed-rate baseline for call windows: per account, the right-party rate by weekday and by hour
/// block, each shrunk towards the population's rate of that weekday or block with a pseudo-count of 5 attempts, multiplied.
///
/// As a probability, `P_w = d_(weekday(w)) · b_(block(w)) / p̄` (p̄ the population's overall rate; the product of two
/// rates alone is on the scale of p̄²), kept inside [1e-6, 1 − 1e-6]; dividing by p̄ does not change any account's
/// ranking of windows, so the chosen window is the issue's. Population rates come from the counts it is given.
/// Benchmarks/window_accuracy.py keeps an independent copy of the same rule as a check.
public struct SmoothedRateWindowBaseline: Sendable, Equatable {
    /// Pseudo-attempts at the population rate (5 in issue 13).
    public var pseudoCount: Double
    /// Weekday and hour-block groups of the windows.
    public var layout: CallWindowLayout

    public init(layout: CallWindowLayout, pseudoCount: Double = 5) {
        self.layout = layout
        self.pseudoCount = pseudoCount
    }

    /// P(contact) of each account in each window (row-major accounts × windows) from its own counts, with the
    /// population rates of `attempts` / `contacts` as a whole.
    public func contactProbabilities(attempts: Matrix, contacts: Matrix) throws -> Matrix {
        let w = layout.weekdayOfWindow.count
        guard attempts.columns == w, contacts.columns == w, attempts.rows == contacts.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                "baseline has \(w) windows; attempts are \(attempts.rows)×\(attempts.columns), contacts \(contacts.rows)×\(contacts.columns)")
        }
        let day = GroupRates(groups: layout.weekdayOfWindow, count: layout.weekdays, attempts: attempts, contacts: contacts)
        let block = GroupRates(groups: layout.hourBlockOfWindow, count: layout.hourBlocks, attempts: attempts, contacts: contacts)
        let overall = max(day.overall, 1e-6)
        var result = Matrix(rows: attempts.rows, columns: w)
        for row in 0..<attempts.rows {
            let dayRates = day.shrunk(row: row, pseudoCount: pseudoCount)
            let blockRates = block.shrunk(row: row, pseudoCount: pseudoCount)
            for window in 0..<w {
                let p = dayRates[layout.weekdayOfWindow[window]] * blockRates[layout.hourBlockOfWindow[window]] / overall
                result.storage[row * w + window] = min(max(p, 1e-6), 1 - 1e-6)
            }
        }
        return result
    }

    /// Per-account and population counts by group of windows.
    struct GroupRates {
        let groups: [Int], count: Int
        let attempts: Matrix, contacts: Matrix
        /// Population rate per group, and over all windows.
        let population: [Double]
        let overall: Double

        init(groups: [Int], count: Int, attempts: Matrix, contacts: Matrix) {
            self.groups = groups
            self.count = count
            self.attempts = attempts
            self.contacts = contacts
            var tries = [Double](repeating: 0, count: count), hits = tries
            let w = groups.count
            for cell in attempts.storage.indices {
                tries[groups[cell % w]] += attempts.storage[cell]
                hits[groups[cell % w]] += contacts.storage[cell]
            }
            population = zip(hits, tries).map { $1 > 0 ? $0 / $1 : 0 }
            let allTries = tries.reduce(0, +)
            overall = allTries > 0 ? hits.reduce(0, +) / allTries : 0
        }

        /// The account's rate per group, shrunk to the population's: (r + k·q) / (n + k).
        func shrunk(row: Int, pseudoCount k: Double) -> [Double] {
            var tries = [Double](repeating: 0, count: count), hits = tries
            let w = groups.count
            for window in 0..<w {
                tries[groups[window]] += attempts.storage[row * w + window]
                hits[groups[window]] += contacts.storage[row * w + window]
            }
            return (0..<count).map { (hits[$0] + k * population[$0]) / (tries[$0] + k) }
        }
    }
}
