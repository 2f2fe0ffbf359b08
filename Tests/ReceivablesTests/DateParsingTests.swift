import CallGrid
import CivilTime
@testable import Receivables
import Testing

/// Dates and ISO 8601 timestamps parsed from bytes.
struct DateParsingTests {
    @Test func civilDatesRoundTripAndValidate() {
        #expect(CivilDate.parse("1970-01-01") == 0)
        #expect(CivilDate.parse("2024-02-29") != nil)
        #expect(CivilDate.parse("2023-02-29") == nil)
        #expect(CivilDate.parse("2026-13-01") == nil)
        #expect(CivilDate.parse("2026-1-01") == nil)
        #expect(CivilDate.parse("20260101") == nil)
        #expect(CivilDate.parse(" 2026-03-08 ") != nil)
        for day in stride(from: Int32(-719_000), to: 2_900_000, by: 997) {
            #expect(CivilDate.parse(CivilDate.format(day)) == day)
        }
        #expect(CivilDate.weekday(CivilDate.parse("2026-11-23")!) == 0)   // a Monday
        #expect(CivilDate.weekday(CivilDate.parse("1970-01-01")!) == 3)   // a Thursday
    }

    @Test func timestampsNeedAnOffset() {
        func parse(_ text: String) -> Result<Int64, Timestamp.ParseFailure> {
            var text = text
            return text.withUTF8 { Timestamp.parse($0) }
        }
        let base = Int64(CivilDate.parse("2026-03-08")!) * 86_400
        #expect(parse("2026-03-08T10:30:00Z") == .success(base + 10 * 3600 + 1800))
        #expect(parse("2026-03-08T10:30Z") == .success(base + 10 * 3600 + 1800))
        #expect(parse("2026-03-08 10:30:00.123+01:00") == .success(base + 9 * 3600 + 1800))
        #expect(parse("2026-03-08T10:30:00-0500") == .success(base + 15 * 3600 + 1800))
        #expect(parse("2026-03-08T10:30:00+05") == .success(base + 5 * 3600 + 1800))
        #expect(parse("2026-03-08T10:30:00") == .failure(.missingOffset))
        #expect(parse("2026-03-08T25:30:00Z") == .failure(.malformed))
        #expect(parse("2026-03-08T10:30:00+5:00") == .failure(.malformed))
        #expect(parse("yesterday") == .failure(.malformed))
        #expect(Timestamp.utcDay(-1) == -1)
    }

    @Test func callOutcomesAndRightPartyContacts() {
        for outcome in CallOutcome.allCases {
            var name = outcome.exportName
            #expect(name.withUTF8 { CallOutcome.parse($0) } == outcome)
        }
        #expect(CallOutcome.allCases.filter(\.isRightPartyContact) == [.rightParty, .promise, .refused, .dispute])
    }

    @Test func idIndexKeepsLeadingZerosAndGrows() {
        var index = IDIndex(capacity: 2)
        #expect(index.insert("007").inserted)
        #expect(index.insert("7").inserted)
        #expect(!index.insert("007").inserted)
        for n in 0..<10_000 { index.insert("C\(n)") }
        #expect(index.count == 10_002)
        #expect(index.find("007") == 0 && index.find("7") == 1)
        #expect(index.find("C9999") == 10_001)
        #expect(index.find("C10000") == nil)
        #expect(index.id(5) == "C3")
    }

    @Test func deferredIndexingFindsDuplicatesIncludingLongIDs() {
        var index = IDIndex(capacity: 4)
        let ids = ["A", "customer-with-a-very-long-id-0001", "B", "customer-with-a-very-long-id-0002",
                   "A", "customer-with-a-very-long-id-0001"] + (0..<5000).map { "X\($0)" }
        for id in ids {
            var id = id
            id.withUTF8 { _ = index.appendDeferred($0) }
        }
        let duplicates = index.indexPending()
        #expect(duplicates.map(\.row) == [4, 5])
        #expect(duplicates.map(\.firstRow) == [0, 1])
        let compacted = index.removing(rows: duplicates.map(\.row))
        #expect(compacted.count == ids.count - 2)
        #expect(compacted.find("customer-with-a-very-long-id-0002") == 3)
        #expect(compacted.find("customer-with-a-very-long-id-0003") == nil)
        #expect(compacted.find("X4999") == Int32(ids.count - 3))
    }
}
