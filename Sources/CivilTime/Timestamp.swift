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
