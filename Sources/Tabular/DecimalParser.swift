#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fast, correctly rounded parser for decimal numbers in CSV cells.
///
/// Grammar (after trimming surrounding spaces and tabs):
/// `[+|-] digits [. [digits]] | [+|-] . digits`, optionally followed by `e|E [+|-] digits`.
/// Everything else is rejected (`nil`): empty text, `nan`, `inf`, hexadecimal, thousands separators,
/// a `,` decimal separator, and values whose magnitude overflows to infinity.
///
/// Results are bit-identical to `strtod`: an exact fast path handles up to 19 significant digits
/// when the mantissa is at most 2^53 and the power of ten is exactly representable (Clinger's fast path);
/// everything else is handed to `strtod` on a NUL-terminated copy of the validated text
/// (the process must keep the C numeric locale, which Swift programs do unless they call `setlocale`).
public enum DecimalParser {
    /// Parses `bytes` as a decimal number, or returns `nil` when it is not a finite number.
    @inlinable
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = bytes.baseAddress else { return nil }
        return parse(base, count: bytes.count)
    }

    /// Parses `count` bytes at `start` as a decimal number, or returns `nil` when they are not a finite number.
    @inlinable
    public static func parse(_ start: UnsafePointer<UInt8>, count: Int) -> Double? {
        var p = start
        var end = start + count
        // Trim surrounding spaces and tabs.
        while p < end && (p.pointee == 0x20 || p.pointee == 0x09) { p += 1 }
        while end > p && (end[-1] == 0x20 || end[-1] == 0x09) { end -= 1 }
        guard p < end else { return nil }
        let textStart = p
        guard let digits = scanNumber(&p, limit: TextEnd(end: end)), p == end else { return nil }
        return exactValue(digits) ?? slowPath(textStart, count: end - textStart)
    }

    /// Parses the longest number at `start` in a buffer that is known to hold a byte that cannot belong to a number
    /// (for example a NUL sentinel) after the data, and at least 8 readable bytes past any digit.
    ///
    /// No trimming: the text must start with the sign or a digit or `.`. Returns the value and the first byte after
    /// the number, or `nil` when no number starts at `start`. Gives exactly the value `parse` gives for the same text.
    @inline(__always)
    static func parsePrefix(_ start: UnsafePointer<UInt8>) -> (value: Double, next: UnsafePointer<UInt8>)? {
        var p = start
        guard let digits = scanNumber(&p, limit: Sentinel()) else { return nil }
        guard let value = exactValue(digits) ?? slowPath(start, count: p - start) else { return nil }
        return (value, p)
    }

    // MARK: - Scanning, shared by `parse` and `parsePrefix`

    /// Scans `[+|-] digits [. [digits]] | [+|-] . digits`, then an optional `e|E [+|-] digits`, and moves `p` past them.
    ///
    /// Returns `nil` when no digit comes before the exponent or the exponent has no digits.
    @inlinable @inline(__always)
    static func scanNumber<Limit: DecimalScanLimit>(_ p: inout UnsafePointer<UInt8>, limit: Limit) -> ScannedDecimal? {
        var number = ScannedDecimal()
        if limit.allows(p) && (p.pointee == 0x2D || p.pointee == 0x2B) {  // '-' or '+'
            number.negative = p.pointee == 0x2D
            p += 1
        }
        guard scanSignificand(&p, limit: limit, into: &number) else { return nil }
        guard scanExponent(&p, limit: limit, into: &number) else { return nil }
        return number
    }

    /// Scans the integer and fraction digits into `number`'s mantissa, exponent and significant-digit count; returns
    /// whether there was at least one digit.
    ///
    /// Every digit after the leading zeros goes into the mantissa, which wraps past 19 significant digits (then
    /// `exactValue` declines and the text goes to `strtod`). Fraction digits are taken eight at a time while they last
    /// and `limit` allows.
    @inlinable @inline(__always)
    static func scanSignificand<Limit: DecimalScanLimit>(
        _ p: inout UnsafePointer<UInt8>, limit: Limit, into number: inout ScannedDecimal
    ) -> Bool {
        let integerStart = p
        while limit.allows(p) && p.pointee == 0x30 { p += 1 }
        let significantStart = p
        var mantissa: UInt64 = 0
        scanDigits(&p, limit: limit, into: &mantissa)
        var significantDigits = p - significantStart
        var sawDigit = p != integerStart
        var exponent = 0
        if limit.allows(p) && p.pointee == 0x2E {  // '.'
            p += 1
            let fractionStart = p
            if mantissa == 0 {
                while limit.allows(p) && p.pointee == 0x30 { p += 1 }
            }
            let fractionSignificant = p
            while limit.allowsWord(p) {
                let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                // All eight bytes are '0'...'9' exactly when no byte of `low` is above 9 (checked without borrows).
                if (word & 0xF0F0_F0F0_F0F0_F0F0) != 0x3030_3030_3030_3030
                    || ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) != 0x3030_3030_3030_3030 {
                    break
                }
                mantissa = mantissa &* 100_000_000 &+ DecimalParser.eightDigits(word &- 0x3030_3030_3030_3030)
                p += 8
            }
            scanDigits(&p, limit: limit, into: &mantissa)
            significantDigits += p - fractionSignificant
            exponent = fractionStart - p
            sawDigit = sawDigit || p != fractionStart
        }
        number.mantissa = mantissa
        number.significantDigits = significantDigits
        number.exponent = exponent
        return sawDigit
    }

    /// Appends the decimal digits at `p` to `mantissa` (wrapping) and moves `p` past them.
    @inlinable @inline(__always)
    static func scanDigits<Limit: DecimalScanLimit>(
        _ p: inout UnsafePointer<UInt8>, limit: Limit, into mantissa: inout UInt64
    ) {
        while limit.allows(p) {
            let d = p.pointee &- 0x30
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            p += 1
        }
    }

    /// Scans an optional `e|E [+|-] digits` and adds it to `number.exponent`; returns `false` when it has no digits.
    ///
    /// Exponent digits past 1,000,000 are ignored (any such power of ten is out of range anyway).
    @inlinable @inline(__always)
    static func scanExponent<Limit: DecimalScanLimit>(
        _ p: inout UnsafePointer<UInt8>, limit: Limit, into number: inout ScannedDecimal
    ) -> Bool {
        guard limit.allows(p) && (p.pointee | 0x20) == 0x65 else { return true }  // 'e' or 'E'
        p += 1
        var negativeExponent = false
        if limit.allows(p) && (p.pointee == 0x2D || p.pointee == 0x2B) {
            negativeExponent = p.pointee == 0x2D
            p += 1
        }
        var value = 0
        let exponentStart = p
        while limit.allows(p) {
            let d = p.pointee &- 0x30
            if d > 9 { break }
            if value < 1_000_000 { value = value &* 10 &+ Int(d) }
            p += 1
        }
        guard p != exponentStart else { return false }
        number.exponent += negativeExponent ? -value : value
        return true
    }

    /// The correctly rounded value of `number` when one exact IEEE operation gives it (Clinger's fast path: at most
    /// 19 significant digits, a mantissa of at most 2^53 and an exactly representable power of ten), else `nil`.
    @inlinable @inline(__always)
    static func exactValue(_ number: ScannedDecimal) -> Double? {
        if number.significantDigits > 19 { return nil }  // the mantissa may have wrapped
        let mantissa = number.mantissa, exponent = number.exponent
        if mantissa == 0 { return number.negative ? -0.0 : 0.0 }
        guard mantissa <= 1 << 53 else { return nil }
        let magnitude: Double
        if exponent < 0 && exponent >= -22 {
            magnitude = Double(mantissa) / DecimalParser.powersOfTen[-exponent]
        } else if exponent >= 0 && exponent <= 22 {
            magnitude = Double(mantissa) * DecimalParser.powersOfTen[exponent]
        } else if exponent > 22 && exponent <= 22 + 15 {
            // Move surplus powers of ten into the mantissa while it stays exact.
            let (scaled, overflow) = mantissa.multipliedReportingOverflow(
                by: DecimalParser.integerPowersOfTen[exponent - 22])
            guard !overflow && scaled <= 1 << 53 else { return nil }
            magnitude = Double(scaled) * 1e22
        } else {
            return nil
        }
        return number.negative ? -magnitude : magnitude
    }

    /// The value of eight decimal digits, given as bytes 0...9 in memory order (first digit in the lowest byte).
    @inlinable @inline(__always)
    static func eightDigits(_ digits: UInt64) -> UInt64 {
        // Pairs, then quads, then the whole: see "Faster integer parsing" (Lemire).
        let pairs = (digits &* 10) &+ (digits >> 8)
        let masked = pairs & 0x0000_00FF_0000_00FF
        let high = (pairs >> 16) & 0x0000_00FF_0000_00FF
        return ((masked &* (100 &+ (1_000_000 << 32))) &+ (high &* (1 &+ (10_000 << 32)))) >> 32
    }

    /// Exact powers of ten 10^0 ... 10^22 as `Double`.
    @usableFromInline
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Powers of ten 10^0 ... 10^15 as integers.
    @usableFromInline
    static let integerPowersOfTen: [UInt64] = {
        var table: [UInt64] = [1]
        for _ in 1...15 { table.append(table[table.count - 1] * 10) }
        return table
    }()

    /// Converts already validated text with `strtod` on a temporary NUL-terminated copy; rejects infinities.
    @usableFromInline
    static func slowPath(_ start: UnsafePointer<UInt8>, count: Int) -> Double? {
        let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: start, byteCount: count)
            base[count] = 0
            return strtod(base, nil)
        }
        return value.isFinite ? value : nil
    }
}

/// The sign, digits and decimal exponent of a scanned number: its value is ±`mantissa` × 10^`exponent` while
/// `significantDigits` ≤ 19.
@usableFromInline
struct ScannedDecimal {
    @usableFromInline var negative = false
    /// The significant digits as an integer (wrapped modulo 2^64 past 19 digits).
    @usableFromInline var mantissa: UInt64 = 0
    @usableFromInline var exponent = 0
    /// Digits from the first non-zero one on, trailing zeros included.
    @usableFromInline var significantDigits = 0

    @inlinable init() {}
}

/// How far a number scan may read.
@usableFromInline
protocol DecimalScanLimit {
    /// Whether the byte at `p` may be read.
    func allows(_ p: UnsafePointer<UInt8>) -> Bool
    /// Whether the eight bytes from `p` on may be read at once.
    func allowsWord(_ p: UnsafePointer<UInt8>) -> Bool
}

/// A scan of text that ends at `end` (`DecimalParser.parse`), one byte at a time: cells are short, and the
/// eight-digit steps would cost a bounds check and registers in every call.
@usableFromInline
struct TextEnd: DecimalScanLimit {
    @usableFromInline let end: UnsafePointer<UInt8>

    @inlinable init(end: UnsafePointer<UInt8>) { self.end = end }

    @inlinable @inline(__always)
    func allows(_ p: UnsafePointer<UInt8>) -> Bool { p < end }

    @inlinable @inline(__always)
    func allowsWord(_ p: UnsafePointer<UInt8>) -> Bool { false }
}

/// A scan of a buffer whose data is followed by a byte that ends any number and 8 more readable bytes
/// (`DecimalParser.parsePrefix`): every read is allowed, the scan stops at that byte.
struct Sentinel: DecimalScanLimit {
    @inline(__always)
    func allows(_ p: UnsafePointer<UInt8>) -> Bool { true }

    @inline(__always)
    func allowsWord(_ p: UnsafePointer<UInt8>) -> Bool { true }
}
