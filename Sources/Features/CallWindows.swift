import Foundation
import Receivables

/// The 25 default local call windows of DESIGN.md: Monday–Friday × 08–10, 10–12, 12–14, 14–16, 16–18,
/// in customer-local time, numbered weekday-major (0 = "Mon 08-10", 1 = "Mon 10-12", …, 24 = "Fri 16-18").
/// This is the order the Simulation's truth.json uses for `window_rpc_probability` and `best_window`.
public enum CallWindows {
    /// Number of windows (25).
    public static let count = 25
    /// Weekday names of the windows (0 = Monday).
    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    /// Local start hours of the five windows of a day; each lasts two hours.
    public static let startHours = [8, 10, 12, 14, 16]

    /// Window names in index order, e.g. "Mon 08-10", "Fri 16-18".
    public static let names: [String] = weekdayNames.flatMap { day in
        startHours.map { hour in
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            return "\(day) \(two(hour))-\(two(hour + 2))"
        }
    }

    /// Window index of local weekday `weekday` (0 = Monday … 6 = Sunday) and local hour `hour` (0 … 23),
    /// or −1 outside the windows (weekends, before 08:00, from 18:00 on).
    @inlinable
    public static func index(weekday: Int, hour: Int) -> Int {
        weekday < 5 && hour >= 8 && hour < 18 ? weekday * 5 + (hour - 8) / 2 : -1
    }
}

/// Customer-local wall-clock time of an instant.
public struct LocalTime: Sendable, Equatable {
    /// Local calendar day (days since 1970-01-01).
    public var day: Int32
    /// Local weekday, 0 = Monday … 6 = Sunday.
    public var weekday: Int8
    /// Local hour, 0 … 23.
    public var hour: Int8
    /// UTC offset in force, in seconds (local = UTC + offset).
    public var utcOffsetSeconds: Int32

    /// The call window (0 … 24) this local time falls in, or −1.
    public var window: Int { CallWindows.index(weekday: Int(weekday), hour: Int(hour)) }

    /// Local time of `utcSeconds` given the offset in force.
    @inlinable
    public init(utcSeconds: Int64, offsetSeconds: Int32) {
        let local = utcSeconds + Int64(offsetSeconds)
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let second = local - day * 86_400
        self.day = Int32(day)
        weekday = Int8(CivilDate.weekday(Int32(day)))
        hour = Int8(second / 3600)
        utcOffsetSeconds = offsetSeconds
    }
}

/// UTC offsets of one IANA time zone over a range of UTC days, from Foundation's `TimeZone` (the system tz
/// database), looked up without Foundation in the hot path.
///
/// For every UTC day of the range the table keeps the offset in force at the day's first second and, on the
/// (rare) days whose offset differs from the next day's, the exact instant of the change (found by bisection
/// with `TimeZone.secondsFromGMT(for:)`). A lookup is then two array reads — exact across DST changes, for
/// half-hour zones too (the only assumption: a zone changes its offset at most once per UTC day).
/// Instants outside the range fall back to `TimeZone.secondsFromGMT(for:)`.
public struct ZoneOffsetTable: Sendable {
    public let identifier: String
    let zone: TimeZone?
    /// First UTC day covered.
    let firstDay: Int32
    /// Offset at the start of day `firstDay + i`, for i in 0 ... dayCount.
    let startOffsets: [Int32]
    /// Instant at which day i's offset changes to `startOffsets[i + 1]`, or `Int64.max`.
    let transitions: [Int64]

    /// A table for `identifier` covering UTC days `firstDay ..< lastDay + 1`. An unknown identifier gives offset 0.
    public init(identifier: String, firstDay: Int32, lastDay: Int32) {
        self.identifier = identifier
        zone = TimeZone(identifier: identifier)
        let first = min(firstDay, lastDay)
        self.firstDay = first
        let dayCount = Int(max(firstDay, lastDay) - first) + 1
        var starts = [Int32](repeating: 0, count: dayCount + 1)
        var changes = [Int64](repeating: .max, count: dayCount)
        if let zone {
            func offset(_ instant: Int64) -> Int32 {
                Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
            }
            for i in 0...dayCount { starts[i] = offset((Int64(first) + Int64(i)) * 86_400) }
            for i in 0..<dayCount where starts[i] != starts[i + 1] {
                // Smallest instant in (dayStart, dayStart + 86 400] whose offset differs from the day's start.
                var low = (Int64(first) + Int64(i)) * 86_400, high = low + 86_400
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if offset(middle) == starts[i] { low = middle } else { high = middle }
                }
                changes[i] = high
            }
        }
        startOffsets = starts
        transitions = changes
    }

    /// The UTC offset (seconds, local = UTC + offset) in force at `utcSeconds`.
    @inline(__always)
    public func offset(at utcSeconds: Int64) -> Int32 {
        let day = Timestamp.utcDay(utcSeconds)
        let i = Int(day) - Int(firstDay)
        if i >= 0 && i < transitions.count {
            return utcSeconds < transitions[i] ? startOffsets[i] : startOffsets[i + 1]
        }
        guard let zone else { return 0 }
        return Int32(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utcSeconds))))
    }

    /// Local time at `utcSeconds`.
    @inline(__always)
    public func localTime(_ utcSeconds: Int64) -> LocalTime {
        LocalTime(utcSeconds: utcSeconds, offsetSeconds: offset(at: utcSeconds))
    }
}
