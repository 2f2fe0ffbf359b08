import Foundation

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
    public let firstDay: Int32
    /// Offset at the start of day `firstDay + i`, for i in 0 ... dayCount.
    public let startOffsets: [Int32]
    /// Instant at which day i's offset changes to `startOffsets[i + 1]`, or `Int64.max`.
    public let transitions: [Int64]

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
