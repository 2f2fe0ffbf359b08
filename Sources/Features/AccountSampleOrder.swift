/// The order-independent order in which accounts enter a bounded sample (the call-window model's EM sample).
///
/// Rule: each account's key is the SplitMix64 finaliser of (seed XOR the 64-bit FNV-1a hash of its customer_id's
/// UTF-8 bytes), the same id hash as `SnapshotRowSampling`; accounts are ordered by key ascending, ties (two ids
/// with the same FNV-1a hash) by the ids' UTF-8 bytes. The first `maximumAccounts` accounts of that order with any
/// attempt form the sample, so it depends on the seed and the accounts only, never on the export's row order, and
/// the k smallest keys of each shard of the accounts, merged in this order, give the k smallest keys of the whole.
public enum AccountSampleOrder {
    /// The account's sort key from its customer_id hash (`SnapshotRowSampling.customerIDHash`).
    public static func key(seed: UInt64, customerHash: UInt64) -> UInt64 {
        SnapshotRowSampling.splitMix(seed ^ customerHash)
    }

    /// The account's sort key from its customer_id.
    public static func key(seed: UInt64, customerID: String) -> UInt64 {
        key(seed: seed, customerHash: SnapshotRowSampling.customerIDHash(customerID.utf8))
    }

    /// Whether the account (`key`, id bytes `id`) comes before (`otherKey`, `otherID`) in the sample order.
    public static func precedes<A: Sequence, B: Sequence>(key: UInt64, id: A, _ otherKey: UInt64, _ otherID: B) -> Bool
        where A.Element == UInt8, B.Element == UInt8 {
        if key != otherKey { return key < otherKey }
        return id.lexicographicallyPrecedes(otherID)
    }

    /// The positions 0 ..< keys.count in sample order, for accounts with keys `keys` whose ids' bytes `idBytes(i)`
    /// gives (read only to break ties of equal keys).
    public static func order(keys: [UInt64], idBytes: (Int) -> [UInt8]) -> [Int] {
        (0..<keys.count).sorted { a, b in
            if keys[a] != keys[b] { return keys[a] < keys[b] }
            return idBytes(a).lexicographicallyPrecedes(idBytes(b))
        }
    }
}
