/// A compact string-id table: ids stored as bytes in one arena, looked up by an open-addressing hash table.
///
/// Export ids are strings (leading zeros matter), and a large export has tens of millions of
/// them. Keeping them as bytes — no `String` per id, no per-entry allocation — makes insertion
/// and lookup straight from CSV field bytes cheap. Row numbers are `Int32` (up to 2³¹ − 1 ids).
public struct IDIndex: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var slots: [Int32]
    private var mask: Int

    /// An empty index sized for about `capacity` ids.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        arena.reserveCapacity(capacity * 10)
        offsets.reserveCapacity(capacity + 1)
    }

    /// Number of ids.
    public var count: Int { offsets.count - 1 }

    /// The id of row `index` as a `String`.
    public func id(_ index: Int) -> String {
        let start = offsets[index], end = offsets[index + 1]
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// Calls `body` with the bytes of id `index`.
    public func withIDBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = offsets[index], end = offsets[index + 1]
        return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Row of an id given as bytes, or nil.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        return arena.withUnsafeBufferPointer { arena in
            offsets.withUnsafeBufferPointer { offsets in
                slots.withUnsafeBufferPointer { slots in
                    while true {
                        let row = slots[slot]
                        if row < 0 { return nil }
                        if Self.equal(arena, offsets[Int(row)], offsets[Int(row) + 1], bytes) { return row }
                        slot = (slot + 1) & mask
                    }
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
        if (count + 1) * 2 > slots.count { grow() }
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        let found: Int32? = arena.withUnsafeBufferPointer { arena in
            offsets.withUnsafeBufferPointer { offsets in
                slots.withUnsafeBufferPointer { slots in
                    while true {
                        let row = slots[slot]
                        if row < 0 { return nil }
                        if Self.equal(arena, offsets[Int(row)], offsets[Int(row) + 1], bytes) { return row }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if let found { return (found, false) }
        let row = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        slots[slot] = row
        return (row, true)
    }

    /// Inserts an id given as text.
    @discardableResult
    public mutating func insert(_ text: String) -> (row: Int32, inserted: Bool) {
        var text = text
        return text.withUTF8 { insert($0) }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = [Int32](repeating: -1, count: size)
        let newMask = size - 1
        arena.withUnsafeBufferPointer { arena in
            for row in 0..<count {
                let bytes = UnsafeBufferPointer(rebasing: arena[offsets[row]..<offsets[row + 1]])
                var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & newMask
                while newSlots[slot] >= 0 { slot = (slot + 1) & newMask }
                newSlots[slot] = Int32(row)
            }
        }
        slots = newSlots
        mask = newMask
    }

    @inline(__always)
    private static func equal(_ arena: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                              _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard end - start == bytes.count else { return false }
        for i in 0..<bytes.count where arena[start + i] != bytes[i] { return false }
        return true
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
