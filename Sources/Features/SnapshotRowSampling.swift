/// The seeded rule that keeps a share of the (snapshot date, customer) training rows so training fits a row budget.
///
/// Rule: with `totalRows` candidate rows and a budget of `rowBudget` rows, every row is kept with probability
/// π = min(1, rowBudget / totalRows). Whether a row is kept depends only on (seed, snapshot date, customer_id):
/// the 64-bit FNV-1a hash of the customer_id's UTF-8 bytes is mixed with the seed and the snapshot date (days since
/// 1970-01-01) by the SplitMix64 finaliser, and the row is kept when the top 53 bits, read as a fraction in [0, 1),
/// are below π. The decision is therefore the same whatever the row order, the thread count or the other rows.
/// Kept rows carry the weight 1/π in the fits, so weighted sums estimate the full-data sums without bias.
/// When the budget covers every row (π = 1) every row is kept with weight 1 and nothing is hashed: small exports
/// train exactly as without the rule.
public struct SnapshotRowSampling: Sendable, Equatable {
    /// The seed mixed into every row's hash.
    public let seed: UInt64
    /// π: the probability that a row is kept, in (0, 1].
    public let keepProbability: Double

    /// The rule for `totalRows` candidate rows and a budget of `rowBudget` rows (`rowBudget` > 0).
    public init(seed: UInt64, rowBudget: Int, totalRows: Int) {
        precondition(rowBudget > 0, "the training row budget must be positive")
        self.seed = seed
        self.keepProbability = totalRows <= rowBudget ? 1 : Double(rowBudget) / Double(totalRows)
    }

    /// True when every row is kept (π = 1).
    public var keepsEveryRow: Bool { keepProbability >= 1 }

    /// The weight 1/π a kept row carries in the fits.
    public var rowWeight: Double { 1 / keepProbability }

    /// Whether the row of `customerID` at `snapshotDate` (days since 1970-01-01) is kept.
    public func keeps(snapshotDate: Int32, customerID: String) -> Bool {
        if keepsEveryRow { return true }
        return Self.unitFraction(seed: seed, snapshotDate: snapshotDate, customerID: customerID) < keepProbability
    }

    /// Whether the row at `snapshotDate` of the customer whose `customerIDHash(_:)` is `customerHash` is kept: the
    /// same decision as `keeps(snapshotDate:customerID:)`, with the id hashed once per customer instead of per row.
    public func keeps(snapshotDate: Int32, customerHash: UInt64) -> Bool {
        if keepsEveryRow { return true }
        return Self.unitFraction(seed: seed, snapshotDate: snapshotDate, idHash: customerHash) < keepProbability
    }

    /// The 64-bit FNV-1a hash of a customer_id's UTF-8 bytes (the rule's per-customer part).
    public static func customerIDHash<Bytes: Sequence>(_ utf8: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var idHash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            idHash ^= UInt64(byte)
            idHash = idHash &* 0x0000_0100_0000_01b3
        }
        return idHash
    }

    /// The row's hash as a fraction in [0, 1): the top 53 bits of the mixed hash divided by 2^53.
    static func unitFraction(seed: UInt64, snapshotDate: Int32, customerID: String) -> Double {
        unitFraction(seed: seed, snapshotDate: snapshotDate, idHash: customerIDHash(customerID.utf8))
    }

    /// The fraction of a row whose customer_id hashes to `idHash`.
    static func unitFraction(seed: UInt64, snapshotDate: Int32, idHash: UInt64) -> Double {
        let date = UInt64(UInt32(bitPattern: snapshotDate))
        let mixed = splitMix(splitMix(seed ^ idHash) ^ date)
        return Double(mixed >> 11) * 0x1p-53
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mix whose output bits each depend on every input bit.
    static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
