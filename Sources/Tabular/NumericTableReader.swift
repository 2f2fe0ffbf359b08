/// Reads numeric columns of a CSV file into a `NumericTable` without allocating per cell.
///
/// Numbers are parsed straight from the reader's buffer into the table's final column-major array (sized from an
/// estimate of the row count and compacted in place at the end), so a cell costs no allocation and no copy.
public enum NumericTableReader {
    /// Reads the named columns as numbers.
    ///
    /// - Throws: `CSVError` for the file (see `CSVReader`), `.missingColumn` for an absent column, and for the first bad
    ///   cell `.emptyCell` or `.notANumber` naming the file, the line, the column and the cell text.
    public static func read(path: String, columns: [String]) throws -> NumericTable {
        try read(path: path, columns: columns, recordLines: false)
    }

    /// Reads the named columns as numbers, optionally keeping the physical start line of each row.
    ///
    /// - Parameters:
    ///   - recordLines: whether to fill `NumericTable.lines`.
    ///   - chunkSize: bytes per `read` call (see `CSVReader`).
    public static func read(
        path: String, columns: [String], recordLines: Bool, chunkSize: Int = 4 << 20
    ) throws -> NumericTable {
        try read(
            path: path, columns: columns, recordLines: recordLines, chunkSize: chunkSize,
            parallelMinimumBytes: NumericColumnScanner.defaultParallelMinimumBytes)
    }

    /// `read(path:columns:recordLines:chunkSize:)` with a chosen threshold for two-thread parsing (for tests).
    static func read(
        path: String, columns: [String], recordLines: Bool, chunkSize: Int, parallelMinimumBytes: Int
    ) throws -> NumericTable {
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        // Store each distinct header column once; a column asked for twice is copied at the end.
        var targets = [Int](repeating: -1, count: reader.header.count)
        var stored: [Int] = []  // for each requested column, its sink column
        var distinct = 0
        for name in columns {
            let index = try reader.requireColumn(name)
            if targets[index] < 0 {
                targets[index] = distinct
                distinct += 1
            }
            stored.append(targets[index])
        }
        let scanner = NumericColumnScanner(
            reader: reader, targets: targets, mode: .strict, recordLines: recordLines,
            parallelMinimumBytes: parallelMinimumBytes)
        let (values, rows, _) = try scan(scanner, storedColumns: distinct) { _ in stored }
        return NumericTable(path: path, columnNames: columns, rowCount: rows, lines: scanner.lines, values: values)
    }

    /// Reads every numeric column: a column is numeric when every data cell parses as a number.
    ///
    /// One pass over the file. A column with an empty or non-numeric cell is left out of the table and its name
    /// returned in `nonNumericColumns` (header order). With no data rows every column counts as numeric.
    /// - Throws: `CSVError` for the file itself (see `CSVReader`); cells never throw.
    public static func readAllNumeric(path: String) throws -> (table: NumericTable, nonNumericColumns: [String]) {
        try readAllNumeric(path: path, recordLines: false)
    }

    /// Reads every numeric column (see `readAllNumeric(path:)`), optionally keeping the start line of each row.
    public static func readAllNumeric(
        path: String, recordLines: Bool, chunkSize: Int = 4 << 20
    ) throws -> (table: NumericTable, nonNumericColumns: [String]) {
        try readAllNumeric(
            path: path, recordLines: recordLines, chunkSize: chunkSize,
            parallelMinimumBytes: NumericColumnScanner.defaultParallelMinimumBytes)
    }

    /// `readAllNumeric(path:recordLines:chunkSize:)` with a chosen threshold for two-thread parsing (for tests).
    static func readAllNumeric(
        path: String, recordLines: Bool, chunkSize: Int, parallelMinimumBytes: Int
    ) throws -> (table: NumericTable, nonNumericColumns: [String]) {
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        let columnCount = reader.header.count
        let scanner = NumericColumnScanner(
            reader: reader, targets: Array(0..<columnCount), mode: .detect, recordLines: recordLines,
            parallelMinimumBytes: parallelMinimumBytes)
        let (values, rows, kept) = try scan(scanner, storedColumns: columnCount) { $0.numericColumns }
        let table = NumericTable(
            path: path, columnNames: kept.map { reader.header[$0] }, rowCount: rows, lines: scanner.lines,
            values: values)
        return (table, scanner.nonNumericColumns.map { reader.header[$0] })
    }

    /// Runs `scanner` and returns the sink columns chosen by `output` (asked after the scan) as one column-major
    /// array with stride = row count, plus the row count and the chosen columns.
    ///
    /// The array is allocated once for the estimated row count and filled in place; only a file with more rows than
    /// estimated, or a repeated column, costs a copy.
    private static func scan(
        _ scanner: NumericColumnScanner, storedColumns: Int, output: (NumericColumnScanner) -> [Int]
    ) throws -> (values: [Double], rows: Int, columns: [Int]) {
        let estimate = max(try scanner.reader.estimatedRecordCount(), 16)
        var sink: ColumnSink?
        var chosen: [Int] = []
        var copied: [Double]?
        let values = try [Double](unsafeUninitializedCapacity: max(storedColumns * estimate, 1)) { buffer, count in
            ColumnSink.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            let store = ColumnSink(external: buffer.baseAddress!, columnCount: storedColumns, capacity: estimate)
            sink = store
            try scanner.run(into: store)
            chosen = output(scanner)
            let increasing = zip(chosen, chosen.dropFirst()).allSatisfy { $0 < $1 }
            if !store.ownsStorage {
                if increasing {
                    count = store.compactInPlace(keeping: chosen)
                } else {
                    copied = store.makeArray(columns: chosen)
                }
            }
        }
        let store = sink!
        if let copied { return (copied, store.rowCount, chosen) }
        if store.ownsStorage { return (store.makeArray(columns: chosen), store.rowCount, chosen) }
        return (values, store.rowCount, chosen)
    }
}
