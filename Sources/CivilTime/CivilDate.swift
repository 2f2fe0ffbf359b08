/// Calendar dates and instants as plain integers, parsed straight from CSV bytes.
///
/// A date is the number of days since 1970-01-01 (proleptic Gregorian, `Int32`); an
/// instant is seconds since 1970-01-01T00:00:00Z (`Int64`). Integer dates make
/// "dated before T" a comparison and keep the columnar tables compact.
public enum CivilDate {
    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    @inlinable
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int32(era * 146_097 + dayOfEra - 719_468)
    }

    /// The civil date of a day number.
    public static func components(_ dayNumber: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(dayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Weekday of a day number: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    @inlinable
    public static func weekday(_ dayNumber: Int32) -> Int {
        let shifted = (Int(dayNumber) + 3) % 7
        return shifted < 0 ? shifted + 7 : shifted
    }

    /// Number of days in `month` of `year`.
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses exactly `YYYY-MM-DD` (surrounding spaces allowed); nil for anything else or an impossible date.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var start = 0, end = bytes.count
        while start < end && bytes[start] == 32 { start += 1 }
        while end > start && bytes[end - 1] == 32 { end -= 1 }
        guard end - start == 10, bytes[start + 4] == 45, bytes[start + 7] == 45,
              let year = digits(bytes, start, 4), let month = digits(bytes, start + 5, 2),
              let day = digits(bytes, start + 8, 2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return dayNumber(year: year, month: month, day: day)
    }

    /// Parses a date from text (convenience for configuration and command-line options).
    public static func parse(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// `YYYY-MM-DD` for a day number.
    public static func format(_ dayNumber: Int32) -> String {
        let (year, month, day) = components(dayNumber)
        return zeroPadded(year, 4) + "-" + zeroPadded(month, 2) + "-" + zeroPadded(day, 2)
    }

    /// The decimal value of `count` ASCII digits at `offset`, or nil if any is not a digit.
    @inlinable
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> Int? {
        var value = 0
        for i in offset..<(offset + count) {
            let digit = Int(bytes[i]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// The day number of exactly `YYYY-MM-DD` (no spaces, a real date); nil otherwise. Strict, for text that becomes
    /// a folder name.
    public static func parseExact(_ text: String) -> Int32? {
        guard let day = parse(text), format(day) == text else { return nil }
        return day
    }

    /// The same day of the month `months` calendar months later (negative: earlier), clamped to the month's end.
    public static func addingMonths(_ months: Int, to dayNumber: Int32) -> Int32 {
        let (year, month, day) = components(dayNumber)
        let index = year * 12 + (month - 1) + months
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        return self.dayNumber(year: newYear, month: newMonth, day: min(day, daysInMonth(year: newYear, month: newMonth)))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of an instant in whole seconds since 1970-01-01T00:00:00Z.
    public static func formatInstant(_ seconds: Int64) -> String {
        let day = Timestamp.utcDay(seconds)
        let second = Int(seconds - Int64(day) * 86_400)
        return format(day) + "T" + zeroPadded(second / 3600, 2) + ":" + zeroPadded(second / 60 % 60, 2) + ":"
            + zeroPadded(second % 60, 2) + "Z"
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    public static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
