import CallGrid
import Receivables
import TestSupport
import Testing

/// customers.csv `do_not_call_times`: the format, the blocked call windows and the quarantine of a malformed value.
@Suite("Do-not-call times")
struct DoNotCallTimesTests {
    @Test func parsesDayRangesSingleDaysAndEveryDay() throws {
        let times = try DoNotCallTimes.parse(" Mon-Fri 08:00-10:00; Sat 09:00-12:00;12:00-13:00 ; Sat-Mon 00:00-24:00")
        #expect(times.ranges == [
            .init(weekdays: 0b001_1111, startMinute: 480, endMinute: 600),
            .init(weekdays: 0b010_0000, startMinute: 540, endMinute: 720),
            .init(weekdays: 0b111_1111, startMinute: 720, endMinute: 780),
            .init(weekdays: 0b110_0001, startMinute: 0, endMinute: 1440),
        ])
        #expect(try DoNotCallTimes.parse("").isEmpty && (try DoNotCallTimes.parse("  ").isEmpty))
    }

    @Test func blocksEveryWindowARangeTouches() throws {
        // Tue 09:30-10:01 touches Tue 08-10 and Tue 10-12; Sat blocks nothing; 17:59-18:00 every day blocks 16-18.
        let blocked = try DoNotCallTimes.parse("Tue 09:30-10:01; Sat 08:00-18:00; 17:59-18:00").blockedWindows
        let names = (0..<CallWindows.count).filter { blocked & (1 << UInt32($0)) != 0 }.map { CallWindows.names[$0] }
        #expect(names == ["Mon 16-18", "Tue 08-10", "Tue 10-12", "Tue 16-18", "Wed 16-18", "Thu 16-18", "Fri 16-18"])
        // A range ending where a window starts does not touch it.
        #expect(try DoNotCallTimes.parse("Mon 07:00-08:00").blockedWindows == 0)
        #expect(try DoNotCallTimes.parse("Mon-Fri 08:00-18:00").blockedWindows == DoNotCallTimes.allWindows)
    }

    @Test(arguments: [
        ("Mon-Fri", "time range"), ("Mon 8:00-10:00", "time range"), ("Mon 08:00-10:00;", "empty entry"),
        ("Monday 08:00-10:00", "unknown day"), ("mon 08:00-10:00", "unknown day"), ("Mon-Tue-Wed 08:00-09:00", "unknown day"),
        ("Mon 10:00-08:00", "not after the start"), ("22:00-02:00", "not after the start"), ("Mon 08:00-24:30", "time range"),
        ("Mon 08:60-09:00", "time range"), ("Mon 08:00 - 09:00", "expected [DAY[-DAY]]"), ("Mon, Tue 08:00-09:00", "expected"),
    ])
    func rejectsAMalformedEntryNamingIt(text: String, reason: String) {
        #expect {
            try DoNotCallTimes.parse(text)
        } throws: { error in
            let message = (error as? DoNotCallTimesError)?.reason ?? ""
            return message.contains(reason) && message.hasPrefix("entry ")
        }
    }

    @Test func aMalformedValueIsQuarantinedWithFileLineAndField() throws {
        let folder = try TemporaryFolder("dnct")
        var hand = HandExport(asOf: "2026-06-17")
        hand.regular("007", zone: "Europe/Madrid")
        hand.regular("008", zone: "Europe/Madrid")
        hand.regular("009", zone: "Europe/Madrid")
        hand.doNotCallTimes = ["007": "Mon-Fri 08:00-10:00; 12:00-13:00", "008": "Mon 25:00-26:00"]
        try hand.write(to: folder.path)
        let export = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1))
        let bad = try #require(export.quarantine.first { $0.file == "customers.csv" })
        #expect(bad.line == 3 && bad.field == "do_not_call_times")
        #expect(bad.reason.contains("invalid do_not_call_times \"Mon 25:00-26:00\": entry 1"))
        #expect(export.customers.ids.find("008") == nil)
        let kept = Int(try #require(export.customers.ids.find("007")))
        #expect(export.customers.doNotCallTimes[kept].ranges.count == 2)
        #expect(export.customers.doNotCallTimes[Int(try #require(export.customers.ids.find("009")))].isEmpty)
        // The default threshold (1%) stops the load: one bad customer row of three.
        #expect(throws: ReceivablesError.self) { try ExportLoader.load(folder: folder.path) }
    }

    @Test func anExportWithoutTheColumnLoadsNoTimes() throws {
        let folder = try TemporaryFolder("dnct")
        var hand = HandExport(asOf: "2026-06-17")
        hand.regular("007", zone: "Europe/Madrid")
        try hand.write(to: folder.path)
        let export = try ExportLoader.load(folder: folder.path)
        #expect(export.customers.doNotCallTimes.map(\.isEmpty) == [true])
    }
}
