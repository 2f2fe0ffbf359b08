import CivilTime
import Foundation
@testable import Receivables
import Simulation
import TestSupport
import Testing

/// Loading, validation and quarantine of export folders.
struct ExportLoaderTests {
    @Test func loadsAValidExportIntoTypedColumns() throws {
        let folder = try validExport()
        let export = try ExportLoader.load(folder: folder.path)
        #expect(export.quarantine.isEmpty)
        #expect(export.customers.count == 3)
        // Leading zeros matter: "007" and "7" are different customers.
        #expect(export.customers.ids.find("007") == 0)
        #expect(export.customers.ids.find("7") == 1)
        #expect(export.customers.timezoneNames == ["America/New_York", "Europe/Berlin", "Asia/Tokyo"])
        #expect(export.customers.doNotCall == [false, true, false])
        #expect(export.customers.creditLimit[1].isNaN)
        #expect(export.customers.segmentNames[Int(export.customers.segment[2])] == "")

        #expect(export.invoices.count == 4)
        let i1 = Int(try #require(export.invoices.ids.find("I1")))
        #expect(export.invoices.customer[i1] == 0)
        #expect(export.invoices.invoiceDate[i1] == CivilDate.parse("2026-01-15"))
        #expect(export.invoices.dueDate[i1] - export.invoices.invoiceDate[i1] == 30)
        #expect(export.invoices.amount[i1] == 1200.50)
        #expect(export.invoices.disputed[Int(export.invoices.ids.find("I2")!)])

        #expect(export.payments.invoice == [Int32(i1), -1])
        #expect(export.calls.outcome == [.noAnswer, .promise, .rightParty])
        // 10:00 at −05:00 is 15:00 UTC; 01:30 at +09:00 is 16:30 UTC the previous day.
        #expect(export.calls.startedAt[1] == Int64(CivilDate.parse("2026-02-17")!) * 86_400 + 15 * 3600)
        #expect(Timestamp.utcDay(export.calls.startedAt[2]) == CivilDate.parse("2026-03-01"))
        #expect(export.calls.durationSeconds[2].isNaN)
        #expect(export.promises.call == [1])
        #expect(export.hasCallLog && export.hasPromises)
    }

    @Test func eachCustomerCarriesTheCurrencyOfItsLatestInvoice() throws {
        let folder = try validExport()
        try folder.write("invoices.csv", """
            invoice_id,customer_id,invoice_date,due_date,amount,currency
            I1,007,2026-03-10,2026-04-09,300,EUR
            I2,007,2026-01-15,2026-02-14,1200.50,USD
            I3,C3,2026-03-01,2026-03-31,99.99,
            """ + "\n")
        try folder.write("payments.csv", "payment_id,customer_id,payment_date,amount,invoice_id\n")
        try folder.remove("promises.csv")
        let export = try ExportLoader.load(folder: folder.path)
        // 007's latest invoice (by date, not file order) is in EUR; 7 has none; C3's gives no currency.
        #expect((0..<3).map { export.customers.currencyCode(ofCustomer: $0) } == ["EUR", "", ""])
        #expect(export.customers.invoiceCurrency[1] == -1)
    }

    @Test func everyKindOfBadRowIsQuarantinedWithFileLineAndField() throws {
        let folder = try validExport()
        try folder.write("customers.csv", """
            customer_id,timezone,segment,country,credit_limit,do_not_call
            007,America/New_York,smb,US,5000,0
            007,Europe/Paris,smb,FR,1,0
            C9,Mars/Olympus,smb,US,1,0
            C10,Europe/Paris,smb,FR,abc,0
            C11,Europe/Paris,smb,FR,1,yes
            ,Europe/Paris,smb,FR,1,0
            C12,Europe/Paris,smb,FR
            """ + "\n")
        try folder.write("invoices.csv", """
            invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed
            I1,007,2026-01-15,2026-02-14,1200.50,USD,0
            I1,007,2026-01-16,2026-02-14,10,USD,0
            I2,C404,2026-01-15,2026-02-14,10,USD,0
            I3,007,2026-02-30,2026-03-14,10,USD,0
            I4,007,2026-03-15,2026-03-01,10,USD,0
            I5,007,2026-03-15,2026-04-01,-10,USD,0
            I6,007,2026-03-15,2026-04-01,12;5,USD,0
            I7,007,2026-03-15,2026-04-01,0,USD,0
            """ + "\n")
        try folder.write("payments.csv", """
            payment_id,customer_id,payment_date,amount,invoice_id
            P1,007,2026-02-20,1200.50,I1
            P2,007,2026-02-21,10,I99
            P3,007,20260222,10,
            P4,007,2026-01-10,10,I1
            """ + "\n")
        try folder.write("calls.csv", """
            call_id,customer_id,started_at,outcome,agent_id,duration_s
            K1,007,2026-02-16T14:05:00,no_answer,A1,0
            K2,007,2026-02-17T10:00:00Z,busy,A1,5
            K3,007,yesterday,promise,A1,5
            """ + "\n")
        try folder.remove("promises.csv")
        let export = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1))
        func entry(_ file: String, _ line: Int) -> QuarantinedRow? {
            export.quarantine.first { $0.file == file && $0.line == line }
        }
        #expect(entry("customers.csv", 3)?.reason.contains("duplicate customer_id \"007\"") == true)
        #expect(entry("customers.csv", 4)?.field == "timezone")
        #expect(entry("customers.csv", 5)?.field == "credit_limit")
        #expect(entry("customers.csv", 6)?.field == "do_not_call")
        #expect(entry("customers.csv", 7)?.reason == "empty customer_id")
        #expect(entry("customers.csv", 8)?.reason.contains("fields") == true)
        #expect(entry("invoices.csv", 3)?.reason.contains("duplicate invoice_id") == true)
        #expect(entry("invoices.csv", 4)?.reason == "unknown customer_id \"C404\"")
        #expect(entry("invoices.csv", 5)?.field == "invoice_date")
        #expect(entry("invoices.csv", 6)?.reason.contains("before invoice_date") == true)
        #expect(entry("invoices.csv", 7)?.reason.contains("negative amount") == true)
        #expect(entry("invoices.csv", 8)?.reason.contains("not a number") == true)
        #expect(entry("invoices.csv", 9)?.reason.contains("positive") == true)
        #expect(entry("payments.csv", 3)?.reason == "unknown invoice_id \"I99\"")
        #expect(entry("payments.csv", 4)?.field == "payment_date")
        #expect(entry("payments.csv", 5)?.reason == "payment_date 2026-01-10 is before invoice_date 2026-01-15 of invoice \"I1\"")
        #expect(entry("calls.csv", 2)?.reason.contains("without UTC offset") == true)
        #expect(entry("calls.csv", 3)?.reason.contains("unknown outcome \"busy\"") == true)
        #expect(entry("calls.csv", 4)?.field == "started_at")
        #expect(export.quarantine.count == 19)
        // Good rows survive next to bad ones.
        #expect(export.customers.count == 1 && export.invoices.count == 1 && export.payments.count == 1)
        #expect(export.calls.count == 0)
        #expect(!export.hasPromises)
    }

    @Test func invalidUTF8RowIsQuarantinedNotFatal() throws {
        let folder = try validExport()
        var bytes = Array("customer_id,timezone\n007,America/New_York\nC".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(",Europe/Berlin\n7,Europe/Berlin\nC3,Asia/Tokyo\n".utf8)
        try folder.write("customers.csv", bytes: bytes)
        let export = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 0.5))
        #expect(export.quarantine.first == QuarantinedRow(file: "customers.csv", line: 3, field: "customer_id",
                                                          reason: "invalid UTF-8 in customer_id"))
        #expect(export.customers.count == 3)
    }

    @Test func overTheThresholdTheLoadFailsAndSaysWhy() throws {
        let folder = try validExport()
        try folder.write("payments.csv", """
            payment_id,customer_id,payment_date,amount,invoice_id
            P1,007,2026-02-20,1200.50,I1
            P2,ghost,2026-03-05,50,
            """ + "\n")
        #expect {
            try ExportLoader.load(folder: folder.path)
        } throws: { error in
            guard let error = error as? ReceivablesError, case .tooManyBadRows(let file, 1, 2, _, _, _) = error else { return false }
            return file == folder.path + "/payments.csv"
                && error.description == folder.path + "/payments.csv: 1 of 2 rows rejected (50%), over the 1% bad-row threshold; "
                + "1 of them refer to customer_id values that are not in customers.csv: customers.csv lost rows they depend on "
                + "(truncated, or its rows were rejected: see the quarantine); check it first; "
                + "first: line 3, column \"customer_id\": unknown customer_id \"ghost\""
        }
        // Under a lenient threshold the same folder loads.
        _ = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 0.5))
    }

    @Test func missingFilesAndColumnsAreNamed() throws {
        let folder = try validExport()
        try folder.remove("payments.csv")
        #expect(throws: ReceivablesError.missingFile(folder: folder.path, file: "payments.csv")) {
            try ExportLoader.load(folder: folder.path)
        }
        try folder.write("payments.csv", "payment_id,customer_id,amount\n")
        #expect(throws: ReceivablesError.missingColumn(file: "\(folder.path)/payments.csv", column: "payment_date")) {
            try ExportLoader.load(folder: folder.path)
        }
        #expect(throws: ReceivablesError.missingFolder("/nonexistent/export")) {
            try ExportLoader.load(folder: "/nonexistent/export")
        }
    }

    @Test func emptyFileIsAnErrorButHeaderOnlyIsNoRows() throws {
        let folder = try validExport()
        try folder.write("calls.csv", "")
        #expect {
            try ExportLoader.load(folder: folder.path)
        } throws: { error in
            (error as? ReceivablesError)?.description.contains("calls.csv") == true
        }
        try folder.write("calls.csv", "call_id,customer_id,started_at,outcome\n")
        try folder.write("promises.csv", "promise_id,customer_id,created_date,promised_date,promised_amount\n")
        let export = try ExportLoader.load(folder: folder.path)
        #expect(export.calls.count == 0 && export.hasCallLog)
    }

    @Test func optionalFilesMayBeAbsent() throws {
        let folder = try validExport()
        try folder.remove("calls.csv")
        try folder.remove("promises.csv")
        let export = try ExportLoader.load(folder: folder.path)
        #expect(!export.hasCallLog && !export.hasPromises)
        #expect(export.invoices.count == 4)
    }

    @Test func promiseOnAnotherCustomersCallIsRejected() throws {
        let folder = try validExport()
        try folder.write("promises.csv", """
            promise_id,customer_id,created_date,promised_date,promised_amount,call_id
            R1,007,2026-02-17,2026-02-20,1200.50,K2
            R2,C3,2026-03-02,2026-03-09,40,K2
            R3,C3,2026-03-02,2026-03-01,40,
            """ + "\n")
        let export = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1))
        #expect(export.quarantine.map(\.line) == [3, 4])
        #expect(export.quarantine[0].reason.contains("belongs to another customer"))
        #expect(export.quarantine[1].reason.contains("before created_date"))
    }

    @Test func generatedHistoryLoadsCompletelyWithoutQuarantine() throws {
        let folder = try TemporaryFolder("export")
        let summary = try HistoryGenerator.generate(GeneratorConfiguration(customers: 200, months: 6, seed: 11), into: folder.path)
        let export = try ExportLoader.load(folder: folder.path)
        #expect(export.quarantine.isEmpty)
        #expect(export.customers.count == summary.customers)
        #expect(export.invoices.count == summary.invoices)
        #expect(export.payments.count == summary.payments)
        #expect(export.calls.count == summary.calls)
        #expect(export.promises.count == summary.promises)
    }

    @Test func rowOrderDoesNotChangeWhatIsLoaded() throws {
        let folder = try TemporaryFolder("export")
        _ = try HistoryGenerator.generate(GeneratorConfiguration(customers: 60, months: 4, seed: 5), into: folder.path)
        let original = try ExportLoader.load(folder: folder.path)
        // Reverse the data rows of every file.
        for file in ["customers.csv", "invoices.csv", "payments.csv", "calls.csv", "promises.csv"] {
            let text = try String(contentsOfFile: "\(folder.path)/\(file)", encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let header = lines.removeFirst()
            try folder.write(file, ([header] + lines.reversed()).joined(separator: "\n") + "\n")
        }
        let reversed = try ExportLoader.load(folder: folder.path)
        #expect(reversed.quarantine.isEmpty)
        let originalTotal = original.invoices.amount.reduce(0, +), reversedTotal = reversed.invoices.amount.reduce(0, +)
        #expect(abs(originalTotal - reversedTotal) < 1e-6 * originalTotal)
        for row in stride(from: 0, to: original.payments.count, by: 7) {
            let id = original.payments.ids.id(row)
            let other = Int(try #require(reversed.payments.ids.find(id)))
            #expect(original.customers.ids.id(Int(original.payments.customer[row]))
                    == reversed.customers.ids.id(Int(reversed.payments.customer[other])))
            #expect(original.payments.amount[row] == reversed.payments.amount[other])
        }
    }
}

/// Reading big files in parts on several threads gives exactly what one sequential pass gives.
struct ParallelReadTests {
    static func fingerprint(_ export: ReceivablesExport) -> [String] {
        var lines: [String] = []
        for row in 0..<export.invoices.count {
            lines.append("I \(export.invoices.ids.id(row)) \(export.invoices.customer[row]) \(export.invoices.amount[row]) "
                + "\(export.invoices.currencyCodes[Int(export.invoices.currency[row])])")
        }
        for row in 0..<export.payments.count {
            lines.append("P \(export.payments.ids.id(row)) \(export.payments.invoice[row]) \(export.payments.amount[row])")
        }
        for row in 0..<export.calls.count {
            lines.append("C \(export.calls.ids.id(row)) \(export.calls.startedAt[row]) \(export.calls.outcome[row])")
        }
        for row in 0..<export.promises.count { lines.append("R \(export.promises.ids.id(row)) \(export.promises.call[row])") }
        lines += export.quarantine.map { "Q \($0.file):\($0.line) \($0.field ?? "") \($0.reason)" }
        return lines
    }

    @Test func partsJoinToTheSequentialResultWithPhysicalLineNumbers() throws {
        let folder = try TemporaryFolder("export")
        _ = try HistoryGenerator.generate(GeneratorConfiguration(customers: 150, months: 6, seed: 21), into: folder.path)
        // Plant bad rows and duplicates across the file, and a quoted field with a line break.
        let path = "\(folder.path)/calls.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let count = lines.count
        lines[count / 5] = lines[count / 5].replacingOccurrences(of: "Z,", with: ",")          // no UTC offset
        lines[count * 3 / 4] = lines[1]                                                         // duplicate call_id
        var cells = lines[count - 2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[4] = "\"agent\nsecond line\""                                                    // quoted line break
        lines[count - 2] = cells.joined(separator: ",")
        lines.insert("CALLX,C000001,2026-01-05T10:00:00Z,busy,A0001,5", at: count / 2)         // unknown outcome
        try folder.write("calls.csv", lines.joined(separator: "\n") + "\n")
        let sequential = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1))
        for partBytes in [1, 4096, 100_000] {
            let parallel = try ExportLoader.load(
                folder: folder.path, options: ExportLoadOptions(badRowThreshold: 1, parallelReadMinimumBytes: partBytes))
            #expect(Self.fingerprint(parallel) == Self.fingerprint(sequential))
        }
        // Many small chunks (a few rows each, down to one line each), folded in file order by two workers.
        for chunkBytes in [1, 300, 4096] {
            let chunked = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(
                badRowThreshold: 1, parallelReadMinimumBytes: 1, parallelChunkBytes: chunkBytes))
            #expect(Self.fingerprint(chunked) == Self.fingerprint(sequential))
        }
        #expect(sequential.quarantine.count == 3)
        #expect(sequential.quarantine.allSatisfy { $0.file == "calls.csv" })
    }

    @Test func aBoundaryInsideAQuotedFieldFallsBackToOnePass() throws {
        let folder = try validExport()
        // One customer with a segment spanning many lines: every guessed boundary lands inside the quotes.
        let longSegment = "\"" + String(repeating: "line\n", count: 5_000) + "\""
        var text = "customer_id,timezone,segment\n007,America/New_York,smb\n7,Europe/Berlin," + longSegment + "\n"
        text += "C3,Asia/Tokyo,\n"
        try folder.write("customers.csv", text)
        // A currency cell spanning most of invoices.csv: the guessed middle boundary falls inside its quotes.
        let longCell = "\"" + String(repeating: "x\n", count: 20_000) + "\""
        let invoices = "invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed\n"
            + (0..<300).map { "J\($0),C3,2026-01-15,2026-02-14,\($0 + 1),JPY,0" }.joined(separator: "\n") + "\n"
            + "I1,007,2026-01-15,2026-02-14,10,\(longCell),0\n"
            + (300..<600).map { "J\($0),C3,2026-01-15,2026-02-14,\($0 + 1),JPY,0" }.joined(separator: "\n") + "\n"
        try folder.write("invoices.csv", invoices)
        try folder.write("payments.csv", "payment_id,customer_id,payment_date,amount\n")
        let sequential = try ExportLoader.load(folder: folder.path)
        let parallel = try ExportLoader.load(folder: folder.path, options: ExportLoadOptions(parallelReadMinimumBytes: 1))
        #expect(Self.fingerprint(parallel) == Self.fingerprint(sequential))
        #expect(parallel.invoices.count == 601)
        #expect(parallel.invoices.currencyCodes.contains { $0.hasPrefix("x\nx\n") })
    }
}

/// A file-stopping error in a later part names the same physical line as a one-pass read.
struct ParallelReadErrorTests {
    @Test func brokenQuotingLateInTheFileNamesItsPhysicalLine() throws {
        let folder = try validExport()
        var rows = (0..<100).map { "J\($0),C3,2026-01-15,2026-02-14,\($0 + 1),JPY,0" }
        rows[80] = "J80,C3,2026-01-15,2026-02-14,81,\"JPY\"x,0"
        try folder.write("invoices.csv", "invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed\n"
                         + rows.joined(separator: "\n") + "\n")
        func message(_ options: ExportLoadOptions) -> String {
            do {
                _ = try ExportLoader.load(folder: folder.path, options: options)
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        let sequential = message(ExportLoadOptions())
        #expect(sequential.contains("invoices.csv:82"))
        #expect(message(ExportLoadOptions(parallelReadMinimumBytes: 0)) == sequential)
        #expect(message(ExportLoadOptions(parallelReadMinimumBytes: 0, parallelChunkBytes: 200)) == sequential)
    }
}
