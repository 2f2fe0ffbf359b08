/// A compact string-id table: ids stored as 8-byte keys, looked up by an open-addressing hash table.
///
/// Export ids are strings (leading zeros matter), and a large export has tens of millions of
/// them. Ids are never turned into `String`s on the load path. Most exports number their ids
/// (`INV0000123`): the index takes the text before the trailing digits of its first id as its
/// `prefix`, and every id that is that prefix followed by at most 17 ASCII digits is held as one
/// 8-byte key (digit count and value; leading zeros kept by the count). Any other id is an
/// "overflow" key pointing at a 16-byte entry: up to 15 bytes inline (bytes + length), longer ids
/// (UUIDs, say) in a byte arena. Each id has exactly one form in an index, so two rows hold the
/// same id exactly when their keys are equal (compact) or their overflow bytes are (never a false
/// match). Each slot of the table packs a 32-bit hash tag with the row, so inserting a new id
/// costs one cache miss and finding one two. The table stays at most 3/4 full and uses
/// multiply-shift ("fast range") slot selection, so its size need not be a power of two. Rows are
/// `Int32` (up to 2³¹ − 2 ids). Memory: 8 bytes per compact id plus about 10.7 bytes of slots.
public struct IDIndex: Sendable {
    /// 0 = empty; otherwise `(tag << 32) | (row + 1)`.
    private var slots: [UInt64]
    /// Key per row: compact (`digitCount << 57 | value`, top bit clear) or `overflowMarker | entry`.
    private var keys: [UInt64] = []
    /// Ids that are not `prefix` + digits (see `Key`).
    private var overflow: [Key] = []
    /// Bytes of the overflow ids longer than 15 bytes, concatenated.
    private var arena: [UInt8] = []
    /// The text before the digits of compact ids (at most 15 bytes), inline like a `Key`; set by the first id.
    private var prefix = Key(low: 0, high: 0)
    private var prefixLength = 0
    private var hasPrefix = false
    /// Hashes of rows appended with `appendDeferred` and not yet indexed.
    private var pendingHashes: [UInt64] = []
    /// First row of the pending batch.
    private var pendingStart = 0

    static let overflowMarker: UInt64 = 1 << 63
    /// Most digits a compact key holds (10¹⁷ − 1 < 2⁵⁷).
    static let maximumDigits = 17
    static let valueMask: UInt64 = (1 << 57) - 1

    /// An overflow id: inline (`low`, `high` hold up to 15 bytes, the top byte of `high` the length),
    /// or long (`low` = arena offset, `high` = 0xFF in the top byte and the length below).
    struct Key: Equatable, Sendable {
        var low: UInt64
        var high: UInt64

        static let longMarker: UInt64 = 0xFF << 56

        init(low: UInt64, high: UInt64) {
            self.low = low
            self.high = high
        }

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

        /// Byte `i` of an inline key.
        @inline(__always)
        func byte(_ i: Int) -> UInt8 {
            i < 8 ? UInt8(truncatingIfNeeded: low >> (8 * UInt64(i))) : UInt8(truncatingIfNeeded: high >> (8 * UInt64(i - 8)))
        }
    }

    /// An empty index sized for about `capacity` ids.
    public init(capacity: Int = 1024) {
        slots = [UInt64](repeating: 0, count: Self.tableSize(for: capacity))
        keys.reserveCapacity(capacity)
    }

    /// An empty index for about `capacity` ids that are only appended with `appendDeferred` and then moved into
    /// another index (`appendDeferred(contentsOf:)`): no lookup slots are allocated for them.
    public init(unindexedCapacity capacity: Int) {
        slots = [UInt64](repeating: 0, count: Self.tableSize(for: 0))
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
        let compact = keys[index]
        if compact & Self.overflowMarker == 0 {
            // prefix + digits, rebuilt in a 32-byte buffer (15 prefix bytes + 17 digits at most).
            var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            return try withUnsafeMutableBytes(of: &buffer) { raw in
                let bytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                for i in 0..<prefixLength { bytes[i] = prefix.byte(i) }
                let digits = Int(compact >> 57)
                var value = compact & Self.valueMask
                var i = prefixLength + digits
                while i > prefixLength {
                    i -= 1
                    bytes[i] = UInt8(48 + value % 10)
                    value /= 10
                }
                return try body(UnsafeBufferPointer(start: bytes, count: prefixLength + digits))
            }
        }
        var key = overflow[Int(compact & ~Self.overflowMarker)]
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
        if keys.capacity < keys.count + other.count {   // grow geometrically: parts may be appended one by one
            keys.reserveCapacity(max(keys.count + other.count, keys.capacity + keys.capacity / 2))
        }
        if keys.isEmpty && !hasPrefix { adoptPrefix(of: other) }
        if other.hasPrefix && other.prefixLength == prefixLength && other.prefix == prefix {
            // Same compact form: copy the keys, moving the overflow entries behind this index's.
            let arenaShift = UInt64(arena.count), overflowShift = UInt64(overflow.count)
            for key in other.keys {
                keys.append(key & Self.overflowMarker == 0 ? key : key + overflowShift)
            }
            for entry in other.overflow {
                overflow.append(entry.isLong ? Key(arenaOffset: Int(entry.low + arenaShift), length: entry.longLength) : entry)
            }
            arena.append(contentsOf: other.arena)
        } else {
            for row in 0..<other.count { other.withIDBytes(row) { _ = appendKey($0) } }
        }
        pendingHashes.append(contentsOf: other.pendingHashes)
    }

    /// Indexes the rows appended by `appendDeferred`.
    /// - Returns: rows whose id repeats an earlier row's, each with that earlier row, in row order.
    ///   Their slots are not indexed (lookups find the earlier row); callers normally drop them with `removing`.
    public mutating func indexPending() -> [(row: Int32, firstRow: Int32)] {
        guard !pendingHashes.isEmpty else { return [] }
        if Self.tableSize(for: keys.count) > slots.count {   // grow by at least 1/4: batches may be indexed one by one
            rehash(size: max(Self.tableSize(for: keys.count), slots.count + slots.count / 4), rows: pendingStart)
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
        result.adoptPrefix(of: self)
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

    /// Appends a row's key (an overflow entry, and long bytes to the arena, when not compact); returns the row.
    /// The first id of an empty index sets the prefix.
    private mutating func appendKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if !hasPrefix { choosePrefix(from: bytes) }
        if let compact = compactKey(bytes) {
            keys.append(compact)
            return keys.count - 1
        }
        keys.append(Self.overflowMarker | UInt64(overflow.count))
        if bytes.count <= 15 {
            overflow.append(Key(inline: bytes))
        } else {
            overflow.append(Key(arenaOffset: arena.count, length: bytes.count))
            arena.append(contentsOf: bytes)
        }
        return keys.count - 1
    }

    /// Sets the prefix to the bytes of `bytes` before its trailing ASCII digits (no prefix when that is longer
    /// than 15 bytes; then only all-digit ids are compact).
    private mutating func choosePrefix(from bytes: UnsafeBufferPointer<UInt8>) {
        var end = bytes.count
        while end > 0 && bytes[end - 1] &- 48 < 10 { end -= 1 }
        if end > 15 { end = 0 }
        prefix = Key(inline: UnsafeBufferPointer(rebasing: bytes[0..<end]))
        prefixLength = end
        hasPrefix = true
    }

    /// Takes `other`'s prefix (for an empty index about to receive its rows).
    private mutating func adoptPrefix(of other: IDIndex) {
        guard other.hasPrefix else { return }
        prefix = other.prefix
        prefixLength = other.prefixLength
        hasPrefix = true
    }

    /// The compact key of an id that is the prefix followed by at most 17 ASCII digits, else nil.
    @inline(__always)
    private func compactKey(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        let digits = bytes.count - prefixLength
        guard hasPrefix, digits >= 0, digits <= Self.maximumDigits else { return nil }
        for i in 0..<prefixLength where bytes[i] != prefix.byte(i) { return nil }
        var value: UInt64 = 0
        for i in prefixLength..<bytes.count {
            let digit = bytes[i] &- 48
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
        }
        return UInt64(digits) << 57 | value
    }

    /// The slot holding `bytes` (row ≥ 0) or the empty slot where it would go (row = −1).
    @inline(__always)
    private func probe(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (slot: Int, row: Int)? {
        let compact = compactKey(bytes)
        let probeKey: Key? = compact == nil && bytes.count <= 15 ? Key(inline: bytes) : nil
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
                        if let compact {
                            if key == compact { return (slot, row) }
                        } else if key & Self.overflowMarker != 0 {
                            let stored = overflow[Int(key & ~Self.overflowMarker)]
                            if let probeKey {
                                if stored == probeKey { return (slot, row) }
                            } else if stored.isLong && stored.longLength == bytes.count && arenaEqual(Int(stored.low), bytes) {
                                return (slot, row)
                            }
                        }
                    }
                    slot = slot + 1 == slots.count ? 0 : slot + 1
                }
            }
        }
    }

    /// Whether two rows' keys hold the same id (compact keys are equal, or both overflow entries' bytes are).
    @inline(__always)
    private func keysEqual(_ first: UInt64, _ second: UInt64) -> Bool {
        if first == second { return true }
        guard first & second & Self.overflowMarker != 0 else { return false }
        return overflowEqual(overflow[Int(first & ~Self.overflowMarker)], overflow[Int(second & ~Self.overflowMarker)])
    }

    private func overflowEqual(_ a: Key, _ b: Key) -> Bool {
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
