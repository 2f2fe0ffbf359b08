@testable import Features
import Foundation
import Receivables
import Testing

/// `FeatureBuilder.openInvoices(of:asOf:)`: the invoices behind the snapshot's balances, settled the same way.
@Suite("Open invoices as of a date")
struct OpenInvoicesTests {
    /// Per account, the open invoices add up to `open_balance`, the disputed ones to `disputed_open_balance` and its
    /// past-due part, and the disputed ones are counted as `disputed_open_invoice_count`; only disputed invoices carry
    /// their export id.
    @Test(arguments: ["2026-03-01", "2026-08-17"])
    func openInvoicesAddUpToTheSnapshotBalances(_ date: String) throws {
        let generated = smallGenerated, t = day(date)
        let table = generated.builder.snapshot(asOf: t)
        let invoices = generated.builder.openInvoices(of: table.customers, asOf: t)
        let byCustomer = Dictionary(grouping: invoices, by: \.customer)
        let disputedIds = Set(generated.export.invoices.disputed.indices
            .filter { generated.export.invoices.disputed[$0] }.map { generated.export.invoices.ids.id($0) })
        #expect(invoices.contains { $0.isDisputed }, "the generated export should hold open disputed invoices")
        func column(_ feature: Feature) -> ArraySlice<Double> { table.column(feature) }
        let open = column(.openBalance), disputed = column(.disputedOpenBalance)
        let disputedPastDue = column(.disputedPastDueBalance), count = column(.disputedOpenInvoiceCount)
        for (row, customer) in table.customers.enumerated() {
            let own = byCustomer[customer] ?? []
            let mine = own.filter(\.isDisputed)
            #expect(abs(own.reduce(0) { $0 + $1.openAmount } - open[open.startIndex + row]) < 0.001)
            #expect(abs(mine.reduce(0) { $0 + $1.openAmount } - disputed[disputed.startIndex + row]) < 0.001)
            #expect(abs(mine.filter { $0.daysPastDue > 0 }.reduce(0) { $0 + $1.openAmount }
                        - disputedPastDue[disputedPastDue.startIndex + row]) < 0.001)
            #expect(Double(mine.count) == count[count.startIndex + row])
            #expect(own.allSatisfy { $0.openAmount > 0 && $0.openAmount <= $0.amount + 0.0005 && $0.invoiceDate < t })
            #expect(own.allSatisfy { $0.daysPastDue == Int(t) - Int($0.dueDate) })
            #expect(mine.allSatisfy { disputedIds.contains($0.disputedInvoiceId ?? "") })
        }
    }
}
