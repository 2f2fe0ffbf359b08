import CivilTime
import Testing

@Suite("Civil dates, instants and time zones")
struct CivilDateTests {
    @Test func dayNumbersRoundTripThroughComponentsAndText() {
        #expect(CivilDate.parseExact("1970-01-01") == 0)
        #expect(CivilDate.parseExact("2000-03-01") == 11_017)
        for day in stride(from: Int32(-700_000), through: 2_900_000, by: 997) {
            let (year, month, dayOfMonth) = CivilDate.components(day)
            #expect(CivilDate.dayNumber(year: year, month: month, day: dayOfMonth) == day)
            if (1...9999).contains(year) { #expect(CivilDate.parseExact(CivilDate.format(day)) == day) }
        }
    }

    @Test func weekdaysAndImpossibleDates() {
        #expect(CivilDate.weekday(0) == 3) // 1970-01-01 was a Thursday
        #expect(CivilDate.weekday(CivilDate.parseExact("2026-11-02")!) == 0) // a Monday
        #expect(CivilDate.weekday(-1) == 2)
        #expect(CivilDate.parseExact("2024-02-29") != nil)
        #expect(CivilDate.parseExact("2023-02-29") == nil)
        #expect(CivilDate.parseExact("2026-13-01") == nil)
    }

    @Test func strictParsingRefusesWhatLenientParsingTrims() {
        #expect(CivilDate.parse(" 2026-11-02 ") == CivilDate.parseExact("2026-11-02"))
        #expect(CivilDate.parseExact(" 2026-11-02") == nil)
        #expect(CivilDate.parseExact("2026-11-2") == nil)
    }

    @Test func addingMonthsClampsToTheMonthEnd() {
        func shifted(_ text: String, _ months: Int) -> String {
            CivilDate.format(CivilDate.addingMonths(months, to: CivilDate.parseExact(text)!))
        }
        #expect(shifted("2026-03-31", -1) == "2026-02-28")
        #expect(shifted("2024-03-31", -1) == "2024-02-29")
        #expect(shifted("2026-11-01", -12) == "2025-11-01")
        #expect(shifted("2026-01-15", -13) == "2024-12-15")
        #expect(shifted("2026-12-31", 2) == "2027-02-28")
    }

    @Test func instantsFormatInUTCWholeSeconds() {
        #expect(CivilDate.formatInstant(0) == "1970-01-01T00:00:00Z")
        #expect(CivilDate.formatInstant(-1) == "1969-12-31T23:59:59Z")
        #expect(CivilDate.formatInstant(1_795_000_000) == "2026-11-18T11:06:40Z")
        #expect(Timestamp.utcDay(-1) == -1 && Timestamp.utcDay(86_399) == 0)
    }
}
