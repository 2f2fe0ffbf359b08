import CivilTime
@testable import Features
import Foundation
import Receivables
import TestSupport
import Testing

@Suite struct EdgeCaseTests {
    @Test func exportWithoutCallsOrPromisesOrInvoicesForSomeCustomers() throws {
        let folder = try TemporaryFolder("minimal")
        try folder.write("customers.csv", "customer_id,timezone\nA,Australia/Adelaide\nB,UTC\n")
        try folder.write("invoices.csv", "invoice_id,customer_id,invoice_date,due_date,amount\nI1,A,2026-01-01,2026-01-31,10\n")
        try folder.write("payments.csv", "payment_id,customer_id,payment_date,amount\n")
        let export = try ExportLoader.load(folder: folder.path)
        #expect(!export.hasCallLog && !export.hasPromises)
        let builder = FeatureBuilder(export: export)
        #expect(builder.dataEnd == day("2026-01-02"))
        let table = builder.snapshot(asOf: day("2026-03-01"))
        #expect(table.customers == [0])
        #expect(table.value(row: 0, .openBalance) == 10)
        #expect(table.value(row: 0, .maxDaysPastDue) == 29)
        #expect(table.value(row: 0, .attemptsTotal) == 0)
        #expect(table.windowCounts.attempts.allSatisfy { $0 == 0 })
        #expect(table.values.allSatisfy { $0.isFinite })
        // B has nothing at all: a zero row with fills, no snapshot row.
        let b = builder.features(of: [1], asOf: day("2026-03-01"))
        #expect(b.value(row: 0, .openBalance) == 0 && b.value(row: 0, .tenureDays) == 0)
        #expect(b.values.allSatisfy { $0.isFinite })
        #expect(builder.snapshot(asOf: day("2026-01-01")).rowCount == 0)
        #expect(builder.contactAttempts(from: Int32.min, to: Int32.max).isEmpty)
        #expect(builder.promiseRecords().count == 0)
        let set = builder.trainingSet(from: day("2026-01-01"), to: day("2026-04-01"))
        #expect(set.snapshotDates.count == 3 && set.rowCount == 2)
        #expect(set.droppingUnobservedLabels().rowCount == 0)
    }

    @Test func emptyExport() throws {
        let folder = try TemporaryFolder("empty")
        try folder.write("customers.csv", "customer_id,timezone\n")
        try folder.write("invoices.csv", "invoice_id,customer_id,invoice_date,due_date,amount\n")
        try folder.write("payments.csv", "payment_id,customer_id,payment_date,amount\n")
        let builder = FeatureBuilder(export: try ExportLoader.load(folder: folder.path))
        let table = builder.snapshot(asOf: day("2026-03-01"))
        #expect(table.rowCount == 0 && table.values.isEmpty && table.columnNames == Feature.names)
        #expect(builder.labels(for: table).count == 0)
    }

    @Test func zoneTableFindsHalfHourTransitionsExactly() throws {
        // Adelaide (UTC+9:30 / +10:30) starts DST on 2025-10-05 at 02:00 local standard time = 16:30 UTC on 10-04.
        let table = ZoneOffsetTable(identifier: "Australia/Adelaide", firstDay: day("2025-10-01"), lastDay: day("2025-10-10"))
        let change = Int64(day("2025-10-04")) * 86_400 + 16 * 3600 + 30 * 60
        #expect(table.offset(at: change - 1) == 34_200)
        #expect(table.offset(at: change) == 37_800)
        let zone = TimeZone(identifier: "Australia/Adelaide")!
        for instant in stride(from: change - 86_400, to: change + 86_400, by: 600) {
            #expect(Int(table.offset(at: instant)) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
        }
        // Outside the table's days it falls back to Foundation.
        let far = Int64(day("2026-01-15")) * 86_400
        #expect(Int(table.offset(at: far)) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(far))))
        #expect(table.localTime(change).hour == 3) // 03:00 daylight time
    }
}
