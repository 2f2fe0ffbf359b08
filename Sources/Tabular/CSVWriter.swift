import Foundation

/// Builds RFC 4180 CSV text in memory: a header, then rows of cells, `\n` line ends, UTF-8.
///
/// Cells that contain a comma, a quote, CR or LF are quoted with `"` doubled. Every text cell passes through
/// `CellSanitizer.neutralise` (spreadsheet formulas get a leading `'`), so each CSV file arscore writes follows
/// one neutralising rule; plain numbers are unchanged.
/// Numbers are written in Swift's shortest round-trip form, so re-reading a value gives
/// the same `Double` bit for bit and the output is deterministic.
public struct CSVWriter {
    /// The encoded bytes so far.
    public private(set) var bytes: [UInt8] = []
    private let columnCount: Int
    private var cellsInRow = 0

    /// Starts a file with the given header row.
    public init(header: [String], reservingCapacity capacity: Int = 0) {
        columnCount = header.count
        bytes.reserveCapacity(capacity)
        for name in header { appendCell(name) }
        endRow()
    }

    /// Appends one text cell to the current row, neutralised against spreadsheet formulas (`CellSanitizer`).
    public mutating func appendCell(_ text: String) {
        appendVerbatim(CellSanitizer.neutralise(text))
    }

    /// Appends a cell arscore formatted itself (a number, a date): no formula check needed.
    private mutating func appendVerbatim(_ text: String) {
        if cellsInRow > 0 { bytes.append(UInt8(ascii: ",")) }
        cellsInRow += 1
        let utf8 = text.utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if needsQuotes {
            bytes.append(UInt8(ascii: "\""))
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends one numeric cell (shortest round-trip decimal; NaN/∞ are written as empty cells).
    public mutating func appendCell(_ value: Double) {
        appendVerbatim(value.isFinite ? Self.format(value) : "")
    }

    /// Appends one numeric cell with exactly `decimals` digits after the point (0 … 9), rounded half away from
    /// zero; NaN/∞ and magnitudes of 1e15 or more are written as empty cells. Deterministic and allocation-free.
    public mutating func appendCell(_ value: Double, decimals: Int) {
        precondition((0...9).contains(decimals), "decimals must be 0 … 9")
        if cellsInRow > 0 { bytes.append(UInt8(ascii: ",")) }
        cellsInRow += 1
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard value.isFinite, abs(value) < 1e15, scaled < 9e18 else { return }
        var units = UInt64(scaled)
        if value < 0 && units > 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(units % 10)
                units /= 10
                count += 1
            } while units > 0 || count <= decimals
            for position in stride(from: count - 1, through: 0, by: -1) {
                bytes.append(buffer[position])
                if position == decimals && decimals > 0 { bytes.append(UInt8(ascii: ".")) }
            }
        }
    }

    /// Appends one integer cell.
    public mutating func appendCell(_ value: Int) {
        appendVerbatim(String(value))
    }

    /// Empties the text written so far (keeping its memory), to write a long file in parts: rows appended next
    /// follow on from the rows already taken.
    public mutating func removeAllBytes() {
        precondition(cellsInRow == 0, "a row is not finished")
        bytes.removeAll(keepingCapacity: true)
    }

    /// Ends the current row with `\n`.
    public mutating func endRow() {
        precondition(cellsInRow == columnCount, "row has \(cellsInRow) cells, header has \(columnCount)")
        bytes.append(10)
        cellsInRow = 0
    }

    /// The text as `Data`.
    public var data: Data { Data(bytes) }

    /// Shortest round-trip decimal text of a finite double (`1.0` is written `1`).
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }
}
