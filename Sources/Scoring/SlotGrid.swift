import CallGrid
import CivilTime
import Queues

/// The team's one-hour slots of the as-of day and, per customer time zone, the local call window each slot lies in
/// (docs/QUEUES.md, "Today's plan").
///
/// Slots start on every whole team-local hour h of the as-of date with [h:00, h+1:00) inside `team_hours`, in the
/// team's zone (`team_timezone`). A slot serves a zone when the whole hour, read on the zone's clock, lies inside one
/// of the local windows of `CallWindows` (Mon–Fri 08–10 … 16–18) and inside `calling_hours`; anything else is never
/// planned. Instants are seconds since 1970-01-01T00:00:00Z.
public struct SlotGrid: Sendable {
    /// Slot start instants, in time order.
    public var slotStarts: [Int]
    /// Calls each slot may hold (`Int.max` = no limit).
    public var slotCapacity: Int
    /// Per zone (index into `zoneNames`) and slot: the local window (0 … 24) the slot lies in, or −1.
    public var windowOfSlot: [[Int]]

    /// The grid of the as-of day (`asOf`, days since 1970-01-01) for the zones `zoneNames`.
    /// - Throws: `PolicyError` for an unknown team zone; `WindowClockError.unknownTimeZone` for a customer zone.
    public init(policy: QueuePolicy, asOf: Int32, zoneNames: [String], clock: WindowClock) throws {
        let firstHour = (policy.teamHours.start + 59) / 60, lastHour = policy.teamHours.end / 60
        var starts = [Int]()
        do {
            for hour in stride(from: firstHour, to: lastHour, by: 1) {
                starts.append(try clock.instant(localSeconds: Int(asOf) * 86_400 + hour * 3600, zone: policy.teamTimezone))
            }
        } catch {
            throw PolicyError(path: "policy", reason: "\"team_timezone\" is not an IANA time zone: \(policy.teamTimezone)")
        }
        slotStarts = starts
        slotCapacity = Self.capacity(policy: policy, slots: starts.count)
        windowOfSlot = try zoneNames.map { zone in
            try starts.map { start in try Self.window(of: start, zone: zone, callingHours: policy.callingHours, clock: clock) }
        }
    }

    /// `calls_per_slot`, or the daily capacity spread evenly over the slots (rounded up), or no limit.
    static func capacity(policy: QueuePolicy, slots: Int) -> Int {
        if let perSlot = policy.callsPerSlot { return perSlot }
        guard let capacity = policy.capacity, slots > 0 else { return Int.max }
        return (capacity + slots - 1) / slots
    }

    /// The local window the hour from `start` lies in on `zone`'s clock, inside the calling hours, or −1.
    static func window(of start: Int, zone: String, callingHours: DayHours, clock: WindowClock) throws -> Int {
        let offset = try clock.offset(at: start, zone: zone)
        guard try clock.offset(at: start + 3599, zone: zone) == offset else { return -1 }   // an hour across a clock change
        let local = start + offset
        let day = Int32((local - ((local % 86_400) + 86_400) % 86_400) / 86_400)
        let minute = ((local % 86_400) + 86_400) % 86_400 / 60
        guard callingHours.contains(from: minute, to: minute + 60) else { return -1 }
        let window = CallWindows.index(weekday: CivilDate.weekday(day), hour: minute / 60)
        guard window >= 0 else { return -1 }
        let windowStart = CallWindows.startHours[CallWindows.slot(ofWindow: window)] * 60
        return minute + 60 <= windowStart + CallWindows.windowHours * 60 ? window : -1
    }
}
