import CallGrid
import CivilTime
import Tabular

/// Field-by-field validation of one CSV record for the ingest path.
///
/// Each accessor parses a field straight from the record's bytes and returns nil on failure,
/// after recording which column failed and why (`failedField`, `failure`); the loader then
/// quarantines the row. Nothing allocates for well-formed numeric and date fields.
struct RowCheck {
    let record: CSVRecord
    /// The reader outlives every row check (no reference counting per row).
    unowned(unsafe) let reader: CSVReader
    private(set) var failedField: String?
    private(set) var failure: String?
    /// Whether the failure is a reference to a row missing from its parent file (`reference`).
    private(set) var unknownReference = false

    init(record: CSVRecord, reader: CSVReader) {
        self.record = record
        self.reader = reader
    }

    var line: Int { record.line }

    /// Records a failure on `column` and returns self (for `rows.reject(row.fail(...))`).
    func fail(_ column: Int, _ reason: String) -> RowCheck {
        var copy = self
        copy.failedField = reader.header[column]
        copy.failure = reason
        return copy
    }

    private mutating func record(_ column: Int, _ reason: String) {
        failedField = reader.header[column]
        failure = reason
    }

    /// Calls `body` with the field's bytes, spaces trimmed at both ends.
    func withTrimmed<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try record.withFieldBytes(column) { bytes in
            var start = 0, end = bytes.count
            while start < end && (bytes[start] == 32 || bytes[start] == 9) { start += 1 }
            while end > start && (bytes[end - 1] == 32 || bytes[end - 1] == 9) { end -= 1 }
            return try body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    /// The cell as shown in messages: lossily decoded, control characters escaped, cut to 40 characters.
    func display(_ column: Int) -> String {
        record.withFieldBytes(column) { bytes in MessageText.escaped(String(decoding: bytes, as: UTF8.self), limit: 40) }
    }

    /// Records a failure when the cell holds a control character (NUL, ESC, other C0, DEL, C1); true when clean.
    /// Ids and keys allow none; free text (`allowingLineBreaks`) may hold tabs and line breaks, which CSV quoting
    /// carries safely.
    private mutating func checkNoControlCharacters(_ column: Int, allowingLineBreaks: Bool = false) -> Bool {
        guard let control = withTrimmed(column, { MessageText.firstControlCharacter($0, allowingLineBreaks: allowingLineBreaks) })
        else { return true }
        record(column, "control character \(MessageText.codePoint(control)) in \(reader.header[column]): \"\(display(column))\"")
        return false
    }

    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// A non-empty, valid UTF-8 id; returns the column for later insertion.
    mutating func identifier(_ column: Int) -> Int? {
        let (empty, valid) = withTrimmed(column) { ($0.isEmpty, Self.isValidUTF8($0)) }
        if empty { record(column, "empty \(reader.header[column])"); return nil }
        if !valid { record(column, "invalid UTF-8 in \(reader.header[column])"); return nil }
        guard checkNoControlCharacters(column) else { return nil }
        return column
    }

    /// The row of an id that must exist in `index`.
    ///
    /// `cache` remembers the previous row's id and result: exports are usually grouped by
    /// customer, so consecutive rows mostly repeat the same reference and skip the hash lookup.
    mutating func reference(_ column: Int, in index: IDIndex, what: String, cache: inout ReferenceCache) -> Int32? {
        guard identifier(column) != nil else { return nil }
        let found: Int32? = withTrimmed(column) { bytes in
            if let hit = cache.lookup(bytes) { return hit }
            let row = index.find(bytes)
            if let row { cache.store(bytes, row: row) }
            return row
        }
        if let found { return found }
        record(column, "unknown \(what) \"\(display(column))\"")
        unknownReference = true
        return nil
    }

    /// The row of an id that must exist in `index` (no cache).
    mutating func reference(_ column: Int, in index: IDIndex, what: String) -> Int32? {
        var cache = ReferenceCache()
        return reference(column, in: index, what: what, cache: &cache)
    }

    /// An optional reference: −1 when the column is absent or the cell empty.
    mutating func optionalReference(_ column: Int?, in index: IDIndex, what: String) -> Int32? {
        guard let column else { return -1 }
        if withTrimmed(column, { $0.isEmpty }) { return -1 }
        return reference(column, in: index, what: what)
    }

    /// Required text (valid UTF-8, trimmed).
    mutating func text(_ column: Int, required: Bool) -> String? {
        let value: String? = withTrimmed(column) { bytes in
            Self.isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
        }
        guard let value else { record(column, "invalid UTF-8 in \(reader.header[column])"); return nil }
        guard checkNoControlCharacters(column, allowingLineBreaks: true) else { return nil }
        if required && value.isEmpty { record(column, "empty \(reader.header[column])"); return nil }
        return value
    }

    /// Optional text: "" when the column is absent.
    mutating func optionalText(_ column: Int?) -> String? {
        guard let column else { return "" }
        return text(column, required: false)
    }

    /// A `YYYY-MM-DD` date within `CivilDate.supportedRange`.
    mutating func date(_ column: Int) -> Int32? {
        if let day = record.withFieldBytes(column, { CivilDate.parse($0) }) {
            if CivilDate.isSupported(day) { return day }
            record(column, "\(reader.header[column]) \(CivilDate.format(day)) is outside the supported dates "
                   + CivilDate.supportedRangeText)
            return nil
        }
        record(column, withTrimmed(column, { $0.isEmpty }) ? "empty \(reader.header[column])"
               : "invalid date in \(reader.header[column]): \"\(display(column))\" (expected YYYY-MM-DD)")
        return nil
    }

    /// An ISO 8601 timestamp with offset, as seconds since the epoch (UTC).
    mutating func timestamp(_ column: Int) -> Int64? {
        switch record.withFieldBytes(column, { Timestamp.parse($0) }) {
        case .success(let seconds):
            if CivilDate.isSupported(Timestamp.utcDay(seconds)) { return seconds }
            record(column, "\(reader.header[column]) \"\(display(column))\" is outside the supported dates "
                   + CivilDate.supportedRangeText)
        case .failure(.missingOffset):
            record(column, "timestamp without UTC offset in \(reader.header[column]): \"\(display(column))\" (add Z or ±HH:MM)")
        case .failure(.malformed):
            record(column, "invalid timestamp in \(reader.header[column]): \"\(display(column))\"")
        }
        return nil
    }

    /// A positive amount of money within `AmountRange`.
    mutating func amount(_ column: Int) -> Double? {
        guard let value = number(column) else { return nil }
        if value < 0 { record(column, "negative amount \(display(column))"); return nil }
        if value == 0 { record(column, "amount must be positive, got \(display(column))"); return nil }
        return checkMoneyRange(column, value)
    }

    /// An optional non-negative number: NaN when the column is absent or the cell empty. A `money` column
    /// (credit_limit) must also lie within `AmountRange`.
    mutating func optionalAmount(_ column: Int?, allowZero: Bool, money: Bool) -> Double? {
        guard let column else { return .nan }
        if withTrimmed(column, { $0.isEmpty }) { return .nan }
        guard let value = number(column) else { return nil }
        if value < 0 || (!allowZero && value == 0) { record(column, "negative amount \(display(column))"); return nil }
        return money && value > 0 ? checkMoneyRange(column, value) : value
    }

    /// `value` when it is a representable amount (`AmountRange`), else nil with the reason recorded.
    private mutating func checkMoneyRange(_ column: Int, _ value: Double) -> Double? {
        if value > AmountRange.maximum {
            record(column, "\(reader.header[column]) \(display(column)) is out of range: amounts are held exactly up to "
                   + AmountRange.maximumText)
            return nil
        }
        if value < AmountRange.smallestPositive {
            record(column, "\(reader.header[column]) \(display(column)) is below the smallest amount held, "
                   + "0.001 (amounts are held in thousandths of the currency unit)")
            return nil
        }
        return value
    }

    private mutating func number(_ column: Int) -> Double? {
        if let value = record.double(column), value.isFinite { return value }
        record(column, withTrimmed(column, { $0.isEmpty }) ? "empty \(reader.header[column])"
               : "\(reader.header[column]) is not a number: \"\(display(column))\"")
        return nil
    }

    /// A 0/1 flag: false when the column is absent or the cell empty.
    mutating func flag(_ column: Int?) -> Bool? {
        guard let column else { return false }
        let value: Bool?? = withTrimmed(column) { bytes in
            if bytes.isEmpty { return false }
            if bytes.count == 1 && bytes[0] == 48 { return false }
            if bytes.count == 1 && bytes[0] == 49 { return true }
            return .some(nil)
        }
        guard let flag = value ?? nil else {
            record(column, "\(reader.header[column]) must be 0 or 1, got \"\(display(column))\"")
            return nil
        }
        return flag
    }

    /// Do-not-call times (`DoNotCallTimes` format): none when the column is absent or the cell empty.
    mutating func doNotCallTimes(_ column: Int?) -> DoNotCallTimes? {
        guard let column else { return DoNotCallTimes() }
        guard let text = text(column, required: false) else { return nil }
        if text.isEmpty { return DoNotCallTimes() }
        do {
            return try DoNotCallTimes.parse(text)
        } catch let error as DoNotCallTimesError {
            record(column, "invalid \(reader.header[column]) \"\(display(column))\": \(error.reason)")
        } catch {
            record(column, "invalid \(reader.header[column]) \"\(display(column))\"")
        }
        return nil
    }

    /// A call outcome from the contract's list.
    mutating func outcome(_ column: Int) -> CallOutcome? {
        if let outcome = record.withFieldBytes(column, { CallOutcome.parse($0) }) { return outcome }
        record(column, "unknown outcome \"\(display(column))\" (expected one of "
               + CallOutcome.allCases.map(\.exportName).joined(separator: ", ") + ")")
        return nil
    }
}

/// The last id looked up in one column and the row it resolved to.
struct ReferenceCache {
    private var bytes: [UInt8] = []
    private var row: Int32 = -1

    /// The cached row when `candidate` equals the last id stored.
    @inline(__always)
    func lookup(_ candidate: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard row >= 0, candidate.count == bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { stored in
            for i in 0..<candidate.count where stored[i] != candidate[i] { return nil }
            return row
        }
    }

    mutating func store(_ id: UnsafeBufferPointer<UInt8>, row: Int32) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: id)
        self.row = row
    }
}

/// The amounts arscore holds exactly: features keep money as integers of thousandths of the currency unit
/// (`Int64`), and a `Double` carries every such integer exactly up to 2⁵³ (about 9 × 10¹⁵ thousandths).
/// Amounts above `maximum` (10¹² currency units) or below `smallestPositive` (0.0005, the smallest amount that
/// rounds to one thousandth rather than to zero) are quarantined at load, in every money column (invoices.amount, payments.amount,
/// promises.promised_amount, customers.credit_limit). The bound also leaves room for sums: a customer's
/// balance stays exact over more than 9,000 invoices at the maximum.
public enum AmountRange {
    /// Largest amount accepted: 1,000,000,000,000 currency units.
    public static let maximum: Double = 1e12
    /// Smallest amount accepted: 0.0005, which is held as 0.001 (one thousandth, the resolution of amounts).
    public static let smallestPositive: Double = 0.0005
    /// `maximum` for messages.
    public static let maximumText = "1,000,000,000,000 (10^12) currency units"
}
