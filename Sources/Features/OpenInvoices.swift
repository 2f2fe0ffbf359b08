import Parallelism

/// One invoice still open as of a date: dated before it, not fully paid after payments and credit.
///
/// Amounts are in the invoice currency (exact to the thousandth); dates are day numbers (days since 1970-01-01).
public struct OpenInvoice: Sendable, Equatable {
    /// Customer index of the export.
    public let customer: Int32
    /// The export's `invoice_id` for a disputed invoice; nil for an undisputed one (the index keeps only the ids of
    /// disputed invoices).
    public let disputedInvoiceId: String?
    public let invoiceDate: Int32
    public let dueDate: Int32
    /// The invoice's amount and what of it is still open as of the date (> 0).
    public let amount: Double
    public let openAmount: Double
    /// Days past due as of the date: date − due date (≤ 0 when not yet due).
    public let daysPastDue: Int

    /// Whether the invoice is flagged disputed in invoices.csv.
    public var isDisputed: Bool { disputedInvoiceId != nil }
}

extension FeatureBuilder {
    /// The open invoices of `customers` as of `t`, settled exactly as the snapshot features settle them (so per
    /// customer their open amounts add up to `open_balance`, their disputed ones to `disputed_open_balance`).
    ///
    /// Only rows dated before `t` are read. Customers in the order given, each customer's invoices in index order
    /// (invoice date, then file order). O(rows of these customers), on all cores.
    public func openInvoices(of customers: [Int32], asOf t: Int32) -> [OpenInvoice] {
        precondition(customers.allSatisfy { $0 >= 0 && Int($0) < customerCount }, "customer index out of range")
        let kernel = kernel(graceDays: options.graceDays)
        let ranges = Parallel.chunks(count: customers.count, minimumChunk: 256)
        let view = index.view!, ids = index.disputedInvoiceIds, widest = index.maximumInvoicesPerCustomer
        var parts = [[OpenInvoice]](repeating: [], count: ranges.count)
        parts.withUnsafeMutableBufferPointer { parts in
            let out = UncheckedBox(parts)
            Parallel.run(ranges) { chunk, range in
                let scratch = KernelScratch(capacity: widest)
                var found: [OpenInvoice] = []
                for c in customers[range] {
                    let settled = kernel.settle(customer: Int(c), asOf: t, scratch: scratch)
                    for j in 0..<settled.count where scratch.open[j] > 0 {
                        let position = settled.first + j
                        let disputed = view.invoiceDisputed[position] != 0
                        found.append(OpenInvoice(
                            customer: c, disputedInvoiceId: disputed ? ids[Int32(position)] ?? "" : nil,
                            invoiceDate: view.invoiceDate[position], dueDate: view.invoiceDue[position],
                            amount: Money.units(view.invoiceAmount[position]), openAmount: Money.units(scratch.open[j]),
                            daysPastDue: Int(t) - Int(view.invoiceDue[position])))
                    }
                }
                out.value[chunk] = found
            }
        }
        return parts.flatMap { $0 }
    }
}
