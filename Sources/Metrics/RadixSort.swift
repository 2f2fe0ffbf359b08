/// Stable sorting permutations of `Double` keys by least-significant-digit radix sort.
///
/// O(n) passes over 11-bit digits of the keys' order-preserving bit patterns; a digit that is the
/// same for every key is skipped, so integer-valued keys (day counts) typically need two passes.
/// Several times faster than a comparison sort with a closure for the hundreds of thousands of rows
/// of a survival fit. Equal keys keep their input order (stable), which makes results reproducible.
/// `-0.0` sorts equal to `+0.0`; keys must not be NaN.
public enum RadixSort {
    /// The permutation that sorts `keys` ascending: `keys[order[0]] ≤ keys[order[1]] ≤ …`, ties in index order.
    public static func ascendingOrder(_ keys: [Double]) -> [Int] {
        order(keys, descending: false)
    }

    /// The permutation that sorts `keys` descending: `keys[order[0]] ≥ keys[order[1]] ≥ …`, ties in index order.
    public static func descendingOrder(_ keys: [Double]) -> [Int] {
        order(keys, descending: true)
    }

    /// The indices `initial` (a permutation of `0..<keys.count`) stably sorted by descending key: ties
    /// keep their order in `initial` (e.g. a pre-partition by a secondary criterion).
    public static func descendingOrder(_ keys: [Double], startingFrom initial: [Int]) -> [Int] {
        precondition(initial.count == keys.count, "initial order must list every key once")
        return order(keys, descending: true, initial: initial)
    }

    /// An unsigned integer whose order is the order of `value` (and reversed when `descending`).
    @inline(__always)
    static func orderedBits(_ value: Double, descending: Bool) -> UInt64 {
        let bits = (value + 0.0).bitPattern  // −0.0 + 0.0 = +0.0
        let ascending = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        return descending ? ~ascending : ascending
    }

    private static let digitBits = 11
    private static let passes = 6  // 6 × 11 ≥ 64 bits

    private static func order(_ keys: [Double], descending: Bool, initial: [Int]? = nil) -> [Int] {
        let n = keys.count
        guard n > 1 else { return initial ?? Array(0..<n) }
        precondition(n <= Int(UInt32.max), "RadixSort handles at most 2³² − 1 keys")
        let radix = 1 << digitBits, mask = UInt64(radix - 1)
        var sourceKeys: [UInt64]
        var sourceIndex: [UInt32]
        if let initial {
            sourceKeys = initial.map { orderedBits(keys[$0], descending: descending) }
            sourceIndex = initial.map { UInt32(truncatingIfNeeded: $0) }
        } else {
            sourceKeys = keys.map { orderedBits($0, descending: descending) }
            sourceIndex = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
                for i in 0..<n { buffer[i] = UInt32(truncatingIfNeeded: i) }
                count = n
            }
        }
        var targetKeys = [UInt64](repeating: 0, count: n)
        var targetIndex = [UInt32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: passes * radix)
        sourceKeys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                    var key = k[i]
                    for pass in 0..<passes {
                        c[pass * radix + Int(key & mask)] += 1
                        key >>= UInt64(digitBits)
                    }
                }
            }
        }
        for pass in 0..<passes {
            let base = pass * radix
            // A digit shared by every key does not reorder anything.
            if counts[base + Int((sourceKeys[0] >> UInt64(pass * digitBits)) & mask)] == n { continue }
            var offsets = [Int](repeating: 0, count: radix)
            var running = 0
            for d in 0..<radix {
                offsets[d] = running
                running += counts[base + d]
            }
            let shift = UInt64(pass * digitBits)
            sourceKeys.withUnsafeBufferPointer { sk in
                sourceIndex.withUnsafeBufferPointer { si in
                    targetKeys.withUnsafeMutableBufferPointer { tk in
                        targetIndex.withUnsafeMutableBufferPointer { ti in
                            offsets.withUnsafeMutableBufferPointer { o in
                                for i in 0..<n {
                                    let key = sk[i]
                                    let digit = Int((key >> shift) & mask)
                                    let position = o[digit]
                                    o[digit] = position + 1
                                    tk[position] = key
                                    ti[position] = si[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&sourceKeys, &targetKeys)
            swap(&sourceIndex, &targetIndex)
        }
        return sourceIndex.map { Int($0) }
    }
}
