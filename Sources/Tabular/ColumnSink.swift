#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Column-major storage of doubles being filled row by row (column `k` at `base + k * capacity`).
///
/// It starts on memory it does not own (the final array's, while it is being initialized), so a table whose row
/// estimate holds is written once and compacted in place; when the estimate is exceeded it moves to memory of its own.
final class ColumnSink {
    /// Number of columns stored.
    let columnCount: Int
    /// Rows each column can hold.
    private(set) var capacity: Int
    /// Rows written so far.
    var rowCount = 0
    /// The storage: `columnCount * capacity` doubles.
    private(set) var base: UnsafeMutablePointer<Double>
    /// Whether `base` was allocated here (and must be freed here).
    private(set) var ownsStorage: Bool

    /// Wraps external storage of `columnCount * capacity` doubles.
    init(external base: UnsafeMutablePointer<Double>, columnCount: Int, capacity: Int) {
        self.base = base
        self.columnCount = columnCount
        self.capacity = capacity
        ownsStorage = false
    }

    /// Allocates storage of its own for `columnCount * capacity` doubles (a reusable chunk buffer).
    init(columnCount: Int, capacity: Int) {
        self.columnCount = columnCount
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: max(columnCount * self.capacity, 1))
        ownsStorage = true
    }

    deinit {
        if ownsStorage { base.deallocate() }
    }

    /// Makes room for at least `rows` rows, moving to a larger buffer of its own (1.5x) when needed.
    func reserve(rows: Int) {
        guard rows > capacity else { return }
        let newCapacity = max(rows, capacity + capacity / 2, 64)
        let newBase = UnsafeMutablePointer<Double>.allocate(capacity: max(columnCount * newCapacity, 1))
        for column in 0..<columnCount {
            (newBase + column * newCapacity).initialize(from: base + column * capacity, count: rowCount)
        }
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }

    /// Asks the kernel to back a large buffer with huge pages (fewer page faults while it fills); a no-op elsewhere.
    static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard buffer.count >= 8 << 20, let base = buffer.baseAddress else { return }
        let page = 4096
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(page - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// Moves the stored columns `kept` (strictly increasing) to the front with stride `rowCount`, in place.
    /// Returns the number of doubles now initialized at `base`.
    func compactInPlace(keeping kept: [Int]) -> Int {
        let rows = rowCount
        for (k, column) in kept.enumerated() where k * rows != column * capacity && rows > 0 {
            // The destination starts at or before the source and ends before any later source column.
            memmove(base + k * rows, base + column * capacity, rows * MemoryLayout<Double>.stride)
        }
        return kept.count * rows
    }

    /// The stored columns `order` (any order, repeats allowed) as a new column-major array with stride `rowCount`.
    func makeArray(columns order: [Int]) -> [Double] {
        let rows = rowCount
        return [Double](unsafeUninitializedCapacity: order.count * rows) { buffer, initialized in
            if let target = buffer.baseAddress {
                for (k, column) in order.enumerated() {
                    (target + k * rows).initialize(from: base + column * capacity, count: rows)
                }
            }
            initialized = order.count * rows
        }
    }
}
