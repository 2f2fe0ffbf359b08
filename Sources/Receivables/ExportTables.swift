import CallGrid

/// Customers from customers.csv, one row per customer, in file order.
public struct CustomerTable: Sendable, IdentifiedRows {
    /// Customer ids (strings; leading zeros kept); row = customer index used by every other table.
    public var ids = IDIndex()
    /// Index into `timezoneNames` per customer.
    public var timezone: [Int32] = []
    /// Distinct IANA time-zone names, in order of first appearance.
    public var timezoneNames: [String] = []
    /// Index into `segmentNames` per customer (0 = empty segment).
    public var segment: [Int32] = []
    /// Distinct segment names; entry 0 is "" (no segment given).
    public var segmentNames: [String] = [""]
    /// Country per customer ("" when not given).
    public var country: [String] = []
    /// Credit limit, NaN when not given.
    public var creditLimit: [Double] = []
    /// Do-not-call flag (false when not given).
    public var doNotCall: [Bool] = []
    /// Local times the customer asked not to be called (`do_not_call_times`; empty when not given).
    public var doNotCallTimes: [DoNotCallTimes] = []
    /// Index into `invoiceCurrencyCodes` of the currency of the customer's latest invoice (by invoice date, then file
    /// order), -1 for a customer without invoices; set by `ExportLoader` once invoices.csv is read.
    public var invoiceCurrency: [Int32] = []
    /// The invoices' currency codes (`InvoiceTable.currencyCodes`, kept here when the row tables are released).
    public var invoiceCurrencyCodes: [String] = []

    public var count: Int { timezone.count }

    /// Customers are read on one thread (their interned names make merging parts costly).
    mutating func append(contentsOf other: CustomerTable) {
        preconditionFailure("customers.csv is not read in parts")
    }

    mutating func removeRows(_ rows: [Int32]) {
        ids = ids.removing(rows: rows)
        timezone.remove(sortedRows: rows)
        segment.remove(sortedRows: rows)
        country.remove(sortedRows: rows)
        creditLimit.remove(sortedRows: rows)
        doNotCall.remove(sortedRows: rows)
        doNotCallTimes.remove(sortedRows: rows)
    }

    mutating func reserveCapacity(_ rows: Int) {
        timezone.reserveCapacity(rows); segment.reserveCapacity(rows); country.reserveCapacity(rows)
        creditLimit.reserveCapacity(rows); doNotCall.reserveCapacity(rows); doNotCallTimes.reserveCapacity(rows)
    }
}

extension CustomerTable {
    /// Fills `invoiceCurrency` from the accepted invoices.
    mutating func assignInvoiceCurrencies(from invoices: InvoiceTable) {
        var currency = [Int32](repeating: -1, count: count)
        var latest = [Int32](repeating: .min, count: count)
        for row in 0..<invoices.count {
            let customer = Int(invoices.customer[row])
            if invoices.invoiceDate[row] >= latest[customer] {
                latest[customer] = invoices.invoiceDate[row]
                currency[customer] = invoices.currency[row]
            }
        }
        invoiceCurrency = currency
        invoiceCurrencyCodes = invoices.currencyCodes
    }

    /// The currency code of customer `index`'s latest invoice ("" when not given or without invoices).
    public func currencyCode(ofCustomer index: Int) -> String {
        let code = index < invoiceCurrency.count ? Int(invoiceCurrency[index]) : -1
        return code >= 0 ? invoiceCurrencyCodes[code] : ""
    }
}

/// Invoices from invoices.csv (accepted rows only), in file order.
public struct InvoiceTable: Sendable, IdentifiedRows {
    /// An empty table.
    public init() {}

    public var ids = IDIndex()
    /// Customer index per invoice.
    public var customer: [Int32] = []
    /// Invoice date (days since 1970-01-01).
    public var invoiceDate: [Int32] = []
    /// Due date (days since 1970-01-01), never before `invoiceDate`.
    public var dueDate: [Int32] = []
    /// Invoice amount (> 0), in the invoice currency.
    public var amount: [Double] = []
    /// Index into `currencyCodes` per invoice.
    public var currency: [Int32] = []
    /// Distinct currency codes in order of first appearance ("" = not given).
    public var currencyCodes: [String] = []
    /// Whether the invoice is disputed.
    public var disputed: [Bool] = []

    public var count: Int { customer.count }

    mutating func append(contentsOf other: Self) {
        ids.appendDeferred(contentsOf: other.ids)
        customer.append(contentsOf: other.customer)
        invoiceDate.append(contentsOf: other.invoiceDate)
        dueDate.append(contentsOf: other.dueDate)
        amount.append(contentsOf: other.amount)
        disputed.append(contentsOf: other.disputed)
        // Currency codes were interned per part: map the other part's codes onto this table's.
        var index = Dictionary(uniqueKeysWithValues: currencyCodes.enumerated().map { ($1, Int32($0)) })
        let mapping = other.currencyCodes.map { code -> Int32 in
            if let existing = index[code] { return existing }
            let added = Int32(currencyCodes.count)
            currencyCodes.append(code)
            index[code] = added
            return added
        }
        currency.append(contentsOf: other.currency.map { mapping[Int($0)] })
    }

    mutating func removeRows(_ rows: [Int32]) {
        ids = ids.removing(rows: rows)
        customer.remove(sortedRows: rows)
        invoiceDate.remove(sortedRows: rows)
        dueDate.remove(sortedRows: rows)
        amount.remove(sortedRows: rows)
        currency.remove(sortedRows: rows)
        disputed.remove(sortedRows: rows)
    }

    mutating func reserveCapacity(_ rows: Int) {
        customer.reserveCapacity(rows); invoiceDate.reserveCapacity(rows); dueDate.reserveCapacity(rows)
        amount.reserveCapacity(rows); currency.reserveCapacity(rows); disputed.reserveCapacity(rows)
    }
}

/// Payments from payments.csv (accepted rows only), in file order.
public struct PaymentTable: Sendable, IdentifiedRows {
    /// An empty table.
    public init() {}

    public var ids = IDIndex()
    public var customer: [Int32] = []
    /// Payment date (days since 1970-01-01).
    public var paymentDate: [Int32] = []
    /// Amount paid (> 0).
    public var amount: [Double] = []
    /// Invoice index the payment is applied to, or −1 for a payment on account.
    public var invoice: [Int32] = []

    public var count: Int { customer.count }

    mutating func append(contentsOf other: Self) {
        ids.appendDeferred(contentsOf: other.ids)
        customer.append(contentsOf: other.customer)
        paymentDate.append(contentsOf: other.paymentDate)
        amount.append(contentsOf: other.amount)
        invoice.append(contentsOf: other.invoice)
    }

    mutating func removeRows(_ rows: [Int32]) {
        ids = ids.removing(rows: rows)
        customer.remove(sortedRows: rows)
        paymentDate.remove(sortedRows: rows)
        amount.remove(sortedRows: rows)
        invoice.remove(sortedRows: rows)
    }

    mutating func reserveCapacity(_ rows: Int) {
        customer.reserveCapacity(rows); paymentDate.reserveCapacity(rows); amount.reserveCapacity(rows)
        invoice.reserveCapacity(rows)
    }
}

/// Call attempts from calls.csv (accepted rows only), in file order.
public struct CallTable: Sendable, IdentifiedRows {
    /// An empty table.
    public init() {}

    public var ids = IDIndex()
    public var customer: [Int32] = []
    /// Start of the call, seconds since 1970-01-01T00:00:00Z.
    public var startedAt: [Int64] = []
    public var outcome: [CallOutcome] = []
    /// Call duration in seconds, NaN when not given.
    public var durationSeconds: [Double] = []

    public var count: Int { customer.count }

    mutating func append(contentsOf other: Self) {
        ids.appendDeferred(contentsOf: other.ids)
        customer.append(contentsOf: other.customer)
        startedAt.append(contentsOf: other.startedAt)
        outcome.append(contentsOf: other.outcome)
        durationSeconds.append(contentsOf: other.durationSeconds)
    }

    mutating func removeRows(_ rows: [Int32]) {
        ids = ids.removing(rows: rows)
        customer.remove(sortedRows: rows)
        startedAt.remove(sortedRows: rows)
        outcome.remove(sortedRows: rows)
        durationSeconds.remove(sortedRows: rows)
    }

    mutating func reserveCapacity(_ rows: Int) {
        customer.reserveCapacity(rows); startedAt.reserveCapacity(rows); outcome.reserveCapacity(rows)
        durationSeconds.reserveCapacity(rows)
    }
}

/// Promises to pay from promises.csv (accepted rows only), in file order.
public struct PromiseTable: Sendable, IdentifiedRows {
    public var ids = IDIndex()
    public var customer: [Int32] = []
    /// Day the promise was made (days since 1970-01-01).
    public var createdDate: [Int32] = []
    /// Day the customer promised to pay by, never before `createdDate`.
    public var promisedDate: [Int32] = []
    /// Amount promised (> 0).
    public var promisedAmount: [Double] = []
    /// Call index the promise was made on, or −1.
    public var call: [Int32] = []

    public var count: Int { customer.count }

    mutating func append(contentsOf other: Self) {
        ids.appendDeferred(contentsOf: other.ids)
        customer.append(contentsOf: other.customer)
        createdDate.append(contentsOf: other.createdDate)
        promisedDate.append(contentsOf: other.promisedDate)
        promisedAmount.append(contentsOf: other.promisedAmount)
        call.append(contentsOf: other.call)
    }

    mutating func removeRows(_ rows: [Int32]) {
        ids = ids.removing(rows: rows)
        customer.remove(sortedRows: rows)
        createdDate.remove(sortedRows: rows)
        promisedDate.remove(sortedRows: rows)
        promisedAmount.remove(sortedRows: rows)
        call.remove(sortedRows: rows)
    }

    mutating func reserveCapacity(_ rows: Int) {
        customer.reserveCapacity(rows); createdDate.reserveCapacity(rows); promisedDate.reserveCapacity(rows)
        promisedAmount.reserveCapacity(rows); call.reserveCapacity(rows)
    }
}

/// One rejected input row: which file, which physical line, and why.
public struct QuarantinedRow: Sendable, Equatable, Codable {
    /// File name within the export folder, e.g. `invoices.csv`.
    public var file: String
    /// Physical line (the header is line 1).
    public var line: Int
    /// The offending column, when one is to blame.
    public var field: String?
    /// What is wrong, in words.
    public var reason: String

    public init(file: String, line: Int, field: String?, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }
}

/// Per-file counts of accepted and rejected rows.
public struct FileLoadSummary: Sendable, Equatable, Codable {
    public var file: String
    public var acceptedRows: Int
    public var rejectedRows: Int
    /// False when an optional file was absent.
    public var present: Bool

    /// Share of rejected rows among all data rows (0 for an empty file).
    public var rejectedShare: Double {
        let total = acceptedRows + rejectedRows
        return total == 0 ? 0 : Double(rejectedRows) / Double(total)
    }
}

/// A validated export: the five tables, the rows that were rejected, and what was missing.
public struct ReceivablesExport: Sendable {
    public var folder: String
    public var customers = CustomerTable()
    public var invoices = InvoiceTable()
    public var payments = PaymentTable()
    public var calls = CallTable()
    public var promises = PromiseTable()
    /// Rejected rows, by file then line.
    public var quarantine: [QuarantinedRow] = []
    /// Accepted/rejected counts per file, in load order.
    public var files: [FileLoadSummary] = []

    /// Whether calls.csv was present (a company may have no call log yet).
    public var hasCallLog: Bool { files.first { $0.file == ExportFile.calls.fileName }?.present ?? false }
    /// Whether promises.csv was present.
    public var hasPromises: Bool { files.first { $0.file == ExportFile.promises.fileName }?.present ?? false }

    public init(folder: String) {
        self.folder = folder
    }
}

/// The files of an export folder and their columns.
public enum ExportFile: String, CaseIterable, Sendable {
    case customers, invoices, payments, calls, promises

    public var fileName: String { rawValue + ".csv" }

    /// Columns that must be in the header.
    public var requiredColumns: [String] {
        switch self {
        case .customers: return ["customer_id", "timezone"]
        case .invoices: return ["invoice_id", "customer_id", "invoice_date", "due_date", "amount"]
        case .payments: return ["payment_id", "customer_id", "payment_date", "amount"]
        case .calls: return ["call_id", "customer_id", "started_at", "outcome"]
        case .promises: return ["promise_id", "customer_id", "created_date", "promised_date", "promised_amount"]
        }
    }

    /// Columns read when present.
    public var optionalColumns: [String] {
        switch self {
        case .customers: return ["segment", "country", "credit_limit", "do_not_call", "do_not_call_times"]
        case .invoices: return ["currency", "disputed"]
        case .payments: return ["invoice_id"]
        case .calls: return ["agent_id", "duration_s"]
        case .promises: return ["call_id"]
        }
    }

    /// Whether an export may lack this file (no call log or no promises yet).
    public var isOptional: Bool { self == .calls || self == .promises }

    /// The file a reference column points into: customer_id → customers.csv, invoice_id → invoices.csv,
    /// call_id → calls.csv.
    public static func parent(ofReference column: String) -> ExportFile? {
        switch column {
        case "customer_id": return .customers
        case "invoice_id": return .invoices
        case "call_id": return .calls
        default: return nil
        }
    }
}

/// A table whose rows are keyed by an `IDIndex` (used to drop duplicate-id rows after loading).
protocol IdentifiedRows: Sendable {
    var ids: IDIndex { get set }
    /// Appends the rows of another part of the same file (ids still pending in both).
    mutating func append(contentsOf other: Self)
    mutating func removeRows(_ rows: [Int32])
    mutating func reserveCapacity(_ rows: Int)
}

extension Array {
    /// Removes the elements at `sortedRows` (ascending), keeping the order of the rest.
    mutating func remove(sortedRows: [Int32]) {
        var next = 0, write = 0
        for read in indices {
            if next < sortedRows.count && Int(sortedRows[next]) == read {
                next += 1
                continue
            }
            if write != read { self[write] = self[read] }
            write += 1
        }
        removeLast(count - write)
    }
}
