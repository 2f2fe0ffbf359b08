import Foundation
import Receivables
import TestSupport
import Testing
@testable import Features

/// The cash-share label on a hand-built export, snapshot T = 2026-06-01, H = 30 (window [06-01, 07-01)).
///
/// A pays every small monthly invoice on time but carries a 10 000 invoice past due since 2025-12-31: at T its
/// past-due balance is 10 000 + 200 (A2, due 05-31). In the window it pays A2 on T itself (counts), A3 (due 06-14,
/// current at T: does not count) and A4 (issued after T: does not count). Paid within H = 1, yet share = 200 / 10 200.
/// B owes 1 000 past due; it pays 400 on account (counts: credit goes FIFO to the oldest due) and 300 on 07-01,
/// the first day after the window. Share 0.4.
/// C owes 500 past due; it pays it and 300 more on account: 800 collected, capped at the balance. Share 1.
/// D has only a current invoice (no past-due balance), which it pays: not a cash-share example.
struct CashShareLabelTests {
    let folder: TemporaryFolder
    let builder: FeatureBuilder
    let table: FeatureTable
    let labels: PaymentLabels

    init() throws {
        folder = try TemporaryFolder("cash-share")
        try folder.write("customers.csv", """
            customer_id,timezone
            A,Europe/Berlin
            B,Europe/Berlin
            C,Europe/Berlin
            D,Europe/Berlin

            """)
        try folder.write("invoices.csv", """
            invoice_id,customer_id,invoice_date,due_date,amount
            A0,A,2025-12-01,2025-12-31,10000.00
            A1,A,2026-04-01,2026-05-01,200.00
            A2,A,2026-05-01,2026-05-31,200.00
            A3,A,2026-05-15,2026-06-14,200.00
            A4,A,2026-06-05,2026-07-05,200.00
            B1,B,2026-04-15,2026-05-15,1000.00
            C1,C,2026-04-01,2026-05-01,500.00
            D1,D,2026-05-20,2026-06-19,700.00

            """)
        try folder.write("payments.csv", """
            payment_id,customer_id,payment_date,amount,invoice_id
            PA1,A,2026-04-25,200.00,A1
            PA2,A,2026-06-01,200.00,A2
            PA3,A,2026-06-10,200.00,A3
            PA4,A,2026-06-20,200.00,A4
            PB1,B,2026-06-10,400.00,
            PB2,B,2026-07-01,300.00,B1
            PC1,C,2026-06-03,500.00,C1
            PC2,C,2026-06-04,300.00,
            PD1,D,2026-06-15,700.00,D1

            """)
        let export = try ExportLoader.load(folder: folder.path)
        builder = FeatureBuilder(export: export, options: FeatureOptions(dataEnd: day("2026-08-01")))
        table = builder.snapshot(asOf: day("2026-06-01"))
        labels = builder.labels(for: table, horizonDays: 30)
    }

    @Test func pastDueCashCountsOnlyPaymentsAgainstThePastDueBalance() {
        #expect(table.customers == [0, 1, 2, 3])
        #expect(table.column(.pastDueBalance).map { $0 } == [10_200, 1000, 500, 0])
        #expect(labels.paidWithinHorizon == [1, 1, 1, 1])
        #expect(labels.cashWithinHorizon == [600, 400, 800, 700])
        #expect(labels.pastDueCashWithinHorizon == [200, 400, 800, 0])
    }

    @Test func shareIsCappedCashOverBalanceWeightedByBalance() {
        let cash = CashShareLabels(table: table, labels: labels, rows: Array(0..<table.rowCount))
        #expect(cash.rows == [0, 1, 2])
        #expect(cash.balances == [10_200, 1000, 500])
        #expect(cash.shares == [200.0 / 10_200, 0.4, 1])
        #expect(abs(cash.collectedCash - (200 + 400 + 500)) < 1e-9)
    }

    @Test func aReliableSmallInvoicePayerWithALargeOldBalanceHasALowShare() {
        // A "pays within H" for sure, so past due × P(pay) would count its whole 10 200 as cash; the share counts 200.
        let cash = CashShareLabels(table: table, labels: labels, rows: [0])
        #expect(labels.paidWithinHorizon[0] == 1)
        #expect(cash.shares[0] < 0.02)
        #expect(cash.collectedCash == 200)
    }

    @Test func selectingAndStackingCarryThePastDueCash() {
        #expect(labels.selectingRows([2, 0]).pastDueCashWithinHorizon == [800, 200])
        #expect(PaymentLabels.stacking([labels, labels.selectingRows([1])]).pastDueCashWithinHorizon == [200, 400, 800, 0, 400])
    }
}
