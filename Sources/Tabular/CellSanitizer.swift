/// Guards text cells against spreadsheet formula injection (OWASP "CSV injection").
///
/// A spreadsheet that opens a CSV file runs a cell as a formula when its text starts with
/// `=`, `+`, `-` or `@` (or their full-width forms `＝ ＋ － ＠`), and some also after a leading
/// tab or carriage return. Such a cell gets a leading single quote `'`, which makes spreadsheets
/// show it as text; the quote is part of the cell for any other reader. Plain decimal numbers
/// (`-12.50`, `+3`, `-.5`, `-1e-5`) are left alone so that a negative balance stays a number.
public enum CellSanitizer {
    /// `value` unchanged, or with a leading `'` when a spreadsheet would read it as a formula.
    public static func neutralise(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, triggers(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    /// Whether a cell starting with `scalar` may be run as a formula.
    private static func triggers(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}": return true
        default: return false
        }
    }

    /// Whether `value` is exactly an ASCII decimal number: an optional sign, digits with an optional
    /// decimal point (at least one digit in all), and an optional exponent `e`/`E`, sign, digits.
    private static func isPlainNumber(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        var index = 0
        func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 48 && bytes[at] <= 57 }
        func skipDigits() -> Int {
            let start = index
            while isDigit(index) { index += 1 }
            return index - start
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
        var digits = skipDigits()
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            digits += skipDigits()
        }
        guard digits > 0 else { return false }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard skipDigits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
