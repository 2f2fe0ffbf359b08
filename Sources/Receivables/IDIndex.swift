/// A compact string-id table: ids stored as bytes, looked up by an open-addressing hash table.
///
/// Export ids are strings (leading zeros matter), and a large export has tens of millions of
/// them. Ids are never turned into `String`s on the load path: each slot packs a 32-bit hash tag
/// with the row, and each row keeps its id inline in 16 bytes (up to 15 bytes plus the length;
/// longer ids also live in a byte arena). Inserting a new id costs one cache miss; finding one,
/// two. Rows are `Int32` (up to 2³¹ − 2 ids).
public struct IDIndex: Sendable {
    /// 0 = empty; otherwise `(tag << 32) | (row + 1)`.
    private var slots: [UInt64]
    private var mask: Int
    /// Inline key per row (see `InlineKey`).
    private var keys: [InlineKey] = []
    /// All id bytes, concatenated (for `id(_:)` and for comparing ids longer than 15 bytes).
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Hashes of rows appended with `appendDeferred` and not yet indexed.
    private var pendingHashes: [UInt64] = []
    /// First row of the pending batch.
    private var pendingStart = 0

    /// First 15 bytes of an id and its length (0xFF for longer ids), as two words.
    struct InlineKey: Equatable, Sendable {
        var low: UInt64
        var high: UInt64

        @inline(__always)
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var buffer: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &buffer) { raw in
                let count = min(bytes.count, 15)
                for i in 0..<count { raw[i] = bytes[i] }
                raw[15] = bytes.count <= 15 ? UInt8(bytes.count) : 0xFF
            }
            low = buffer.0
            high = buffer.1
        }

        var isLong: Bool { high >> 56 == 0xFF }
    }

    /// An empty index sized for about `capacity` ids.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        keys.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity + 1)
    }

    /// Number of ids.
    public var count: Int { keys.count }

    /// The id of row `index` as a `String`.
    public func id(_ index: Int) -> String {
        let start = offsets[index], end = offsets[index + 1]
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// Row of an id given as bytes, or nil.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        precondition(pendingHashes.isEmpty, "index pending rows before looking up")
        let hash = Self.hash(bytes)
        let key = InlineKey(bytes)
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    if entry >> 32 == tag {
                        let row = Int(entry & 0xFFFF_FFFF) - 1
                        if keys[row] == key && (!key.isLong || longEqual(row, bytes)) { return Int32(row) }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
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
        if (count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(bytes)
        let key = InlineKey(bytes)
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    if entry >> 32 == tag {
                        let row = Int(entry & 0xFFFF_FFFF) - 1
                        if keys[row] == key && (!key.isLong || longEqual(row, bytes)) { return Int32(row) }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        if let found { return (found, false) }
        let row = keys.count
        keys.append(key)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        slots[slot] = (tag << 32) | UInt64(row + 1)
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
        if pendingHashes.isEmpty { pendingStart = keys.count }
        pendingHashes.append(Self.hash(bytes))
        keys.append(InlineKey(bytes))
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        return Int32(keys.count - 1)
    }

    /// Indexes the rows appended by `appendDeferred`.
    /// - Returns: rows whose id repeats an earlier row's, each with that earlier row, in row order.
    ///   Their slots are not indexed (lookups find the earlier row); callers normally drop them with `removing`.
    public mutating func indexPending() -> [(row: Int32, firstRow: Int32)] {
        guard !pendingHashes.isEmpty else { return [] }
        var size = slots.count
        while keys.count * 2 > size { size <<= 1 }
        if size != slots.count {
            // Re-index the rows indexed so far into a larger table.
            rehash(size: size, rows: pendingStart)
        }
        var duplicates: [(row: Int32, firstRow: Int32)] = []
        let mask = self.mask, start = pendingStart
        var table = slots
        slots = []
        defer { slots = table }
        table.withUnsafeMutableBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                pendingHashes.withUnsafeBufferPointer { hashes in
                    for k in 0..<hashes.count {
                        let row = start + k
                        let hash = hashes[k], tag = hash >> 32
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while true {
                            let entry = slots[slot]
                            if entry == 0 {
                                slots[slot] = (tag << 32) | UInt64(row + 1)
                                break
                            }
                            if entry >> 32 == tag {
                                let other = Int(entry & 0xFFFF_FFFF) - 1
                                if keys[other] == keys[row] && (!keys[row].isLong || rowsEqual(other, row)) {
                                    duplicates.append((Int32(row), Int32(other)))
                                    break
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
        pendingHashes = []
        return duplicates
    }

    /// A copy without the given rows (sorted ascending); remaining rows keep their order.
    public func removing(rows removed: [Int32]) -> IDIndex {
        var result = IDIndex(capacity: count - removed.count)
        var next = 0
        arena.withUnsafeBufferPointer { arena in
            for row in 0..<count {
                if next < removed.count && Int(removed[next]) == row {
                    next += 1
                    continue
                }
                result.insert(UnsafeBufferPointer(rebasing: arena[offsets[row]..<offsets[row + 1]]))
            }
        }
        return result
    }

    private func rowsEqual(_ a: Int, _ b: Int) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            longEqual(a, UnsafeBufferPointer(rebasing: arena[offsets[b]..<offsets[b + 1]]))
        }
    }

    private func longEqual(_ row: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[row], end = offsets[row + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            for i in 0..<bytes.count where arena[start + i] != bytes[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        rehash(size: slots.count * 2, rows: count)
    }

    /// Rebuilds the slot table at `size` slots with rows `0 ..< rows`.
    private mutating func rehash(size: Int, rows: Int) {
        var newSlots = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        arena.withUnsafeBufferPointer { arena in
            for row in 0..<rows {
                let hash = Self.hash(UnsafeBufferPointer(rebasing: arena[offsets[row]..<offsets[row + 1]]))
                var slot = Int(truncatingIfNeeded: hash) & newMask
                while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
                newSlots[slot] = ((hash >> 32) << 32) | UInt64(row + 1)
            }
        }
        slots = newSlots
        mask = newMask
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
