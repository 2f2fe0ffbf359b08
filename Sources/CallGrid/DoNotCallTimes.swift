/// The times a customer asked not to be called (customers.csv `do_not_call_times`), in customer-local time.
///
/// Text form: entries separated by `;`, each `[DAY[-DAY]] HH:MM-HH:MM` with DAY one of Mon … Sun (a day range may
/// wrap, `Sat-Mon`; no day = every day), times from 00:00 to 24:00 with the end after the start (a range across
/// midnight is written as two entries). Spaces around entries and parts are ignored; empty = no restriction.
/// Example: `Mon-Fri 08:00-10:00; Sat 09:00-12:00; 12:00-13:00`.
public struct DoNotCallTimes: Sendable, Equatable {
    /// One do-not-call range: the local weekdays it applies to (bit d = weekday d, 0 = Monday … 6 = Sunday) and its
    /// local start and end, in minutes after midnight (start < end ≤ 1440).
    public struct Range: Sendable, Equatable {
        public var weekdays: UInt8
        public var startMinute: Int
        public var endMinute: Int

        public init(weekdays: UInt8, startMinute: Int, endMinute: Int) {
            self.weekdays = weekdays
            self.startMinute = startMinute
            self.endMinute = endMinute
        }
    }

    /// The ranges, in text order (empty = the customer may be called at any time).
    public var ranges: [Range] = []

    public init(ranges: [Range] = []) { self.ranges = ranges }

    public var isEmpty: Bool { ranges.isEmpty }

    /// The call windows (`CallWindows` order) that overlap any range, bit w = window w: a window touching a
    /// do-not-call range for even a minute is blocked whole.
    public var blockedWindows: UInt32 {
        var mask: UInt32 = 0
        for window in 0..<CallWindows.count {
            let weekday = CallWindows.weekday(ofWindow: window)
            let start = CallWindows.startHours[CallWindows.slot(ofWindow: window)] * 60
            let end = start + CallWindows.windowHours * 60
            if ranges.contains(where: { $0.weekdays & (1 << weekday) != 0 && $0.startMinute < end && $0.endMinute > start }) {
                mask |= 1 << UInt32(window)
            }
        }
        return mask
    }

    /// The mask with every call window blocked.
    public static let allWindows: UInt32 = (1 << UInt32(CallWindows.count)) - 1

    /// Parses the text form.
    /// - Throws: `DoNotCallTimesError` saying which entry is malformed and why.
    public static func parse(_ text: String) throws -> DoNotCallTimes {
        var ranges = [Range]()
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return DoNotCallTimes() }
        for (number, rawEntry) in trimmed.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            let entry = String(rawEntry).trimmingSpaces
            func fail(_ reason: String) -> DoNotCallTimesError {
                DoNotCallTimesError(reason: "entry \(number + 1) \"\(entry)\": \(reason)")
            }
            guard !entry.isEmpty else { throw fail("empty entry (expected [DAY[-DAY]] HH:MM-HH:MM)") }
            let parts = entry.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count <= 2 else { throw fail("expected [DAY[-DAY]] HH:MM-HH:MM") }
            var weekdays: UInt8 = 0x7F
            if parts.count == 2 {
                guard let days = Self.days(parts[0]) else {
                    throw fail("unknown day or day range \"\(parts[0])\" (expected Mon … Sun or DAY-DAY, e.g. Mon-Fri)")
                }
                weekdays = days
            }
            let times = parts[parts.count - 1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard times.count == 2, let start = Self.minute(times[0]), let end = Self.minute(times[1]) else {
                throw fail("invalid time range \"\(parts[parts.count - 1])\" (expected HH:MM-HH:MM, 00:00 … 24:00)")
            }
            guard end > start else {
                throw fail("the end \(times[1]) is not after the start \(times[0]) (split a range across midnight in two)")
            }
            ranges.append(Range(weekdays: weekdays, startMinute: start, endMinute: end))
        }
        return DoNotCallTimes(ranges: ranges)
    }

    /// The weekday bits of `Mon` or `Mon-Fri` (wrapping: `Sat-Mon` = Sat, Sun, Mon), nil when malformed.
    static func days(_ text: String) -> UInt8? {
        let names = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard names.count == 1 || names.count == 2 else { return nil }
        let indices = names.compactMap { CallWindows.weekdayAbbreviations.firstIndex(of: $0) }
        guard indices.count == names.count else { return nil }
        var bits: UInt8 = 0, day = indices[0]
        while true {
            bits |= 1 << UInt8(day)
            if day == indices[indices.count - 1] { return bits }
            day = (day + 1) % 7
        }
    }

    /// Minutes after midnight of `HH:MM` (two digits each, 00:00 … 24:00), nil when malformed.
    static func minute(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              bytes.enumerated().allSatisfy({ $0.offset == 2 || (48...57).contains($0.element) }) else { return nil }
        let hour = Int(bytes[0] - 48) * 10 + Int(bytes[1] - 48), minute = Int(bytes[3] - 48) * 10 + Int(bytes[4] - 48)
        guard minute < 60, hour < 24 || (hour == 24 && minute == 0) else { return nil }
        return hour * 60 + minute
    }
}

/// A `do_not_call_times` value that does not follow the format: which entry and why.
public struct DoNotCallTimesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

extension String {
    /// The text without spaces and tabs at either end.
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
