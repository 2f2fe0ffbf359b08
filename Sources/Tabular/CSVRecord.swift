/// A view of one CSV record whose field bytes live in the reader's buffer (no per-field allocation).
///
/// A record is valid only inside the `CSVReader.forEachRecord` call that produced it.
/// Field contents are unescaped: the surrounding quotes of a quoted field are removed and `""` is one `"`.
/// An unquoted field keeps its bytes as they are (spaces included; a CR before the line feed is removed).
public struct CSVRecord {
    /// The physical line where the record starts (the header is line 1).
    public let line: Int
    /// The number of fields (always the header's field count for records from `forEachRecord`).
    public let fieldCount: Int
    /// The reader's buffer.
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    /// Start and end offsets into `base`, two per field.
    @usableFromInline let bounds: UnsafeMutablePointer<Int>
    /// The reader, for error messages (the record never outlives it).
    unowned(unsafe) let reader: CSVReader

    /// Creates a view over the reader's current record.
    init(line: Int, base: UnsafeMutablePointer<UInt8>, bounds: UnsafeMutablePointer<Int>, fieldCount: Int, reader: CSVReader) {
        self.line = line
        self.base = base
        self.bounds = bounds
        self.fieldCount = fieldCount
        self.reader = reader
    }

    /// Calls `body` with the unescaped bytes of field `index` (valid only during the call).
    @inlinable
    public func withFieldBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        let start = bounds[2 * index]
        return try body(UnsafeBufferPointer(start: base + start, count: bounds[2 * index + 1] - start))
    }

    /// The number of bytes in field `index`.
    @inlinable
    public func byteCount(_ index: Int) -> Int {
        precondition(index >= 0 && index < fieldCount, "field index out of range")
        return bounds[2 * index + 1] - bounds[2 * index]
    }

    /// Field `index` as a string, exactly as written (no trimming, leading zeros kept).
    /// - Throws: `.invalidUTF8` naming the file, the line and the column.
    public func string(_ index: Int) throws -> String {
        try withFieldBytes(index) { bytes in
            guard let text = CSVReader.decodeUTF8(bytes) else {
                throw CSVError(
                    kind: .invalidUTF8, file: reader.path, line: line, column: reader.columnName(index),
                    detail: "not valid UTF-8: \(CSVError.quoted(bytes))")
            }
            return text
        }
    }

    /// Field `index` as a number (`DecimalParser` grammar, surrounding spaces allowed), or `nil` when empty or not a number.
    @inlinable
    public func double(_ index: Int) -> Double? {
        withFieldBytes(index) { DecimalParser.parse($0) }
    }

    /// Whether field `index` is empty (no bytes; `""` counts as empty).
    @inlinable
    public func isEmpty(_ index: Int) -> Bool {
        byteCount(index) == 0
    }

    /// Whether field `index` is empty or holds only spaces and tabs.
    public func isBlank(_ index: Int) -> Bool {
        withFieldBytes(index) { bytes in !bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) }
    }

    /// The error for field `index` not being a number (`.emptyCell` when it is blank, else `.notANumber` with the cell text).
    public func numberError(_ index: Int) -> CSVError {
        withFieldBytes(index) { bytes in
            CSVRecord.numberError(bytes, file: reader.path, line: line, column: reader.columnName(index))
        }
    }

    /// The error for a cell that should hold a number: `.emptyCell` when blank, else `.notANumber` quoting the text.
    static func numberError(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int, column: String?) -> CSVError {
        if !bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
            return CSVError(kind: .emptyCell, file: file, line: line, column: column, detail: "empty cell")
        }
        return CSVError(
            kind: .notANumber, file: file, line: line, column: column, detail: "not a number: \(CSVError.quoted(bytes))")
    }
}
