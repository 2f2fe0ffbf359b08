import Foundation
import TestSupport
import Testing
import Receivables
@testable import Features

/// A tiny export with every value worked out by hand (see the comments), snapshot on Monday 2026-03-16.
///
/// C1 (America/New_York, limit 10 000): six invoices before T, a partial payment, an on-account payment
/// (applied FIFO), a disputed invoice, calls on both sides of the 2026-03-08 DST change, five promises.
/// C2 (Europe/London, do-not-call, no limit): one unpaid invoice, nothing else.
/// C3 (Asia/Tokyo): an overpaid invoice whose excess covers part of a later one; calls whose local date is
/// a day after their UTC date.
/// C4: fully paid, so not in the snapshot at T.
/// Rows dated on T (an invoice, a payment, a call, a promise) must be invisible at T.
final class HandBuiltExport: @unchecked Sendable {
    let folder: TemporaryFolder
    let export: ReceivablesExport
    let builder: FeatureBuilder
    let t = day("2026-03-16")

    init() throws {
        folder = try TemporaryFolder("hand")
        try folder.write("customers.csv", """
            customer_id,timezone,segment,country,credit_limit,do_not_call
            C1,America/New_York,smb,US,10000,0
            C2,Europe/London,smb,GB,,1
            C3,Asia/Tokyo,enterprise,JP,5000,0
            C4,America/New_York,smb,US,1000,0

            """)
        try folder.write("invoices.csv", """
            invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed
            I1,C1,2025-12-01,2025-12-31,1000.00,USD,0
            I2,C1,2026-01-10,2026-02-09,500.00,USD,0
            I3,C1,2026-02-20,2026-03-22,250.00,USD,0
            I4,C1,2025-10-01,2025-10-31,400.00,USD,1
            I5,C1,2025-11-01,2025-12-01,300.00,USD,0
            I6,C1,2025-09-01,2025-09-30,200.00,USD,0
            I7,C1,2026-03-16,2026-04-15,999.00,USD,0
            J1,C2,2026-02-01,2026-03-03,120.50,GBP,0
            K1,C3,2026-01-01,2026-01-31,100000,JPY,0
            K2,C3,2026-02-15,2026-03-17,800,JPY,0
            L1,C4,2026-01-01,2026-01-31,100.00,USD,0

            """)
        try folder.write("payments.csv", """
            payment_id,customer_id,payment_date,amount,invoice_id
            P1,C1,2025-09-25,200.00,I6
            P2,C1,2025-12-20,300.00,I5
            P3,C1,2026-02-20,200.00,I2
            P4,C1,2026-03-01,150.00,
            P5,C1,2026-03-16,100.00,I1
            Q1,C3,2026-02-10,100500,K1
            R1,C4,2026-01-20,100.00,L1

            """)
        try folder.write("calls.csv", """
            call_id,customer_id,started_at,outcome,agent_id,duration_s
            A1,C1,2026-03-06T13:30:00Z,no_answer,X,10
            A2,C1,2026-03-09T08:30:00-04:00,right_party,X,100
            A3,C1,2026-03-09T22:30:00Z,voicemail,X,30
            A4,C1,2026-03-10T14:00:00Z,promise,X,200
            A5,C1,2026-03-16T13:00:00Z,right_party,X,60
            A6,C1,2026-01-05T15:00:00Z,refused,X,60
            A7,C1,2025-11-03T14:00:00Z,dispute,X,300
            A8,C1,2026-03-15T23:30:00Z,wrong_party,X,20
            B1,C3,2026-03-10T23:30:00Z,right_party,X,90
            B2,C3,2026-03-15T23:30:00Z,no_answer,X,15

            """)
        try folder.write("promises.csv", """
            promise_id,customer_id,created_date,promised_date,promised_amount,call_id
            R1,C1,2025-11-10,2025-11-20,300.00,
            R2,C1,2025-12-15,2025-12-19,300.00,
            R3,C1,2026-03-10,2026-03-20,500.00,A4
            R4,C1,2026-03-01,2026-03-12,200.00,
            R5,C1,2026-03-05,2026-03-13,100.00,
            R6,C1,2026-03-16,2026-03-25,50.00,A5

            """)
        export = try ExportLoader.load(folder: folder.path)
        builder = FeatureBuilder(export: export)
    }
}

@Suite struct HandBuiltExportTests {
    let fixture: HandBuiltExport
    let table: FeatureTable

    init() throws {
        fixture = try HandBuiltExport()
        table = fixture.builder.snapshot(asOf: fixture.t)
    }

    func value(_ customer: String, _ feature: Feature) throws -> Double {
        let index = try #require(fixture.export.customers.ids.find(customer))
        let row = try #require(table.row(ofCustomer: index))
        return table.value(row: row, feature)
    }

    @Test func exportLoadsWithoutQuarantine() {
        #expect(fixture.export.quarantine.isEmpty)
        #expect(fixture.builder.dataEnd == day("2026-03-17"))
    }

    @Test func onlyCustomersWithAnOpenBalanceAppear() {
        // C4 paid everything; C1, C2, C3 owe money.
        #expect(table.customers == [0, 1, 2])
        #expect(table.asOf == [fixture.t, fixture.t, fixture.t])
        #expect(table.columnNames == Feature.names)
        #expect(table.values.count == 3 * Feature.allCases.count)
        // On 2026-01-15 C4's invoice was open.
        #expect(fixture.builder.snapshot(asOf: day("2026-01-15")).customers.contains(3))
    }

    @Test func balancesAndAgingWithPartialAndOnAccountPayments() throws {
        // Open at T: I1 1000 − 150 on-account credit (FIFO, oldest non-disputed due date) = 850, 75 days past due;
        // I2 500 − 200 partial = 300, 35 days; I3 250 not yet due; I4 400 disputed, 136 days. I5, I6 paid; I7 and
        // the payment P5 are dated on T and invisible.
        #expect(try value("C1", .openBalance) == 1800)
        #expect(try value("C1", .pastDueBalance) == 1550)
        #expect(try value("C1", .agingCurrent) == 250)
        #expect(try value("C1", .aging1To30) == 0)
        #expect(try value("C1", .aging31To60) == 300)
        #expect(try value("C1", .aging61To90) == 850)
        #expect(try value("C1", .aging91Plus) == 400)
        #expect(try value("C1", .shareCurrent) == 250.0 / 1800)
        #expect(try value("C1", .share61To90) == 850.0 / 1800)
        #expect(try value("C1", .pastDueShare) == 1550.0 / 1800)
        #expect(try value("C1", .maxDaysPastDue) == 136)
        let weightedDays: Double = 850 * 75 + 300 * 35 + 400 * 136
        #expect(try value("C1", .balanceWeightedDaysPastDue) == weightedDays / 1550)
        #expect(try value("C1", .openInvoiceCount) == 4)
        #expect(try value("C1", .pastDueInvoiceCount) == 3)
        #expect(try value("C1", .invoiceCount) == 6)
        #expect(try value("C1", .oldestOpenInvoiceAge) == 166)
        #expect(try value("C1", .unappliedCredit) == 0)
        #expect(try value("C1", .invoicesLast90d) == 2)
        #expect(try value("C1", .invoicedAmountLast90d) == 750)
        #expect(try value("C1", .averageInvoiceAmount) == 2650.0 / 6)
        #expect(try value("C1", .openBalanceToAverageInvoice) == 1800.0 * 6 / 2650)
        // On 2026-02-14 (rows dated before it): I1 1000, I2 500, I4 400 were past due.
        #expect(try value("C1", .pastDueBalance30dAgo) == 1900)
        #expect(try value("C1", .pastDueChange30d) == (1550.0 - 1900) / 1900)
        #expect(try value("C1", .tenureDays) == 196)
        #expect(try value("C1", .creditLimit) == 10000)
        #expect(try value("C1", .creditUtilisation) == 0.18)
        #expect(try value("C1", .doNotCall) == 0)
        #expect(try value("C1", .log1pOpenBalance) == Foundation.log1p(1800))
        #expect(try value("C1", .log1pMaxDaysPastDue) == Foundation.log1p(136))
    }

    @Test func paymentHistory() throws {
        // I6 paid 5 days early (−5), I5 19 days late; I2 only partly paid.
        #expect(try value("C1", .paidInvoiceCount) == 2)
        #expect(try value("C1", .averageDaysLate) == 7)
        #expect(try value("C1", .sharePaidLate) == 0.5)
        #expect(try value("C1", .recentAverageDaysLate) == 7)
        #expect(try value("C1", .daysLateTrend) == 0)
        // Payments in [T − 30, T): P3 200, P4 150; in [T − 90, T): also P2 300.
        #expect(try value("C1", .paymentsCount30d) == 2)
        #expect(try value("C1", .paymentAmount30d) == 350)
        #expect(try value("C1", .paymentsCount90d) == 3)
        #expect(try value("C1", .paymentAmount90d) == 650)
        #expect(try value("C1", .daysSinceLastPayment) == 15)
        #expect(try value("C1", .hasPaidBefore) == 1)
        #expect(try value("C1", .log1pPaymentAmount90d) == Foundation.log1p(650))
    }

    @Test func disputes() throws {
        #expect(try value("C1", .disputedOpenBalance) == 400)
        #expect(try value("C1", .disputedPastDueBalance) == 400)
        #expect(try value("C1", .disputedOpenInvoiceCount) == 1)
        #expect(try value("C1", .hasDispute) == 1)
        // The dispute call of 2025-11-03 is older than 90 days.
        #expect(try value("C1", .disputeCalls90d) == 0)
        #expect(try value("C2", .hasDispute) == 0)
    }

    @Test func callAttemptsAndContacts() throws {
        // UTC days before T: 03-06, 03-09 (×2), 03-10, 03-15, 01-05, 2025-11-03. The call at 03-16 13:00Z is on T.
        #expect(try value("C1", .attempts7d) == 4)
        #expect(try value("C1", .attempts30d) == 5)
        #expect(try value("C1", .attempts90d) == 6)
        #expect(try value("C1", .attemptsTotal) == 7)
        #expect(try value("C1", .rpc30d) == 2)
        #expect(try value("C1", .rpc90d) == 3)
        #expect(try value("C1", .rpcTotal) == 4)
        #expect(try value("C1", .rpcRate30d) == 2.0 / 5)
        #expect(try value("C1", .rpcRate90d) == 3.0 / 6)
        #expect(try value("C1", .rpcRateTotal) == 4.0 / 7)
        #expect(try value("C1", .daysSinceLastAttempt) == 1)
        #expect(try value("C1", .daysSinceLastRPC) == 6)
        #expect(try value("C1", .refused90d) == 1)
    }

    @Test func callWindowsAcrossTheDaylightSavingChange() throws {
        let row = try #require(table.row(ofCustomer: 0))
        let counts = table.windowCounts
        // Fri 03-06 13:30Z = 08:30 EST → Fri 08-10 (20). Mon 03-09 12:30Z = 08:30 EDT → Mon 08-10 (0), and so is
        // Mon 2025-11-03 14:00Z = 09:00 EST (the day after DST ended). Tue 03-10 14:00Z = 10:00 EDT → Tue 10-12 (6).
        // Mon 01-05 15:00Z = 10:00 EST → Mon 10-12 (1). 03-09 22:30Z = 18:30 EDT and Sun 03-15 are outside.
        var expectedAttempts = [Int32](repeating: 0, count: 25)
        var expectedContacts = [Int32](repeating: 0, count: 25)
        expectedAttempts[20] = 1
        expectedAttempts[0] = 2; expectedContacts[0] = 2
        expectedAttempts[6] = 1; expectedContacts[6] = 1
        expectedAttempts[1] = 1; expectedContacts[1] = 1
        #expect((0..<25).map { counts.attempts(row: row, window: $0) } == expectedAttempts)
        #expect((0..<25).map { counts.rightPartyContacts(row: row, window: $0) } == expectedContacts)
        // With EST all year, 03-09 12:30Z would be 07:30 (outside) and 22:30Z 17:30 (Mon 16-18): it is not.
        #expect(counts.attempts(row: row, window: 4) == 0)

        // Tokyo: 03-10 23:30Z is Wed 03-11 08:30 local (Wed 08-10 = 10); 03-15 23:30Z is Mon 03-16 08:30 local
        // — counted at T although its local date is T, because its UTC day is 03-15.
        let tokyo = try #require(table.row(ofCustomer: 2))
        #expect(counts.attempts(row: tokyo, window: 10) == 1)
        #expect(counts.rightPartyContacts(row: tokyo, window: 10) == 1)
        #expect(counts.attempts(row: tokyo, window: 0) == 1)
        #expect(try value("C3", .attemptsTotal) == 2)
    }

    @Test func contactAttemptsCarryLocalTimeAndWindow() throws {
        let attempts = fixture.builder.contactAttempts(from: day("2026-03-01"), to: day("2026-03-17"))
        let byCall = Dictionary(uniqueKeysWithValues: attempts.map { (fixture.export.calls.ids.id(Int($0.call)), $0) })
        #expect(attempts.count == 8)
        let a1 = try #require(byCall["A1"])
        #expect(a1.window == 20 && a1.localWeekday == 4 && a1.localHour == 8 && !a1.rightPartyContact)
        let a2 = try #require(byCall["A2"])
        #expect(a2.window == 0 && a2.localWeekday == 0 && a2.localHour == 8 && a2.rightPartyContact)
        let a3 = try #require(byCall["A3"])
        #expect(a3.window == -1 && a3.localHour == 18)
        let a8 = try #require(byCall["A8"])
        #expect(a8.window == -1 && a8.localWeekday == 6 && a8.localHour == 19 && a8.utcDay == day("2026-03-15"))
        let b1 = try #require(byCall["B1"])
        #expect(b1.window == 10 && b1.localWeekday == 2 && b1.localHour == 8 && b1.utcDay == day("2026-03-10"))
        #expect(byCall["A5"]?.outcome == .rightParty)
        // Ordered by customer, then time.
        #expect(attempts.map(\.customer) == attempts.map(\.customer).sorted())
        #expect(fixture.builder.contactAttempts(from: day("2026-03-16"), to: day("2026-03-17")).count == 1)
    }

    @Test func promisesKeptBrokenAndOpen() throws {
        // R1 broken (nothing paid 11-10 … 11-23); R2 kept (P2 300 on 12-20 ≤ 12-19 + 3); R4 broken (only P4 150
        // in 03-01 … 03-15). R3 (due 03-20) and R5 (03-13 + 3 grace = T) are still open; R6 is dated T.
        #expect(try value("C1", .promisesMade) == 5)
        #expect(try value("C1", .promisesKept) == 1)
        #expect(try value("C1", .promisesBroken) == 2)
        #expect(try value("C1", .promisesOpen) == 2)
        #expect(try value("C1", .promiseKeptRatio) == 2.0 / 5)
        #expect(try value("C1", .openPromiseAmount) == 600)
        #expect(try value("C1", .openPromiseRemaining) == 600)
        #expect(try value("C1", .hasOpenPromise) == 1)
        #expect(try value("C1", .openPromiseNotDue) == 1)
        #expect(try value("C1", .daysToOpenPromiseDate) == -3)
        #expect(try value("C1", .daysSinceLastPromise) == 6)
        // A day later R5's window (03-05 … 03-16) is over: the 100 paid on 03-16 keeps it. R3 and R6 are open.
        let next = fixture.builder.features(of: [0], asOf: day("2026-03-17"))
        #expect(next.value(row: 0, .promisesKept) == 2)
        #expect(next.value(row: 0, .promisesBroken) == 2)
        #expect(next.value(row: 0, .promisesOpen) == 2) // R3 and R6
    }

    @Test func customerWithNothingButAnInvoiceGetsTheDocumentedFills() throws {
        // C2: 120.50 due 03-03, 13 days past due; never paid, never called, no limit, do-not-call.
        #expect(try value("C2", .openBalance) == 120.5)
        #expect(try value("C2", .aging1To30) == 120.5)
        #expect(try value("C2", .maxDaysPastDue) == 13)
        #expect(try value("C2", .tenureDays) == 43)
        #expect(try value("C2", .daysSinceLastPayment) == 43)
        #expect(try value("C2", .daysSinceLastAttempt) == 43)
        #expect(try value("C2", .daysSinceLastRPC) == 43)
        #expect(try value("C2", .daysSinceLastPromise) == 43)
        #expect(try value("C2", .hasPaidBefore) == 0)
        #expect(try value("C2", .averageDaysLate) == 0)
        #expect(try value("C2", .rpcRate30d) == 0)
        #expect(try value("C2", .promiseKeptRatio) == 0.5)
        #expect(try value("C2", .creditLimit) == 0)
        #expect(try value("C2", .creditUtilisation) == 0)
        #expect(try value("C2", .doNotCall) == 1)
    }

    @Test func overpaymentBecomesCreditOnTheNextInvoice() throws {
        // K1 100 000 paid with 100 500 on 02-10 (10 days late): 500 excess covers part of K2 (800, not yet due).
        #expect(try value("C3", .openBalance) == 300)
        #expect(try value("C3", .agingCurrent) == 300)
        #expect(try value("C3", .pastDueBalance) == 0)
        #expect(try value("C3", .paidInvoiceCount) == 1)
        #expect(try value("C3", .averageDaysLate) == 10)
        #expect(try value("C3", .unappliedCredit) == 0)
        #expect(try value("C3", .creditUtilisation) == 300.0 / 5000)
    }

    @Test func unappliedCreditLeftWhenNothingIsOpen() {
        // On 2026-02-14 C3 owes nothing on K1 and K2 does not exist yet: 500 of credit, no snapshot row.
        let rows = fixture.builder.features(of: [2], asOf: day("2026-02-14"))
        #expect(rows.value(row: 0, .unappliedCredit) == 500)
        #expect(rows.value(row: 0, .openBalance) == 0)
        #expect(!fixture.builder.snapshot(asOf: day("2026-02-14")).customers.contains(2))
    }

    @Test func paymentLabelsLookForwardFromT() throws {
        let labels = fixture.builder.labels(for: table, horizonDays: 30)
        // C1 pays 100 on T itself; C2 and C3 pay nothing before the data ends (2026-03-17).
        #expect(labels.paidWithinHorizon == [1, 0, 0])
        #expect(labels.cashWithinHorizon == [100, 0, 0])
        #expect(labels.daysToFirstPayment == [1, 1, 1])
        #expect(labels.paymentObserved == [1, 0, 0])
        #expect(labels.horizonObserved == [false, false, false])
        let early = fixture.builder.features(of: [0, 3], asOf: day("2026-01-15"))
        let earlyLabels = fixture.builder.labels(for: early, horizonDays: 30)
        // C1's next payment after 01-15 is P3 on 02-20 (37 days counting 01-15 as day 1): not within 30 days.
        #expect(earlyLabels.paidWithinHorizon == [0, 1])
        #expect(earlyLabels.daysToFirstPayment == [37, 6])
        #expect(earlyLabels.cashWithinHorizon == [0, 100])
        #expect(earlyLabels.horizonObserved == [true, true])
    }

    @Test func promiseRecordsLabelsAndFeaturesAtCreation() throws {
        let records = fixture.builder.promiseRecords()
        #expect(records.count == 6)
        let ids = records.promises.map { fixture.export.promises.ids.id(Int($0)) }
        #expect(ids == ["R1", "R2", "R4", "R5", "R3", "R6"]) // C1's promises by created date
        // R5 and R6 are kept by P5 (100 on 03-16), inside their windows.
        #expect(records.kept == [0, 1, 0, 1, 0, 1])
        // dataEnd 2026-03-17: R5 (03-13 + 3 = 03-16) is known, R3 and R6 are not.
        #expect(records.known == [true, true, true, true, false, false])
        let features = records.features
        #expect(features.columnNames == PromiseFeature.names + Feature.names)
        #expect(features.asOf == records.createdDate)
        // R3, made 03-10 for 500 due 03-20: past due then 850 + 300 + 400 = 1550, non-disputed 1150 → partial.
        let r3 = 4
        #expect(features.value(row: r3, column: PromiseFeature.promisedAmount.rawValue) == 500)
        #expect(features.value(row: r3, column: PromiseFeature.daysToPromisedDate.rawValue) == 10)
        #expect(features.value(row: r3, column: PromiseFeature.promiseToPastDue.rawValue) == 500.0 / 1550)
        #expect(features.value(row: r3, column: PromiseFeature.partialPromise.rawValue) == 1)
        // Before 03-10: R1, R2 and R4 … R4's window ends 03-15, so only R1 (broken) and R2 (kept) are resolved.
        #expect(features.value(row: r3, .promisesMade) == 4)
        #expect(features.value(row: r3, .promisesKept) == 1)
        #expect(features.value(row: r3, .promisesBroken) == 1)
        #expect(features.value(row: r3, .pastDueBalance) == 1550)
        #expect(records.knownOnly().count == 4)
        // A longer grace moves the known horizon (R4 is still broken: nothing more was paid).
        let lenient = fixture.builder.promiseRecords(asOfDataEnd: day("2026-04-01"), graceDays: 7)
        #expect(lenient.known == [true, true, true, true, true, false])
    }
}
