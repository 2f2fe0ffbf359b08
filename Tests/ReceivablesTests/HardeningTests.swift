import Foundation
import Testing
import TestSupport
@testable import Receivables

/// Issue 16: bad input is quarantined or refused with a clear reason, never silently changed or dropped.
@Suite("Export hardening") struct ExportHardeningTests {
    /// Loads `folder` leniently (every bad row quarantined, no threshold) and returns the quarantine.
    func quarantine(_ folder: TemporaryFolder) throws -> [QuarantinedRow] {
        try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1)).quarantine
    }

    @Test("amounts outside the exact range are quarantined in every money column, naming file, line and field")
    func amountRange() throws {
        let folder = try validExport()
        try folder.write("customers.csv", """
            customer_id,timezone,segment,country,credit_limit,do_not_call
            007,America/New_York,smb,US,5000,0
            7,Europe/Berlin,enterprise,DE,1e13,1
            C3,Asia/Tokyo,,JP,100000,
            """ + "\n")
        try folder.write("invoices.csv", """
            invoice_id,customer_id,invoice_date,due_date,amount
            I1,007,2026-01-15,2026-02-14,1200.50
            I5,007,2026-01-15,2026-02-14,1e13
            I6,C3,2026-01-15,2026-02-14,1e307
            I7,C3,2026-01-15,2026-02-14,0.0001
            I8,C3,2026-01-15,2026-02-14,1000000000000
            """ + "\n")
        try folder.write("payments.csv", """
            payment_id,customer_id,payment_date,amount,invoice_id
            P1,007,2026-02-20,1200.50,I1
            P9,007,2026-02-21,2e12,
            """ + "\n")
        try folder.write("promises.csv", """
            promise_id,customer_id,created_date,promised_date,promised_amount,call_id
            R1,007,2026-02-17,2026-02-20,1e20,
            """ + "\n")
        let export = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1))
        let rejected = export.quarantine.map { "\($0.file):\($0.line):\($0.field ?? "")" }
        #expect(rejected == ["customers.csv:3:credit_limit", "invoices.csv:3:amount", "invoices.csv:4:amount",
                             "invoices.csv:5:amount", "payments.csv:3:amount", "promises.csv:2:promised_amount"])
        try #require(export.quarantine.count == 6)
        #expect(export.quarantine[1].reason.contains("out of range"))
        #expect(export.quarantine[3].reason.contains("below the smallest amount"))
        // The largest amount held (10^12) loads exactly.
        #expect(export.invoices.amount.contains(1e12))
    }

    @Test("a dangling or looping symlink is an error saying why, for optional files too; only no entry is absent")
    func unopenableFiles() throws {
        for name in ["calls.csv", "promises.csv", "customers.csv"] {
            let folder = try validExport()
            try folder.remove(name)
            try FileManager.default.createSymbolicLink(atPath: folder.path(name), withDestinationPath: "gone.csv")
            #expect { try ExportLoader.load(folder: folder.path) } throws: { error in
                "\(error)".hasPrefix(folder.path(name)) && "\(error)".contains("dangling symbolic link")
            }
            try folder.remove(name)
            try FileManager.default.createSymbolicLink(atPath: folder.path(name), withDestinationPath: name)
            #expect { try ExportLoader.load(folder: folder.path) } throws: { error in
                "\(error)".contains("symbolic link loop") && !"\(error)".contains("missing")
            }
        }
        let folder = try validExport()
        try folder.remove("calls.csv")
        _ = try folder.write("calls.csv", "call_id,customer_id,started_at,outcome\n")
        chmod(folder.path("calls.csv"), 0)
        defer { chmod(folder.path("calls.csv"), 0o644) }
        if getuid() != 0 {
            #expect { try ExportLoader.load(folder: folder.path) } throws: { "\($0)".contains("Permission denied") }
        }
        // No directory entry at all: an optional file is absent.
        try folder.remove("calls.csv")
        #expect(try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1)).hasCallLog == false)
    }

    @Test("non-regular files (a device, a FIFO) are refused at once instead of hanging")
    func nonRegularFiles() throws {
        let folder = try validExport()
        try folder.remove("calls.csv")
        try FileManager.default.createSymbolicLink(atPath: folder.path("calls.csv"), withDestinationPath: "/dev/zero")
        #expect { try ExportLoader.load(folder: folder.path) } throws: { "\($0)".contains("not a regular file (a character device)") }
        try folder.remove("calls.csv")
        #expect(mkfifo(folder.path("calls.csv"), 0o644) == 0)
        #expect { try ExportLoader.load(folder: folder.path) } throws: { "\($0)".contains("not a regular file (a FIFO") }
    }

    @Test("time zones that are not IANA Area/Location names or UTC are quarantined")
    func timeZones() throws {
        let folder = try validExport()
        try folder.write("customers.csv", """
            customer_id,timezone
            007,America/New_York
            7,EST
            C3,Asia/Tokyo
            C4,PST
            C5,UTC+1
            C6,CET
            C7,UTC
            C8,US/Eastern
            C9,Etc/GMT+5
            """ + "\nC10,Europe/Paris\u{0}\n")
        let rows = try quarantine(folder).filter { $0.file == "customers.csv" }
        #expect(rows.map(\.line) == [3, 5, 6, 7, 9, 10, 11])
        #expect(rows.allSatisfy { $0.field == "timezone" })
        let last = try #require(rows.last)
        #expect(last.reason.contains("\\u{0}") && !last.reason.contains("\u{0}"))
    }

    @Test("control characters in ids and keys are quarantined and escaped in the reason")
    func controlCharacters() throws {
        let folder = try validExport()
        try folder.write("customers.csv", """
            customer_id,timezone,segment
            007,America/New_York,smb
            7,Europe/Berlin,enterprise
            C3,Asia/Tokyo,
            """ + "\nC\u{1b}[31m4,UTC,\nC5,UTC,se\u{7f}g\n")
        let rows = try quarantine(folder).filter { $0.file == "customers.csv" }
        #expect(rows.map(\.line) == [5, 6])
        try #require(rows.count == 2)
        #expect(rows[0].field == "customer_id" && rows[0].reason.contains("U+001B") && rows[0].reason.contains("\\u{1b}"))
        #expect(rows[1].field == "segment")
        #expect(rows.allSatisfy { row in !row.reason.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
    }

    @Test("dates outside 1990-01-01 … 2100-12-31 are quarantined")
    func dateRange() throws {
        let folder = try validExport()
        try folder.write("invoices.csv", """
            invoice_id,customer_id,invoice_date,due_date,amount
            I1,007,2026-01-15,2026-02-14,1200.50
            I2,007,0001-01-15,2026-02-14,10
            I3,007,2026-01-15,9999-12-31,10
            I4,007,1989-12-31,2026-02-14,10
            """ + "\n")
        try folder.write("calls.csv", """
            call_id,customer_id,started_at,outcome
            K1,007,1970-01-01T00:00:00Z,no_answer
            K2,007,2026-02-17T10:00:00-05:00,promise
            """ + "\n")
        let rows = try quarantine(folder).filter { $0.file == "invoices.csv" || $0.file == "calls.csv" }
        #expect(rows.map { "\($0.file):\($0.line):\($0.field ?? "")" }
                == ["invoices.csv:3:invoice_date", "invoices.csv:4:due_date", "invoices.csv:5:invoice_date", "calls.csv:2:started_at"])
        #expect(rows.allSatisfy { $0.reason.contains("outside the supported dates 1990-01-01 … 2100-12-31") })
    }

    @Test("threshold errors name the path, show enough precision, and name the parent file that lost rows")
    func thresholdMessages() throws {
        #expect(ReceivablesError.percents(100 * 119 / 11854, over: 1) == ("1.003", "1"))
        #expect(ReceivablesError.percents(50, over: 1) == ("50", "1"))
        let folder = try validExport()
        // invoices.csv lost I1 (truncated): the payment applied to it fails, and the error says where to look.
        try folder.write("invoices.csv", """
            invoice_id,customer_id,invoice_date,due_date,amount
            I4,007,2026-03-10,2026-04-09,300
            """ + "\n")
        #expect { try ExportLoader.load(folder: folder.path) } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(folder.path + "/payments.csv: 1 of 2 rows rejected (50%)")
                && text.contains("refer to invoice_id values that are not in invoices.csv: invoices.csv lost rows")
        }
    }
}
