import CivilTime

/// The 25 default local call windows of DESIGN.md: Monday–Friday × 08–10, 10–12, 12–14, 14–16, 16–18,
/// in customer-local time, numbered weekday-major (0 = "Mon 08-10", 1 = "Mon 10-12", …, 24 = "Fri 16-18").
/// This is the order the Simulation's truth.json uses for `window_rpc_probability` and `best_window`.
public enum CallWindows {
    /// Number of windows (25).
    public static let count = 25
    /// Abbreviations of all seven weekdays, 0 = Monday … 6 = Sunday (as window labels and reports write them).
    public static let weekdayAbbreviations = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    /// Weekday names of the windows (0 = Monday).
    public static let weekdayNames = Array(weekdayAbbreviations.prefix(5))
    /// Length of every window, in hours.
    public static let windowHours = 2
    /// Local start hours of the five windows of a day; each lasts two hours.
    public static let startHours = [8, 10, 12, 14, 16]

    /// Number of weekdays with windows (Monday–Friday).
    public static let weekdays = 5
    /// Number of windows per day.
    public static let windowsPerDay = 5

    /// The window index of day `weekday` (0 = Monday … 4) and slot `slot` (0 = 08–10 … 4 = 16–18).
    @inlinable
    public static func window(weekday: Int, slot: Int) -> Int { weekday * windowsPerDay + slot }

    /// The weekday (0 = Monday … 4) of window `window`.
    @inlinable
    public static func weekday(ofWindow window: Int) -> Int { window / windowsPerDay }

    /// The slot of the day (0 = 08–10 … 4 = 16–18) of window `window`.
    @inlinable
    public static func slot(ofWindow window: Int) -> Int { window % windowsPerDay }

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
        weekday < weekdays && hour >= startHours[0] && hour < startHours[windowsPerDay - 1] + windowHours
            ? window(weekday: weekday, slot: (hour - startHours[0]) / windowHours) : -1
    }
}

extension LocalTime {
    /// The call window (0 … 24) this local time falls in, or −1.
    public var window: Int { CallWindows.index(weekday: Int(weekday), hour: Int(hour)) }
}
