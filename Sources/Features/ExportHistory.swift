import CivilTime

/// A read-only view of the builder's per-customer index for modules that report on the history (the KPIs):
/// the same date-sorted rows the snapshot kernel reads, with the promise-kept rule of the promise records, so a
/// report never re-sorts the export or restates a definition.
///
/// Rows of customer `c` are `offsets[c] ..< offsets[c + 1]` of each table, sorted by date within the customer
/// (ties in file order); amounts are exact thousandths of the currency unit (`Int64`, see `milliPerUnit`).
/// Invoices are in FIFO order (invoice date, then file order); `paymentInvoice` holds the position of the paid
/// invoice in these arrays, or −1 for a payment on account. The pointers are valid while the view is alive.
public struct ExportHistory: @unchecked Sendable {
    /// Keeps the index (and so every pointer below) alive.
    private let index: ExportIndex
    private let view: IndexView

    public let customerCount: Int
    /// Thousandths per currency unit of the amounts below.
    public static let milliPerUnit: Double = 1000

    public let invoiceOffsets: UnsafePointer<Int>
    public let invoiceDate: UnsafePointer<Int32>
    public let invoiceDue: UnsafePointer<Int32>
    public let invoiceAmount: UnsafePointer<Int64>

    public let paymentOffsets: UnsafePointer<Int>
    public let paymentDate: UnsafePointer<Int32>
    public let paymentAmount: UnsafePointer<Int64>
    public let paymentInvoice: UnsafePointer<Int32>

    public let callOffsets: UnsafePointer<Int>
    /// UTC day of each call's `started_at`.
    public let callDay: UnsafePointer<Int32>
    /// `CallOutcome.rawValue` of each call.
    public let callOutcome: UnsafePointer<UInt8>

    public let promiseOffsets: UnsafePointer<Int>
    public let promiseCreated: UnsafePointer<Int32>
    public let promiseDue: UnsafePointer<Int32>

    /// One offset table per time-zone name of the customers table, covering every call's UTC day.
    public let zones: [ZoneOffsetTable]
    /// `started_at` of every call, in export row order; index it with `callStartedAt(_:)`.
    private let startedAt: [Int64]

    init(index: ExportIndex) {
        self.index = index
        view = index.view
        customerCount = index.customerCount
        invoiceOffsets = UnsafePointer(view.invoiceOffsets)
        invoiceDate = UnsafePointer(view.invoiceDate)
        invoiceDue = UnsafePointer(view.invoiceDue)
        invoiceAmount = UnsafePointer(view.invoiceAmount)
        paymentOffsets = UnsafePointer(view.paymentOffsets)
        paymentDate = UnsafePointer(view.paymentDate)
        paymentAmount = UnsafePointer(view.paymentAmount)
        paymentInvoice = UnsafePointer(view.paymentInvoice)
        callOffsets = UnsafePointer(view.callOffsets)
        callDay = UnsafePointer(view.callDay)
        callOutcome = UnsafePointer(view.callOutcome)
        promiseOffsets = UnsafePointer(view.promiseOffsets)
        promiseCreated = UnsafePointer(view.promiseCreated)
        promiseDue = UnsafePointer(view.promiseDue)
        zones = index.zones
        startedAt = index.callStartedAt
    }

    /// `started_at` (seconds since the epoch, UTC) of the call at index position `q`.
    @inline(__always)
    public func callStartedAt(_ q: Int) -> Int64 { startedAt[Int(view.callRow[q])] }

    /// Whether the promise at index position `p` (of customer `c`) is kept: the rule of `promiseRecords` (payments
    /// by the customer dated from its created date through promised date + `graceDays` add up to its amount).
    @inline(__always)
    public func promiseKept(_ p: Int, customer c: Int, graceDays: Int32) -> Bool {
        view.promiseKept(p, customer: c, graceDays: graceDays)
    }
}

extension FeatureBuilder {
    /// The builder's index as a read-only history (no copy).
    public var history: ExportHistory { ExportHistory(index: index) }
}
