#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads numeric columns of a CSV file in chunks of rows into one reusable buffer, with text columns alongside.
///
/// The streaming counterpart of `NumericTableReader.read`: the same parsing (fast path on two threads, the general
/// RFC 4180 path for anything else, the same errors naming file, line and column), but memory stays bounded by the
/// chunk size whatever the file's size. Text columns to copy through ("keep" columns, e.g. an id) are read by a
/// second reader over the same file in step with the numbers.
public final class NumericChunkReader {
    /// The path of the file, as given.
    public let path: String
    /// The numeric columns, in storage order.
    public let columnNames: [String]
    /// The text columns read alongside, in the order asked.
    public let keptColumnNames: [String]
    /// Rows in the current chunk.
    public var rowCount: Int { sink.rowCount }
    /// Rows of all chunks so far, the current one included.
    public private(set) var rowsRead = 0
    /// Distance in doubles between the starts of two columns of the current chunk (the chunk capacity).
    public var columnStride: Int { sink.capacity }
    /// The physical start line of each row of the current chunk.
    public var lines: [Int] { scanner.lines ?? [] }
    /// The current chunk's text cells: `keptCells[k][row]` for kept column `k`.
    public private(set) var keptCells: [[String]]

    private let scanner: NumericColumnScanner
    private let sink: ColumnSink
    private let keptReader: CSVRecordCursor?
    private var more = true

    /// Opens `path` for chunks of at most `chunkRows` rows of the numeric `columns` and the text `keptColumns`.
    ///
    /// - Throws: `CSVError` for the file (see `CSVReader`) and `.missingColumn` for an absent column.
    public init(path: String, columns: [String], keptColumns: [String] = [], chunkRows: Int = 1 << 16) throws {
        let reader = try CSVReader(path: path)
        var targets = [Int](repeating: -1, count: reader.header.count)
        for (k, name) in columns.enumerated() {
            let index = try reader.requireColumn(name)
            guard targets[index] < 0 else {
                throw CSVError(kind: .other, file: path, column: name, detail: "column \(CSVError.quoted(name)) asked for twice")
            }
            targets[index] = k
        }
        self.path = path
        columnNames = columns
        keptColumnNames = keptColumns
        keptCells = keptColumns.map { _ in [] }
        scanner = NumericColumnScanner(reader: reader, targets: targets, mode: .strict, recordLines: true)
        sink = ColumnSink(columnCount: columns.count, capacity: chunkRows)
        keptReader = keptColumns.isEmpty ? nil : try CSVRecordCursor(path: path, columns: keptColumns)
        try scanner.begin()
    }

    /// Reads the next chunk of rows (replacing the current one).
    /// - Returns: `false` when no rows are left (the current chunk is then empty).
    /// - Throws: `CSVError` for the first bad cell or record, naming file, line and column.
    public func next() throws -> Bool {
        sink.rowCount = 0
        scanner.clearLines()
        if more { more = try scanner.fill(into: sink, growing: false) }
        let rows = sink.rowCount
        rowsRead += rows
        if let keptReader {
            for k in keptCells.indices { keptCells[k].removeAll(keepingCapacity: true) }
            for _ in 0..<rows {
                guard try keptReader.next({ cells in for (k, cell) in cells.enumerated() { keptCells[k].append(cell) } })
                else { throw CSVError(kind: .other, file: path, detail: "the file changed while being read") }
            }
            if rows == 0, try keptReader.next({ _ in }) {
                throw CSVError(kind: .other, file: path, detail: "the file changed while being read")
            }
        }
        return rows > 0
    }

    /// Calls `body` with a pointer to the current chunk's column-major values: column `k` starts at `k * columnStride`.
    public func withValues<R>(_ body: (UnsafePointer<Double>) throws -> R) rethrows -> R {
        try body(UnsafePointer(sink.base))
    }
}

/// Pulls the named text columns of a CSV file's data records one record at a time.
final class CSVRecordCursor {
    private let reader: CSVReader
    private let indices: [Int]
    private var cells: [String]

    /// Opens `path` positioned at its first data record.
    init(path: String, columns: [String]) throws {
        let opened = try CSVReader(path: path)
        indices = try columns.map { try opened.requireColumn($0) }
        reader = opened
        cells = columns.map { _ in "" }
        try reader.rewindIfNeeded()
        reader.markStarted()
    }

    /// Calls `body` with the next record's cells of the chosen columns.
    /// - Returns: `false` (without calling `body`) at the end of the file.
    /// - Throws: `CSVError` for a malformed record (`.fieldCount`, `.unterminatedQuote`, ...) or invalid UTF-8.
    func next(_ body: ([String]) throws -> Void) throws -> Bool {
        if try nextPlainLine() {
            try body(cells)
            return true
        }
        while true {
            if reader.position == reader.length {
                if reader.atEOF { return false }
                try reader.refill()
                continue
            }
            guard try reader.scanRecord() else {
                try reader.refill()
                continue
            }
            if reader.recordFieldCount != reader.header.count {
                throw reader.fieldCountError(found: reader.recordFieldCount)
            }
            if reader.hasPendingEscapes { reader.unescapeFields() }
            let record = CSVRecord(
                line: reader.line, base: reader.buffer, bounds: reader.fieldBounds,
                fieldCount: reader.recordFieldCount, reader: reader)
            for (k, index) in indices.enumerated() { cells[k] = try record.string(index) }
            reader.position = reader.recordEnd
            reader.line += reader.recordNewlines
            try body(cells)
            return true
        }
    }

    /// Takes the next record when it is one buffered line without quotes that has every chosen field (the common
    /// case), without the general scanner; `false` leaves the reader where it was.
    ///
    /// The field count is not checked here: `NumericChunkReader` has its numeric scanner read the same records
    /// first, and that checks it.
    private func nextPlainLine() throws -> Bool {
        let start = reader.buffer + reader.position
        let available = reader.length - reader.position
        guard available > 0, let found = memchr(start, 0x0A, available) else { return false }
        let lineFeed = found.assumingMemoryBound(to: UInt8.self)
        guard memchr(start, 0x22, lineFeed - start) == nil else { return false }
        var end = lineFeed
        if end > start && end[-1] == 0x0D { end -= 1 }
        for (k, index) in indices.enumerated() {
            var fieldStart = start
            for _ in 0..<index {
                guard let comma = memchr(fieldStart, 0x2C, end - fieldStart) else { return false }
                fieldStart = comma.assumingMemoryBound(to: UInt8.self) + 1
            }
            let comma = memchr(fieldStart, 0x2C, end - fieldStart)
            let fieldEnd = comma.map { $0.assumingMemoryBound(to: UInt8.self) } ?? end
            let bytes = UnsafeBufferPointer(start: UnsafePointer(fieldStart), count: fieldEnd - fieldStart)
            guard let text = CSVReader.decodeUTF8(bytes) else { return false }
            cells[k] = text
        }
        reader.position = lineFeed + 1 - reader.buffer
        reader.line += 1
        return true
    }
}
