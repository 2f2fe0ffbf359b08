import Parallelism
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine behind `NumericTableReader`: streams a `CSVReader`'s records straight into a `ColumnSink`.
///
/// Each record first goes through a fast path that parses the numbers directly from the buffer in one pass
/// (unquoted fields, a comma after each field, LF or CRLF at the end). Anything else (quotes, spaces, a bad or empty
/// cell, a record cut by the end of the buffer, the last record without a line break) goes through the general
/// RFC 4180 scanner and `DecimalParser.parse`, which give the same values and the exact error.
///
/// After each refill, the longest quote-free run of whole lines in the buffer is split at a line break into two
/// halves parsed on two threads with the fast path (every record there is exactly one line, so each half knows its
/// first row and line). Progress is committed only up to the first record the fast path declines, which is then
/// handled sequentially, so results and errors are the same as a sequential scan.
final class NumericColumnScanner {
    /// What to do with a cell that is not a number.
    enum Mode {
        /// Throw `.emptyCell` / `.notANumber` for the first bad cell.
        case strict
        /// Drop the column from further parsing and remember it as non-numeric.
        case detect
    }

    /// The reader (positioned anywhere; `run` rewinds).
    let reader: CSVReader
    /// For each header column, the sink column it is stored in, or -1 to skip it.
    private(set) var targets: [Int]
    /// How bad cells are handled.
    let mode: Mode
    /// Physical start line of each row, when requested.
    private(set) var lines: [Int]?
    /// Smallest quote-free run of buffered lines worth splitting over two threads (`Int.max`: never).
    let parallelMinimumBytes: Int
    /// Columns marked non-numeric during a `detect` scan.
    private var detectedBad: [Bool]

    /// Default for `parallelMinimumBytes`: parallel parsing when two cores or more are online.
    static let defaultParallelMinimumBytes: Int = {
        sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 ? 256 << 10 : Int.max
    }()

    /// Prepares a scan of `reader` storing header column `c` in sink column `targets[c]` (or skipping it when -1).
    init(
        reader: CSVReader, targets: [Int], mode: Mode, recordLines: Bool,
        parallelMinimumBytes: Int = NumericColumnScanner.defaultParallelMinimumBytes
    ) {
        precondition(targets.count == reader.header.count, "one target per header column")
        self.reader = reader
        self.targets = targets
        self.mode = mode
        self.parallelMinimumBytes = max(parallelMinimumBytes, 2)
        lines = recordLines ? [] : nil
        detectedBad = [Bool](repeating: false, count: targets.count)
    }

    /// Header columns still parsed as numbers (all of them in `strict` mode), in header order.
    var numericColumns: [Int] {
        (0..<targets.count).filter { targets[$0] >= 0 }
    }

    /// Header columns found non-numeric (`detect` mode), in header order.
    var nonNumericColumns: [Int] {
        (0..<targets.count).filter { detectedBad[$0] }
    }

    /// Reads every data record into `sink` (growing it as needed).
    func run(into sink: ColumnSink) throws {
        try begin()
        if lines != nil { lines!.reserveCapacity(sink.capacity) }
        _ = try fill(into: sink, growing: true)
    }

    /// Rewinds the reader to the first data record, for a pass of `fill` calls.
    func begin() throws {
        try reader.rewindIfNeeded()
        reader.markStarted()
    }

    /// Forgets the recorded start lines (a chunked pass keeps only the current chunk's).
    func clearLines() {
        if lines != nil { lines!.removeAll(keepingCapacity: true) }
    }

    /// Reads data records into `sink` from where the last call stopped, until the end of the file or, unless
    /// `growing`, until the sink is full.
    /// - Returns: whether records may remain (`false` once the end of the file is reached).
    func fill(into sink: ColumnSink, growing: Bool) throws -> Bool {
        var targets = self.targets
        defer { self.targets = targets }
        return try targets.withUnsafeMutableBufferPointer { targets in
            let targetPointer = UnsafePointer(targets.baseAddress!)
            let last = targets.count - 1
            var freshData = true
            while true {
                if reader.position == reader.length {
                    if reader.atEOF { return false }
                    try reader.refill()
                    freshData = true
                    continue
                }
                let row = sink.rowCount
                if row == sink.capacity {
                    guard growing else { return true }
                    sink.reserve(rows: row + 1)
                }
                if freshData {
                    freshData = false
                    if reader.length - reader.position >= parallelMinimumBytes {
                        parseInParallel(targets: targetPointer, last: last, sink: sink)
                        continue
                    }
                }
                var p = UnsafePointer(reader.buffer + reader.position)
                if NumericColumnScanner.fastRecord(
                    &p, targets: targetPointer, last: last, out: sink.base + row, capacity: sink.capacity)
                {
                    reader.position = p - UnsafePointer(reader.buffer)
                    lines?.append(reader.line)
                    reader.line += 1
                    sink.rowCount = row + 1
                    continue
                }
                guard try reader.scanRecord() else {
                    try reader.refill()
                    freshData = true
                    continue
                }
                try slowRecord(targets: targets, sink: sink, row: row)
                lines?.append(reader.line)
                reader.position = reader.recordEnd
                reader.line += reader.recordNewlines
                sink.rowCount = row + 1
            }
        }
    }

    /// Parses one record at `p` in one pass; returns `false` (leaving `p` alone) when it needs the general path.
    ///
    /// Requires a byte after the data that ends a number and a field (the reader's NUL sentinel) and 8 readable bytes
    /// past it. A record parsed here never extends past its first line feed.
    @inline(__always)
    static func fastRecord(
        _ position: inout UnsafePointer<UInt8>, targets: UnsafePointer<Int>, last: Int,
        out: UnsafeMutablePointer<Double>, capacity: Int
    ) -> Bool {
        var p = position
        for column in 0...last {
            let target = targets[column]
            if target >= 0 {
                guard let (value, next) = DecimalParser.parsePrefix(p) else { return false }
                out[target &* capacity] = value
                p = next
            } else {
                // Skip an unquoted field.
                if p.pointee == 0x22 { return false }
                while p.pointee != 0x2C && p.pointee != 0x0A && p.pointee != 0 { p += 1 }
            }
            let c = p.pointee
            if column < last {
                guard c == 0x2C else { return false }
                p += 1
            } else if c == 0x0A {
                p += 1
            } else if c == 0x0D && p[1] == 0x0A {
                p += 2
            } else {
                return false
            }
        }
        position = p
        return true
    }

    /// Parses at most `limit` records of `start ..< end` (whole lines) with the fast path; returns how many were
    /// parsed and where the first record not parsed starts (`end` when all were parsed).
    static func fastRun(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, limit: Int, targets: UnsafePointer<Int>,
        last: Int, out: UnsafeMutablePointer<Double>, capacity: Int
    ) -> (rows: Int, stop: UnsafePointer<UInt8>) {
        var p = start
        var rows = 0
        while p < end && rows < limit {
            if !fastRecord(&p, targets: targets, last: last, out: out + rows, capacity: capacity) { break }
            rows += 1
        }
        return (rows, p)
    }

    /// Parses the buffered whole lines at the reader's position on two threads and commits the rows up to the first
    /// record the fast path declines (or the sink's capacity).
    ///
    /// The region is split after a line feed near its middle. The first half is certain to start at a record; the
    /// second is only if the first half parsed completely with the fast path (which never enters a quoted field), so
    /// the second half's rows count only then. The second thread first counts the first half's line feeds (one per
    /// record there) to know where its rows go.
    private func parseInParallel(targets: UnsafePointer<Int>, last: Int, sink: ColumnSink) {
        let base = UnsafePointer(reader.buffer)
        let start = base + reader.position
        var end = base + reader.length
        while end > start && end[-1] != 0x0A { end -= 1 }
        guard end - start >= parallelMinimumBytes else { return }
        let middle = start + (end - start) / 2
        let split: UnsafePointer<UInt8>
        if let found = memchr(middle, 0x0A, end - middle) {
            split = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
        } else {
            split = end
        }
        let row = sink.rowCount
        let work = ParallelWork(
            first: (start, split), second: (split, end), room: sink.capacity - row, targets: targets, last: last,
            out: sink.base + row, capacity: sink.capacity)
        Parallel.perform(2) { work.run($0) }
        var (rows, stop) = work.result(0)
        if stop == split {
            let second = work.result(1)
            rows += second.rows
            stop = second.stop
        }
        if lines != nil {
            for offset in 0..<rows { lines!.append(reader.line + offset) }
        }
        reader.line += rows
        reader.position = stop - base
        sink.rowCount = row + rows
    }

    /// The number of line feeds in `start ..< end`.
    static func countLineFeeds(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int {
        var count = 0
        var p = start
        while p < end, let found = memchr(p, 0x0A, end - p) {
            count += 1
            p = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    /// Stores the fields of the record just scanned by `reader.scanRecord()`, handling bad cells per `mode`.
    private func slowRecord(targets: UnsafeMutableBufferPointer<Int>, sink: ColumnSink, row: Int) throws {
        let columnCount = targets.count
        if reader.recordFieldCount != columnCount {
            throw reader.fieldCountError(found: reader.recordFieldCount)
        }
        if reader.hasPendingEscapes { reader.unescapeFields() }
        let bytes = reader.buffer
        let bounds = reader.fieldBounds
        let capacity = sink.capacity
        for column in 0..<columnCount {
            let target = targets[column]
            guard target >= 0 else { continue }
            let start = bounds[2 * column]
            let count = bounds[2 * column + 1] - start
            if let value = DecimalParser.parse(bytes + start, count: count) {
                sink.base[target * capacity + row] = value
                continue
            }
            switch mode {
            case .strict:
                throw CSVRecord.numberError(
                    UnsafeBufferPointer(start: bytes + start, count: count),
                    file: reader.path, line: reader.line, column: reader.header[column])
            case .detect:
                targets[column] = -1
                detectedBad[column] = true
            }
        }
    }
}
