import CallGrid
import CivilTime
import Foundation

/// Finds the next occurrence of a weekly two-hour call window in an account's time zone.
///
/// Conventions:
/// - The as-of date is a calendar date (`YYYY-MM-DD`, or a day number: days since 1970-01-01,
///   as in `Receivables.CivilDate`) read as a *local* date in each account's zone.
/// - A window is a weekday (0 = Monday … 6 = Sunday; the default grid uses 0…4) and a local start
///   hour (0…22; the default grid uses 8, 10, 12, 14, 16); it lasts `windowHours` (2) hours.
/// - The occurrence is the first one whose local date is on or after the as-of date: a window on
///   the as-of date's own weekday is on the as-of date itself, whatever time the run happens.
/// - The local start is converted to UTC with Foundation's `TimeZone` (the IANA tz database), so
///   daylight-saving changes between the as-of date and the window are accounted for. A start
///   that does not exist (inside a spring-forward gap) moves forward to the first valid instant,
///   the end of the gap; a start that occurs twice (in a fall-back overlap) takes the first.
///
/// Results are cached per (zone, weekday, start hour), so a million accounts in a few dozen zones
/// cost a few dozen time-zone computations. Safe to share between threads.
public final class WindowClock: @unchecked Sendable {
    /// The as-of date, in days since 1970-01-01.
    public let asOfDay: Int
    /// The length of every window, in hours.
    public static let windowHours = CallWindows.windowHours


    /// A cache key: the zone id and the window's slot in the week (weekday × 24 + start hour).
    private struct Key: Hashable {
        let zone: String
        let slot: Int
    }

    private let lock = NSLock()
    private var zones: [String: TimeZone] = [:]
    private var occurrences: [Key: CallWindow] = [:]

    /// A clock for the as-of date given as a day number (days since 1970-01-01).
    public init(asOfDay: Int) {
        self.asOfDay = asOfDay
    }

    /// A clock for the as-of date given as `YYYY-MM-DD`.
    /// - Throws: `WindowClockError.invalidDate` for anything else or an impossible date.
    public convenience init(asOf: String) throws {
        guard let day = CivilDate.parseExact(asOf).map(Int.init) else { throw WindowClockError.invalidDate(asOf) }
        self.init(asOfDay: day)
    }

    /// The first occurrence, on or after the as-of date in `zone`, of the window starting at local
    /// `startHour`:00 on `weekday` (0 = Monday).
    /// - Parameter zone: an IANA time-zone id such as `Europe/Madrid`.
    /// - Throws: `WindowClockError.unknownTimeZone` naming the id; `.invalidWindow` for a weekday
    ///   outside 0…6 or a start hour outside 0…22.
    public func window(zone: String, weekday: Int, startHour: Int) throws -> CallWindow {
        guard (0...6).contains(weekday), (0...(24 - Self.windowHours)).contains(startHour) else {
            throw WindowClockError.invalidWindow(weekday: weekday, startHour: startHour)
        }
        let key = Key(zone: zone, slot: weekday * 24 + startHour)
        lock.lock()
        defer { lock.unlock() }
        if let cached = occurrences[key] { return cached }
        let timeZone = try resolve(zone)
        let day = asOfDay + (weekday - CivilDate.weekday(Int32(asOfDay)) + 7) % 7
        let start = Self.firstInstant(localSeconds: day * 86_400 + startHour * 3600, in: timeZone)
        let occurrence = CallWindow(
            local: Self.label(weekday: weekday, startHour: startHour),
            startUTC: CivilDate.formatInstant(Int64(start)),
            startSeconds: start,
            localDay: day
        )
        occurrences[key] = occurrence
        return occurrence
    }

    /// The first instant (seconds since the epoch) at which `zone`'s clock shows `localSeconds` (seconds since
    /// 1970-01-01T00:00 local); a time in a spring-forward gap moves to the end of the gap.
    /// - Throws: `WindowClockError.unknownTimeZone` naming the id.
    public func instant(localSeconds: Int, zone: String) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        return Self.firstInstant(localSeconds: localSeconds, in: try resolve(zone))
    }

    /// The offset of `zone` from UTC at `instant` (seconds, east positive).
    /// - Throws: `WindowClockError.unknownTimeZone` naming the id.
    public func offset(at instant: Int, zone: String) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        return try resolve(zone).secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// The `window_local` label of a window: `"Tue 10:00-12:00"` for weekday 1, start hour 10.
    public static func label(weekday: Int, startHour: Int) -> String {
        CallWindows.weekdayAbbreviations[weekday] + " " + CivilDate.zeroPadded(startHour, 2) + ":00-"
            + CivilDate.zeroPadded(startHour + windowHours, 2) + ":00"
    }

    /// The time zone for an IANA id, looked up once per id (the caller holds the lock).
    private func resolve(_ zone: String) throws -> TimeZone {
        if let known = zones[zone] { return known }
        guard let timeZone = TimeZone(identifier: zone) else { throw WindowClockError.unknownTimeZone(zone) }
        zones[zone] = timeZone
        return timeZone
    }

    /// The first instant (seconds since the epoch) at which the clock in `zone` shows the local
    /// time `localSeconds` (seconds since 1970-01-01T00:00 local), or the end of the gap when the
    /// clock skips it. Assumes at most one offset change within a day either side.
    static func firstInstant(localSeconds local: Int, in zone: TimeZone) -> Int {
        func offset(_ instant: Int) -> Int {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        }
        let before = offset(local - 86_400), after = offset(local + 86_400)
        let candidates = [before, after, offset(local - before), offset(local - after)]
        var earliest: Int?
        for candidate in candidates {
            let instant = local - candidate
            if offset(instant) == candidate { earliest = min(earliest ?? instant, instant) }
        }
        if let earliest { return earliest }
        // A gap: the clock jumps over `local`. The jump lies between the instants that `local`
        // would be under the offset after (earlier instant) and before (later instant) it.
        var low = local - after, high = local - before
        let offsetBefore = offset(low)
        guard low < high, offset(high) != offsetBefore else { return local - before }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(middle) == offsetBefore { low = middle } else { high = middle }
        }
        return high
    }
}

/// Why a call window could not be placed: the offending value, in one line.
public enum WindowClockError: Error, CustomStringConvertible, Equatable {
    /// The zone id is not known to the time-zone database.
    case unknownTimeZone(String)
    /// The as-of text is not a `YYYY-MM-DD` date.
    case invalidDate(String)
    /// The weekday is outside 0…6 or the start hour outside 0…22.
    case invalidWindow(weekday: Int, startHour: Int)

    public var description: String {
        switch self {
        case .unknownTimeZone(let zone):
            return "unknown time zone \"\(zone)\" (expected an IANA id such as Europe/Madrid)"
        case .invalidDate(let text):
            return "invalid as-of date \"\(text)\" (expected YYYY-MM-DD)"
        case .invalidWindow(let weekday, let startHour):
            return "invalid call window: weekday \(weekday), start hour \(startHour) "
                + "(weekday 0 = Monday … 6 = Sunday, start hour 0…\(24 - WindowClock.windowHours))"
        }
    }
}
