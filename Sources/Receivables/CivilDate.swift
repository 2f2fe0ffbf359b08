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
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
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
}

/// ISO 8601 timestamps with an explicit offset, as seconds since the Unix epoch (UTC).
public enum Timestamp {
    /// Why a timestamp cell was rejected.
    public enum ParseFailure: Error, Equatable {
        /// Not of the form `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by an offset.
        case malformed
        /// A well-formed local time with no `Z` or `±HH:MM`: ambiguous, so rejected.
        case missingOffset
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM|±HHMM|±HH)` (a space may replace `T`).
    /// Fractions of a second are truncated.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Int64, ParseFailure> {
        var start = 0, end = bytes.count
        while start < end && bytes[start] == 32 { start += 1 }
        while end > start && bytes[end - 1] == 32 { end -= 1 }
        guard end - start >= 16 else { return .failure(.malformed) }
        let datePart = UnsafeBufferPointer(rebasing: bytes[start..<(start + 10)])
        guard let day = CivilDate.parse(datePart),
              bytes[start + 10] == UInt8(ascii: "T") || bytes[start + 10] == UInt8(ascii: "t") || bytes[start + 10] == 32,
              let hour = CivilDate.digits(bytes, start + 11, 2), bytes[start + 13] == 58,
              let minute = CivilDate.digits(bytes, start + 14, 2), hour <= 23, minute <= 59
        else { return .failure(.malformed) }
        var i = start + 16
        var second = 0
        if i < end && bytes[i] == 58 {
            guard i + 3 <= end, let parsed = CivilDate.digits(bytes, i + 1, 2), parsed <= 60 else { return .failure(.malformed) }
            second = min(parsed, 59)
            i += 3
            if i < end && (bytes[i] == 46 || bytes[i] == 44) {
                i += 1
                let fractionStart = i
                while i < end && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
                guard i > fractionStart else { return .failure(.malformed) }
            }
        }
        let local = Int64(day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        guard i < end else { return .failure(.missingOffset) }
        let sign = bytes[i]
        if (sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z")) && i + 1 == end { return .success(local) }
        guard sign == 43 || sign == 45 else { return .failure(.malformed) }
        let remaining = end - i - 1
        var offsetMinutes: Int
        if remaining == 2, let h = CivilDate.digits(bytes, i + 1, 2) {
            offsetMinutes = h * 60
        } else if remaining == 4, let h = CivilDate.digits(bytes, i + 1, 2), let m = CivilDate.digits(bytes, i + 3, 2) {
            offsetMinutes = h * 60 + m
        } else if remaining == 5, bytes[i + 3] == 58, let h = CivilDate.digits(bytes, i + 1, 2),
                  let m = CivilDate.digits(bytes, i + 4, 2) {
            offsetMinutes = h * 60 + m
        } else {
            return .failure(.malformed)
        }
        guard offsetMinutes <= 18 * 60 else { return .failure(.malformed) }
        if sign == 45 { offsetMinutes = -offsetMinutes }
        return .success(local - Int64(offsetMinutes) * 60)
    }

    /// The UTC day number of an instant.
    @inlinable
    public static func utcDay(_ seconds: Int64) -> Int32 {
        Int32((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
    }
}
