/// A compact string-id table: ids stored as bytes, looked up by an open-addressing hash table.
///
/// Export ids are strings (leading zeros matter), and a large export has tens of millions of
/// them. Ids are never turned into `String`s on the load path. Each row keeps a 16-byte key:
/// ids of up to 15 bytes are stored inline (bytes + length); longer ids (UUIDs, say) are stored
/// in a byte arena and the key holds their offset and length. Each slot of the table packs a
/// 32-bit hash tag with the row, so inserting a new id costs one cache miss and finding one two.
/// The table stays at most 3/4 full and uses multiply-shift ("fast range") slot selection, so its
/// size need not be a power of two. Rows are `Int32` (up to 2³¹ − 2 ids).
public struct IDIndex: Sendable {
    /// 0 = empty; otherwise `(tag << 32) | (row + 1)`.
    private var slots: [UInt64]
    /// Key per row (see `Key`).
    private var keys: [Key] = []
    /// Bytes of the ids longer than 15 bytes, concatenated.
    private var arena: [UInt8] = []
    /// Hashes of rows appended with `appendDeferred` and not yet indexed.
    private var pendingHashes: [UInt64] = []
    /// First row of the pending batch.
    private var pendingStart = 0

    /// A row's id: inline (`low`, `high` hold up to 15 bytes, the top byte of `high` the length),
    /// or long (`low` = arena offset, `high` = 0xFF in the top byte and the length below).
    struct Key: Equatable, Sendable {
        var low: UInt64
        var high: UInt64

        static let longMarker: UInt64 = 0xFF << 56

        @inline(__always)
        init(inline bytes: UnsafeBufferPointer<UInt8>) {
            var buffer: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &buffer) { raw in
                for i in 0..<bytes.count { raw[i] = bytes[i] }
                raw[15] = UInt8(bytes.count)
            }
            low = buffer.0
            high = buffer.1
        }

        init(arenaOffset: Int, length: Int) {
            low = UInt64(arenaOffset)
            high = Self.longMarker | UInt64(length)
        }

        var isLong: Bool { high & Self.longMarker == Self.longMarker }
        var longLength: Int { Int(high & 0xFFFF_FFFF) }
    }

    /// An empty index sized for about `capacity` ids.
    public init(capacity: Int = 1024) {
        slots = [UInt64](repeating: 0, count: Self.tableSize(for: capacity))
        keys.reserveCapacity(capacity)
    }

    /// Slots for `count` ids at a load of at most 3/4.
    static func tableSize(for count: Int) -> Int { max(16, count + count / 3 + 1) }

    /// Number of ids.
    public var count: Int { keys.count }

    /// The id of row `index` as a `String`.
    public func id(_ index: Int) -> String {
        withIDBytes(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of row `index`'s id.
    public func withIDBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var key = keys[index]
        if key.isLong {
            let start = Int(key.low)
            return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<(start + key.longLength)])) }
        }
        return try withUnsafeBytes(of: &key) { raw in
            try body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: Int(raw[15])))
        }
    }

    /// Row of an id given as bytes, or nil.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        precondition(pendingHashes.isEmpty, "index pending rows before looking up")
        if let (_, row) = probe(bytes, hash: Self.hash(bytes)), row >= 0 { return Int32(row) }
        return nil
    }

    /// Row of an id given as text, or nil.
    public func find(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { find($0) }
    }

    /// Inserts an id; returns `(row, inserted)` where `inserted` is false if the id was already present
    /// (then `row` is the existing row).
    @discardableResult
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (row: Int32, inserted: Bool) {
        precondition(pendingHashes.isEmpty, "index pending rows before inserting")
        if Self.tableSize(for: count + 1) > slots.count { rehash(size: Self.tableSize(for: 2 * (count + 1)), rows: count) }
        let hash = Self.hash(bytes)
        let (slot, existing) = probe(bytes, hash: hash)!
        if existing >= 0 { return (Int32(existing), false) }
        let row = appendKey(bytes)
        slots[slot] = ((hash >> 32) << 32) | UInt64(row + 1)
        return (Int32(row), true)
    }

    /// Inserts an id given as text.
    @discardableResult
    public mutating func insert(_ text: String) -> (row: Int32, inserted: Bool) {
        var text = text
        return text.withUTF8 { insert($0) }
    }

    /// Appends an id without indexing it yet (no random memory access on the parse path).
    ///
    /// Call `indexPending()` before any lookup; it indexes the batch in one tight loop, where the
    /// processor overlaps the cache misses of consecutive ids, and reports duplicates.
    /// - Returns: the new row.
    @discardableResult
    public mutating func appendDeferred(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if pendingHashes.isEmpty {
            pendingStart = keys.count
            pendingHashes.reserveCapacity(keys.capacity - keys.count)
        }
        pendingHashes.append(Self.hash(bytes))
        return Int32(appendKey(bytes))
    }

    /// Appends all rows of `other` — an index whose rows were all added with `appendDeferred` and
    /// not yet indexed — as pending rows of this one (to merge the parts of a file read in parallel).
    public mutating func appendDeferred(contentsOf other: IDIndex) {
        precondition(other.pendingHashes.count == other.count, "merge only unindexed parts")
        if pendingHashes.isEmpty { pendingStart = keys.count }
        let arenaShift = UInt64(arena.count)
        keys.reserveCapacity(keys.count + other.count)
        for key in other.keys {
            keys.append(key.isLong ? Key(arenaOffset: Int(key.low + arenaShift), length: key.longLength) : key)
        }
        arena.append(contentsOf: other.arena)
        pendingHashes.append(contentsOf: other.pendingHashes)
    }

    /// Indexes the rows appended by `appendDeferred`.
    /// - Returns: rows whose id repeats an earlier row's, each with that earlier row, in row order.
    ///   Their slots are not indexed (lookups find the earlier row); callers normally drop them with `removing`.
    public mutating func indexPending() -> [(row: Int32, firstRow: Int32)] {
        guard !pendingHashes.isEmpty else { return [] }
        if Self.tableSize(for: keys.count) > slots.count {
            rehash(size: Self.tableSize(for: keys.count), rows: pendingStart)
        }
        var duplicates: [(row: Int32, firstRow: Int32)] = []
        let start = pendingStart
        var table = slots
        slots = []
        table.withUnsafeMutableBufferPointer { slots in
            let size = UInt64(slots.count)
            keys.withUnsafeBufferPointer { keys in
                pendingHashes.withUnsafeBufferPointer { hashes in
                    for k in 0..<hashes.count {
                        let row = start + k
                        let hash = hashes[k], tag = hash >> 32
                        var slot = Int(hash.multipliedFullWidth(by: size).high)
                        while true {
                            let entry = slots[slot]
                            if entry == 0 {
                                slots[slot] = (tag << 32) | UInt64(row + 1)
                                break
                            }
                            if entry >> 32 == tag {
                                let other = Int(entry & 0xFFFF_FFFF) - 1
                                if keysEqual(keys[other], keys[row]) {
                                    duplicates.append((Int32(row), Int32(other)))
                                    break
                                }
                            }
                            slot = slot + 1 == slots.count ? 0 : slot + 1
                        }
                    }
                }
            }
        }
        slots = table
        pendingHashes = []
        return duplicates
    }

    /// A copy without the given rows (sorted ascending); remaining rows keep their order.
    public func removing(rows removed: [Int32]) -> IDIndex {
        var result = IDIndex(capacity: count - removed.count)
        var next = 0
        for row in 0..<count {
            if next < removed.count && Int(removed[next]) == row {
                next += 1
                continue
            }
            withIDBytes(row) { _ = result.insert($0) }
        }
        return result
    }

    // MARK: - Internals

    /// Appends a row's key (and long bytes to the arena); returns the row.
    private mutating func appendKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if bytes.count <= 15 {
            keys.append(Key(inline: bytes))
        } else {
            keys.append(Key(arenaOffset: arena.count, length: bytes.count))
            arena.append(contentsOf: bytes)
        }
        return keys.count - 1
    }

    /// The slot holding `bytes` (row ≥ 0) or the empty slot where it would go (row = −1).
    @inline(__always)
    private func probe(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (slot: Int, row: Int)? {
        let probeKey: Key? = bytes.count <= 15 ? Key(inline: bytes) : nil
        let tag = hash >> 32
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                var slot = Int(hash.multipliedFullWidth(by: UInt64(slots.count)).high)
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return (slot, -1) }
                    if entry >> 32 == tag {
                        let row = Int(entry & 0xFFFF_FFFF) - 1
                        let key = keys[row]
                        if let probeKey {
                            if key == probeKey { return (slot, row) }
                        } else if key.isLong && key.longLength == bytes.count && arenaEqual(Int(key.low), bytes) {
                            return (slot, row)
                        }
                    }
                    slot = slot + 1 == slots.count ? 0 : slot + 1
                }
            }
        }
    }

    @inline(__always)
    private func keysEqual(_ a: Key, _ b: Key) -> Bool {
        if !a.isLong || !b.isLong { return a == b }
        guard a.longLength == b.longLength else { return false }
        return arena.withUnsafeBufferPointer { arena in
            let length = a.longLength
            return arenaEqual(Int(a.low), UnsafeBufferPointer(rebasing: arena[Int(b.low)..<(Int(b.low) + length)]))
        }
    }

    private func arenaEqual(_ start: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            for i in 0..<bytes.count where arena[start + i] != bytes[i] { return false }
            return true
        }
    }

    /// Rebuilds the slot table at `size` slots with rows `0 ..< rows`.
    private mutating func rehash(size: Int, rows: Int) {
        var newSlots = [UInt64](repeating: 0, count: size)
        for row in 0..<rows {
            let hash = withIDBytes(row) { Self.hash($0) }
            var slot = Int(hash.multipliedFullWidth(by: UInt64(size)).high)
            while newSlots[slot] != 0 { slot = slot + 1 == size ? 0 : slot + 1 }
            newSlots[slot] = ((hash >> 32) << 32) | UInt64(row + 1)
        }
        slots = newSlots
    }

    /// 64-bit FNV-1a followed by a murmur finaliser (ids share long prefixes like `INV000…`).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
