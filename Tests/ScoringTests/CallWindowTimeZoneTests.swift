import Foundation
import Scoring
import TestSupport
import Testing

/// window_local / window_start_utc of the weekly list (`plan: week`) across the 2026 daylight-saving changes (Europe: 29 March and 25 October;
/// United States: 8 March and 1 November), for accounts in Europe/Madrid and America/New_York.
///
/// Whatever window the model picks, its start must be the first occurrence of that local weekday and hour on or
/// after the as-of date, converted to UTC with the offset in force *on that day* (not the as-of date's). The UTC
/// offsets are written out by hand below (hours, Monday … Friday of the coming week), and the conversion is also
/// recomputed with Foundation's calendar.
@Suite("Call windows in customer time zones across DST changes")
struct CallWindowTimeZoneTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let asOf: String
        let madrid: [Int]
        let newYork: [Int]
        var testDescription: String { asOf }
    }

    static let cases: [Case] = [
        Case(asOf: "2026-03-02", madrid: [1, 1, 1, 1, 1], newYork: [-5, -5, -5, -5, -5]),  // Monday, all before US DST
        Case(asOf: "2026-03-05", madrid: [1, 1, 1, 1, 1], newYork: [-4, -4, -4, -5, -5]),  // Thursday: Thu/Fri before
        Case(asOf: "2026-03-08", madrid: [1, 1, 1, 1, 1], newYork: [-4, -4, -4, -4, -4]),  // the US change day itself
        Case(asOf: "2026-03-23", madrid: [1, 1, 1, 1, 1], newYork: [-4, -4, -4, -4, -4]),  // Monday before EU change
        Case(asOf: "2026-03-26", madrid: [2, 2, 2, 1, 1], newYork: [-4, -4, -4, -4, -4]),  // Thursday: Thu/Fri before
        Case(asOf: "2026-03-28", madrid: [2, 2, 2, 2, 2], newYork: [-4, -4, -4, -4, -4]),  // Saturday before the change
        Case(asOf: "2026-03-29", madrid: [2, 2, 2, 2, 2], newYork: [-4, -4, -4, -4, -4]),  // the EU change day itself
        Case(asOf: "2026-10-19", madrid: [2, 2, 2, 2, 2], newYork: [-4, -4, -4, -4, -4]),
        Case(asOf: "2026-10-22", madrid: [1, 1, 1, 2, 2], newYork: [-4, -4, -4, -4, -4]),
        Case(asOf: "2026-10-25", madrid: [1, 1, 1, 1, 1], newYork: [-4, -4, -4, -4, -4]),
        Case(asOf: "2026-10-29", madrid: [1, 1, 1, 1, 1], newYork: [-5, -5, -5, -4, -4]),
        Case(asOf: "2026-11-01", madrid: [1, 1, 1, 1, 1], newYork: [-5, -5, -5, -5, -5]),
    ]

    @Test(arguments: cases)
    func windowStartsUseTheOffsetOfTheWindowsDay(_ c: Case) throws {
        var hand = HandExport(asOf: c.asOf)
        // Right-party history on Tuesdays 10:30 and on Thursdays 16:30 local, so different windows get chosen.
        hand.regular("MAD-TUE", zone: "Europe/Madrid", callWeekday: 1, callHour: 10)
        hand.regular("MAD-THU", zone: "Europe/Madrid", callWeekday: 3, callHour: 16)
        hand.regular("NYC-TUE", zone: "America/New_York", callWeekday: 1, callHour: 10)
        hand.regular("NYC-THU", zone: "America/New_York", callWeekday: 3, callHour: 16)
        hand.regular("MAD-PRM", zone: "Europe/Madrid", callWeekday: 4, callHour: 8)
        hand.promise("MAD-PRM", created: -10, due: -1, amount: 400)
        // The weekly list (`plan: week`): every account in its best window of the week, whatever its day.
        let queues = try BuiltQueues(hand, policy: QueuePolicy(plan: .week))
        let calls = queues.file("calls.csv"), promises = queues.file("promise_followups.csv")
        #expect(Set(calls.customerIDs) == ["MAD-TUE", "MAD-THU", "NYC-TUE", "NYC-THU"])
        #expect(promises.customerIDs == ["MAD-PRM"])

        var rows: [[String: String]] = calls.customerIDs.compactMap { calls.row(customer: $0) }
        rows += promises.customerIDs.compactMap { promises.row(customer: $0) }
        for row in rows {
            let id = row["customer_id"]!, local = row["window_local"]!, utc = row["window_start_utc"]!
            let zone = id.hasPrefix("MAD") ? "Europe/Madrid" : "America/New_York"
            let weekday = try #require(Days.weekdayNames.prefix(5).firstIndex(of: String(local.prefix(3))), "\(id): \(local)")
            let hour = try #require(Int(local.dropFirst(4).prefix(2)), "\(id): \(local)")
            #expect(local == Days.weekdayNames[weekday] + String(format: " %02d:00-%02d:00", hour, hour + 2))
            // The first day on or after the as-of date with that weekday.
            let day = hand.asOf + (weekday - Days.weekday(hand.asOf) + 7) % 7
            let offset = (zone == "Europe/Madrid" ? c.madrid : c.newYork)[weekday]
            let byHand = day * 86_400 + (hour - offset) * 3600
            #expect(utc == Days.isoUTC(byHand), "\(id) \(local) as of \(c.asOf): UTC offset \(offset) h expected")
            #expect(utc == Days.isoUTC(Days.instant(localDay: day, hour: hour, zone: zone)), "\(id): Foundation disagrees")
            let back = try #require(Days.parseISOUTC(utc))
            let seen = Days.local(back, zone: zone)
            #expect(seen.day == day && seen.hour == hour && seen.minute == 0, "\(id): \(utc) is not \(local) in \(zone)")
        }
    }
}
