import CivilTime
import Foundation
import Testing
@testable import Queues

/// Next-occurrence rule, daylight-saving changes, gaps, overlaps and errors of `WindowClock`.
@Suite("WindowClock")
struct WindowClockTests {
    /// One expected occurrence: as-of date, zone, window, then `window_local` and `window_start_utc`.
    struct Case: CustomTestStringConvertible, Sendable {
        let asOf: String
        let zone: String
        let weekday: Int
        let startHour: Int
        let local: String
        let startUTC: String
        var testDescription: String { "\(asOf) \(zone) \(local) → \(startUTC)" }
    }

    /// Expected values cross-checked with Python's `zoneinfo` (same tz database).
    static let cases: [Case] = [
        // Madrid: CET → CEST on Sunday 2026-03-29, CEST → CET on Sunday 2026-10-25.
        Case(asOf: "2026-03-28", zone: "Europe/Madrid", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-03-30T06:00:00Z"),
        Case(asOf: "2026-10-24", zone: "Europe/Madrid", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-10-26T07:00:00Z"),
        // New York: EST → EDT on Sunday 2026-03-08, EDT → EST on Sunday 2026-11-01.
        Case(asOf: "2026-03-07", zone: "America/New_York", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-03-09T12:00:00Z"),
        Case(asOf: "2026-03-07", zone: "America/New_York", weekday: 1, startHour: 10, local: "Tue 10:00-12:00", startUTC: "2026-03-10T14:00:00Z"),
        Case(asOf: "2026-10-31", zone: "America/New_York", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-11-02T13:00:00Z"),
        // Before the change the same wall time is one hour later in UTC.
        Case(asOf: "2026-03-06", zone: "America/New_York", weekday: 4, startHour: 16, local: "Fri 16:00-18:00", startUTC: "2026-03-06T21:00:00Z"),
        Case(asOf: "2026-03-07", zone: "America/Los_Angeles", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-03-09T15:00:00Z"),
        // Half-hour offset, no daylight saving.
        Case(asOf: "2026-11-23", zone: "Asia/Kolkata", weekday: 1, startHour: 10, local: "Tue 10:00-12:00", startUTC: "2026-11-24T04:30:00Z"),
        // Southern hemisphere: AEDT → AEST on Sunday 2026-04-05, AEST → AEDT on Sunday 2026-10-04;
        // the Monday 08:00 start is on the previous UTC day.
        Case(asOf: "2026-04-04", zone: "Australia/Sydney", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-04-05T22:00:00Z"),
        Case(asOf: "2026-04-03", zone: "Australia/Sydney", weekday: 4, startHour: 16, local: "Fri 16:00-18:00", startUTC: "2026-04-03T05:00:00Z"),
        Case(asOf: "2026-10-03", zone: "Australia/Sydney", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-10-04T21:00:00Z"),
        // The as-of date's own weekday: the window is on the as-of date itself.
        Case(asOf: "2026-11-23", zone: "Europe/Madrid", weekday: 0, startHour: 16, local: "Mon 16:00-18:00", startUTC: "2026-11-23T15:00:00Z"),
        // A Friday as-of date and a Monday window: the following Monday.
        Case(asOf: "2026-11-27", zone: "Europe/Madrid", weekday: 0, startHour: 8, local: "Mon 08:00-10:00", startUTC: "2026-11-30T07:00:00Z"),
        Case(asOf: "2026-11-23", zone: "Europe/London", weekday: 1, startHour: 10, local: "Tue 10:00-12:00", startUTC: "2026-11-24T10:00:00Z"),
        Case(asOf: "2026-11-23", zone: "UTC", weekday: 2, startHour: 12, local: "Wed 12:00-14:00", startUTC: "2026-11-25T12:00:00Z"),
        // A start in a spring-forward gap moves to the end of the gap (New York 02:00 → 03:00 EDT,
        // Lord Howe's half-hour gap 02:00 → 02:30); a start in a fall-back overlap takes the first.
        Case(asOf: "2026-03-08", zone: "America/New_York", weekday: 6, startHour: 2, local: "Sun 02:00-04:00", startUTC: "2026-03-08T07:00:00Z"),
        Case(asOf: "2026-10-04", zone: "Australia/Lord_Howe", weekday: 6, startHour: 2, local: "Sun 02:00-04:00", startUTC: "2026-10-03T15:30:00Z"),
        Case(asOf: "2026-11-01", zone: "America/New_York", weekday: 6, startHour: 1, local: "Sun 01:00-03:00", startUTC: "2026-11-01T05:00:00Z"),
    ]

    @Test("next occurrence on or after the as-of date, in UTC across daylight-saving changes", arguments: cases)
    func occurrence(_ expected: Case) throws {
        let clock = try WindowClock(asOf: expected.asOf)
        let window = try clock.window(zone: expected.zone, weekday: expected.weekday, startHour: expected.startHour)
        #expect(window.local == expected.local)
        #expect(window.startUTC == expected.startUTC)
        let instant = try #require(ISO8601DateFormatter().date(from: expected.startUTC))
        #expect(window.startSeconds == Int(instant.timeIntervalSince1970))
        let asOfDay = try #require(CivilDate.parseExact(expected.asOf).map(Int.init))
        #expect(window.localDay >= asOfDay && window.localDay < asOfDay + 7)
        #expect(CivilDate.weekday(Int32(window.localDay)) == expected.weekday)
    }

    @Test("every grid window lies within the week starting on the as-of date, in its local date")
    func wholeWeek() throws {
        let clock = try WindowClock(asOf: "2026-11-25")
        var days: [Int] = []
        for weekday in 0...4 {
            for startHour in [8, 10, 12, 14, 16] {
                let window = try clock.window(zone: "Europe/Madrid", weekday: weekday, startHour: startHour)
                days.append(window.localDay)
                #expect(window.local.hasPrefix(["Mon", "Tue", "Wed", "Thu", "Fri"][weekday] + " "))
            }
        }
        let asOf = try #require(CivilDate.parseExact("2026-11-25").map(Int.init))
        #expect(days.allSatisfy { $0 >= asOf && $0 < asOf + 7 })
        #expect(Set(days).count == 5)
        // Wednesday as-of: Mon and Tue windows fall in the next week.
        #expect(try clock.window(zone: "Europe/Madrid", weekday: 0, startHour: 8).startUTC == "2026-11-30T07:00:00Z")
        #expect(try clock.window(zone: "Europe/Madrid", weekday: 2, startHour: 8).startUTC == "2026-11-25T07:00:00Z")
    }

    @Test("a day-number as-of date equals the same date as text; repeated queries return the cached value")
    func dayNumberAndCache() throws {
        let text = try WindowClock(asOf: "2026-11-23")
        let number = WindowClock(asOfDay: 20_780)
        #expect(text.asOfDay == 20_780)
        for _ in 0..<3 {
            #expect(try number.window(zone: "Asia/Kolkata", weekday: 1, startHour: 10)
                == text.window(zone: "Asia/Kolkata", weekday: 1, startHour: 10))
        }
    }

    @Test("the same window differs between zones sharing a clock")
    func zonesIndependent() throws {
        let clock = try WindowClock(asOf: "2026-11-23")
        let madrid = try clock.window(zone: "Europe/Madrid", weekday: 1, startHour: 10)
        let newYork = try clock.window(zone: "America/New_York", weekday: 1, startHour: 10)
        #expect(madrid.startUTC == "2026-11-24T09:00:00Z")
        #expect(newYork.startUTC == "2026-11-24T15:00:00Z")
        #expect(madrid.local == newYork.local)
    }

    @Test("an unknown zone id throws an error naming it, also when asked again")
    func unknownZone() throws {
        let clock = try WindowClock(asOf: "2026-11-23")
        for _ in 0..<2 {
            #expect(throws: WindowClockError.unknownTimeZone("Mars/Olympus_Mons")) {
                try clock.window(zone: "Mars/Olympus_Mons", weekday: 0, startHour: 8)
            }
        }
        #expect(WindowClockError.unknownTimeZone("Mars/Olympus_Mons").description
            == "unknown time zone \"Mars/Olympus_Mons\" (expected an IANA id such as Europe/Madrid)")
    }

    @Test("impossible dates and windows are refused", arguments: ["2026-02-29", "2026-13-01", "26-11-23", "2026-11-23T00:00", "", "2026/11/23"])
    func invalidDate(_ text: String) {
        #expect(throws: WindowClockError.invalidDate(text)) { try WindowClock(asOf: text) }
    }

    @Test("weekdays outside 0…6 and start hours outside 0…22 are refused")
    func invalidWindow() throws {
        let clock = try WindowClock(asOf: "2026-11-23")
        for (weekday, startHour) in [(7, 8), (-1, 8), (0, 23), (0, -1)] {
            #expect(throws: WindowClockError.invalidWindow(weekday: weekday, startHour: startHour)) {
                try clock.window(zone: "UTC", weekday: weekday, startHour: startHour)
            }
        }
        #expect(try clock.window(zone: "UTC", weekday: 6, startHour: 22).local == "Sun 22:00-24:00")
    }

    @Test("one clock answers from many threads at once with the same values")
    func concurrentUse() async throws {
        let clock = try WindowClock(asOf: "2026-03-28")
        let zones = ["Europe/Madrid", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try zones.map { try clock.window(zone: $0, weekday: 0, startHour: 8).startUTC }
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(Set(results).count == 1)
        #expect(results.first?.first == "2026-03-30T06:00:00Z")
    }
}
