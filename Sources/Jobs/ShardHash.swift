/// The stable shard of a customer: FNV-1a 64-bit over the UTF-8 bytes of the `customer_id` cell, modulo the shard count.
///
/// The cell is hashed as the loader identifies customers: the unescaped cell with surrounding spaces and tabs removed
/// (so " 7" and "7", one customer to `ExportLoader`, share a shard), nothing else changed: "007" and "7" are distinct
/// ids and hash apart. Offset basis 0xcbf29ce484222325, prime 0x100000001b3 (docs/SCALE-OUT.md); the value must never
/// change, or shards written by different versions would disagree.
public enum ShardHash {
    /// FNV-1a 64-bit of `bytes`.
    public static func fnv1a64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// FNV-1a 64-bit of the UTF-8 bytes of `id`.
    public static func fnv1a64(_ id: String) -> UInt64 {
        var text = id
        return text.withUTF8 { fnv1a64($0) }
    }

    /// The shard (0 ..< `shards`) of a customer id cell, after trimming surrounding spaces and tabs; nil when blank.
    public static func shard(ofCell bytes: UnsafeBufferPointer<UInt8>, shards: Int) -> Int? {
        var start = 0, end = bytes.count
        while start < end && (bytes[start] == 32 || bytes[start] == 9) { start += 1 }
        while end > start && (bytes[end - 1] == 32 || bytes[end - 1] == 9) { end -= 1 }
        guard start < end else { return nil }
        return Int(fnv1a64(UnsafeBufferPointer(rebasing: bytes[start..<end])) % UInt64(shards))
    }
}
