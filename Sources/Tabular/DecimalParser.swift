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

        var negative = false
        if p.pointee == 0x2D {  // '-'
            negative = true
            p += 1
        } else if p.pointee == 0x2B {  // '+'
            p += 1
        }

        var mantissa: UInt64 = 0
        var significantDigits = 0  // digits stored in `mantissa` (leading zeros excluded)
        var exponent = 0  // decimal exponent to apply to `mantissa`
        var truncated = false  // a non-zero digit did not fit into `mantissa`
        var sawDigit = false

        // Integer part.
        while p < end {
            let d = p.pointee &- 0x30
            if d > 9 { break }
            sawDigit = true
            if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significantDigits += 1 }
            } else {
                exponent += 1
                if d != 0 { truncated = true }
            }
            p += 1
        }
        // Fraction part.
        if p < end && p.pointee == 0x2E {  // '.'
            p += 1
            while p < end {
                let d = p.pointee &- 0x30
                if d > 9 { break }
                sawDigit = true
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significantDigits += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                p += 1
            }
        }
        guard sawDigit else { return nil }

        // Exponent part.
        if p < end && (p.pointee | 0x20) == 0x65 {  // 'e' or 'E'
            p += 1
            var negativeExponent = false
            if p < end && (p.pointee == 0x2D || p.pointee == 0x2B) {
                negativeExponent = p.pointee == 0x2D
                p += 1
            }
            guard p < end else { return nil }
            var value = 0
            var sawExponentDigit = false
            while p < end {
                let d = p.pointee &- 0x30
                if d > 9 { break }
                sawExponentDigit = true
                if value < 1_000_000 { value = value * 10 + Int(d) }
                p += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += negativeExponent ? -value : value
        }
        guard p == end else { return nil }

        if mantissa == 0 && !truncated {
            return negative ? -0.0 : 0.0
        }
        if !truncated && mantissa <= 1 << 53 {
            // Clinger's fast path: both operands are exact, so one IEEE operation rounds correctly.
            if exponent >= 0 && exponent <= 22 {
                let value = Double(mantissa) * DecimalParser.powersOfTen[exponent]
                return negative ? -value : value
            }
            if exponent < 0 && exponent >= -22 {
                let value = Double(mantissa) / DecimalParser.powersOfTen[-exponent]
                return negative ? -value : value
            }
            if exponent > 22 && exponent <= 22 + 15 {
                // Move surplus powers of ten into the mantissa while it stays exact.
                let (scaled, overflow) = mantissa.multipliedReportingOverflow(
                    by: DecimalParser.integerPowersOfTen[exponent - 22])
                if !overflow && scaled <= 1 << 53 {
                    let value = Double(scaled) * 1e22
                    return negative ? -value : value
                }
            }
        }
        return slowPath(textStart, count: end - textStart)
    }

    /// Parses the longest number at `start` in a buffer that is known to hold a byte that cannot belong to a number
    /// (for example a NUL sentinel) after the data, and at least 8 readable bytes past any digit.
    ///
    /// No trimming: the text must start with the sign or a digit or `.`. Returns the value and the first byte after
    /// the number, or `nil` when no number starts at `start`. Gives exactly the value `parse` gives for the same text.
    @inline(__always)
    static func parsePrefix(_ start: UnsafePointer<UInt8>) -> (value: Double, next: UnsafePointer<UInt8>)? {
        var p = start
        var negative = false
        if p.pointee == 0x2D {
            negative = true
            p += 1
        } else if p.pointee == 0x2B {
            p += 1
        }
        let integerStart = p
        while p.pointee == 0x30 { p += 1 }
        let significantStart = p
        var mantissa: UInt64 = 0
        while true {
            let d = p.pointee &- 0x30
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            p += 1
        }
        var significantDigits = p - significantStart
        var sawDigit = p != integerStart
        var exponent = 0
        if p.pointee == 0x2E {
            p += 1
            let fractionStart = p
            if mantissa == 0 {
                while p.pointee == 0x30 { p += 1 }
            }
            let fractionSignificant = p
            // Eight digits at a time while they last.
            while true {
                let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                let low = word &- 0x3030_3030_3030_3030
                // All eight bytes are '0'...'9' exactly when no byte of `low` is above 9 (checked without borrows).
                if (word & 0xF0F0_F0F0_F0F0_F0F0) != 0x3030_3030_3030_3030
                    || ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) != 0x3030_3030_3030_3030 {
                    break
                }
                mantissa = mantissa &* 100_000_000 &+ DecimalParser.eightDigits(low)
                p += 8
            }
            while true {
                let d = p.pointee &- 0x30
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                p += 1
            }
            significantDigits += p - fractionSignificant
            exponent = fractionStart - p
            sawDigit = sawDigit || p != fractionStart
        }
        guard sawDigit else { return nil }
        if (p.pointee | 0x20) == 0x65 {
            p += 1
            var negativeExponent = false
            if p.pointee == 0x2D || p.pointee == 0x2B {
                negativeExponent = p.pointee == 0x2D
                p += 1
            }
            var value = 0
            let exponentStart = p
            while true {
                let d = p.pointee &- 0x30
                if d > 9 { break }
                if value < 1_000_000 { value = value &* 10 &+ Int(d) }
                p += 1
            }
            guard p != exponentStart else { return nil }
            exponent += negativeExponent ? -value : value
        }
        if significantDigits > 19 {
            // The mantissa may have wrapped: let the careful parser handle the exact text.
            guard let value = parse(start, count: p - start) else { return nil }
            return (value, p)
        }
        if mantissa == 0 {
            return (negative ? -0.0 : 0.0, p)
        }
        if mantissa <= 1 << 53 {
            if exponent < 0 && exponent >= -22 {
                let value = Double(mantissa) / DecimalParser.powersOfTen[-exponent]
                return (negative ? -value : value, p)
            }
            if exponent >= 0 && exponent <= 22 {
                let value = Double(mantissa) * DecimalParser.powersOfTen[exponent]
                return (negative ? -value : value, p)
            }
        }
        guard let value = parse(start, count: p - start) else { return nil }
        return (value, p)
    }

    /// The value of eight decimal digits, given as bytes 0...9 in memory order (first digit in the lowest byte).
    @inline(__always)
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
