import Foundation
import Tabular

/// Settings for loading an export folder.
public struct ExportLoadOptions: Sendable, Equatable {
    /// Largest share of rejected rows a file may have (default 1%); above it the load fails.
    public var badRowThreshold: Double

    public init(badRowThreshold: Double = 0.01) {
        self.badRowThreshold = badRowThreshold
    }
}

/// Loads and validates an export folder (customers, invoices, payments, calls, promises).
///
/// Every data row is checked; a bad row (unparseable date or amount, unknown customer,
/// duplicate id, due date before invoice date, timestamp without offset, invalid UTF-8,
/// wrong field count, ...) is left out and recorded in `ReceivablesExport.quarantine` with
/// file, line, column and reason. If any file's share of bad rows exceeds the threshold, the
/// load fails with `ReceivablesError.tooManyBadRows`. Rows may come in any order; files load
/// in dependency order (customers → invoices → payments, calls → promises).
/// calls.csv and promises.csv are optional: a company may have no call log or promises yet.
public enum ExportLoader {
    /// Loads `folder`.
    /// - Throws: `ReceivablesError` naming the file (and column) that stops the load.
    public static func load(folder: String, options: ExportLoadOptions = ExportLoadOptions()) throws -> ReceivablesExport {
        guard options.badRowThreshold >= 0 && options.badRowThreshold <= 1 else {
            throw ReceivablesError.invalidOption("bad-row threshold must be between 0 and 1, got \(options.badRowThreshold)")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ReceivablesError.missingFolder(folder)
        }
        var export = ReceivablesExport(folder: folder)
        try loadCustomers(into: &export, options: options)
        try loadInvoices(into: &export, options: options)
        // payments.csv and calls.csv depend only on what is loaded so far: read them on two cores.
        var paymentsStart = ReceivablesExport(folder: folder), callsStart = ReceivablesExport(folder: folder)
        paymentsStart.customers = export.customers
        paymentsStart.invoices = export.invoices
        callsStart.customers = export.customers
        let paymentsPart = paymentsStart, callsPart = callsStart
        let results = ConcurrentPair.run(
            { () throws -> ReceivablesExport in
                var part = paymentsPart
                try loadPayments(into: &part, options: options)
                return part
            },
            { () throws -> ReceivablesExport in
                var part = callsPart
                try loadCalls(into: &part, options: options)
                return part
            })
        let payments = try results.0.get(), calls = try results.1.get()
        export.payments = payments.payments
        export.calls = calls.calls
        export.files += payments.files + calls.files
        export.quarantine += payments.quarantine + calls.quarantine
        try loadPromises(into: &export, options: options)
        return export
    }

    // MARK: - Per-file loaders

    static func loadCustomers(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let table = FileScan(.customers, folder: export.folder)
        guard let reader = try table.open() else { return }
        var customers = CustomerTable()
        let expectedRows = try reader.estimatedRecordCount()
        customers.ids = IDIndex(capacity: expectedRows)
        customers.reserveCapacity(expectedRows)
        var timezoneIndex: [String: Int32] = [:]
        var segmentIndex: [String: Int32] = ["": 0]
        let idColumn = try table.required("customer_id", reader), zoneColumn = try table.required("timezone", reader)
        let segmentColumn = reader.columnIndex("segment"), countryColumn = reader.columnIndex("country")
        let limitColumn = reader.columnIndex("credit_limit"), dncColumn = reader.columnIndex("do_not_call")
        var rows = RowOutcomes(file: table.file)
        var rowLines: [Int32] = []
        rowLines.reserveCapacity(expectedRows)
        try reader.forEachRecord(onMalformedRecord: { rows.reject($0) }) { record in
            var row = RowCheck(record: record, reader: reader)
            guard let id = row.identifier(idColumn) else { return rows.reject(row) }
            guard let zoneName = row.text(zoneColumn, required: true) else { return rows.reject(row) }
            var zone = timezoneIndex[zoneName]
            if zone == nil {
                guard TimeZone(identifier: zoneName) != nil else {
                    return rows.reject(row.fail(zoneColumn, "unknown IANA time zone \"\(zoneName)\""))
                }
                zone = Int32(customers.timezoneNames.count)
                timezoneIndex[zoneName] = zone
                customers.timezoneNames.append(zoneName)
            }
            guard let segmentName = row.optionalText(segmentColumn),
                  let country = row.optionalText(countryColumn),
                  let limit = row.optionalAmount(limitColumn, allowZero: true),
                  let doNotCall = row.flag(dncColumn) else { return rows.reject(row) }
            row.withTrimmed(id) { customers.ids.appendDeferred($0) }
            rowLines.append(Int32(record.line))
            var segment = segmentIndex[segmentName]
            if segment == nil {
                segment = Int32(customers.segmentNames.count)
                segmentIndex[segmentName] = segment
                customers.segmentNames.append(segmentName)
            }
            customers.timezone.append(zone!)
            customers.segment.append(segment!)
            customers.country.append(country)
            customers.creditLimit.append(limit)
            customers.doNotCall.append(doNotCall)
            rows.accept()
        }
        rows.dropDuplicates(&customers, lines: rowLines, idName: "customer_id")
        try rows.finish(into: &export, threshold: options.badRowThreshold)
        export.customers = customers
    }

    static func loadInvoices(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let table = FileScan(.invoices, folder: export.folder)
        guard let reader = try table.open() else { return }
        var invoices = InvoiceTable()
        let expectedRows = try reader.estimatedRecordCount()
        invoices.ids = IDIndex(capacity: expectedRows)
        invoices.reserveCapacity(expectedRows)
        let customers = export.customers
        let idColumn = try table.required("invoice_id", reader), customerColumn = try table.required("customer_id", reader)
        let dateColumn = try table.required("invoice_date", reader), dueColumn = try table.required("due_date", reader)
        let amountColumn = try table.required("amount", reader)
        let currencyColumn = reader.columnIndex("currency"), disputedColumn = reader.columnIndex("disputed")
        var rows = RowOutcomes(file: table.file)
        var rowLines: [Int32] = []
        rowLines.reserveCapacity(expectedRows)
        try reader.forEachRecord(onMalformedRecord: { rows.reject($0) }) { record in
            var row = RowCheck(record: record, reader: reader)
            guard let id = row.identifier(idColumn),
                  let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id"),
                  let invoiceDate = row.date(dateColumn), let dueDate = row.date(dueColumn),
                  let amount = row.amount(amountColumn),
                  let currency = row.optionalText(currencyColumn),
                  let disputed = row.flag(disputedColumn) else { return rows.reject(row) }
            guard dueDate >= invoiceDate else {
                return rows.reject(row.fail(dueColumn, "due_date \(CivilDate.format(dueDate)) is before invoice_date \(CivilDate.format(invoiceDate))"))
            }
            row.withTrimmed(id) { invoices.ids.appendDeferred($0) }
            rowLines.append(Int32(record.line))
            invoices.customer.append(customer)
            invoices.invoiceDate.append(invoiceDate)
            invoices.dueDate.append(dueDate)
            invoices.amount.append(amount)
            invoices.currency.append(currency)
            invoices.disputed.append(disputed)
            rows.accept()
        }
        rows.dropDuplicates(&invoices, lines: rowLines, idName: "invoice_id")
        try rows.finish(into: &export, threshold: options.badRowThreshold)
        export.invoices = invoices
    }

    static func loadPayments(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let table = FileScan(.payments, folder: export.folder)
        guard let reader = try table.open() else { return }
        var payments = PaymentTable()
        let expectedRows = try reader.estimatedRecordCount()
        payments.ids = IDIndex(capacity: expectedRows)
        payments.reserveCapacity(expectedRows)
        let customers = export.customers, invoices = export.invoices
        let idColumn = try table.required("payment_id", reader), customerColumn = try table.required("customer_id", reader)
        let dateColumn = try table.required("payment_date", reader), amountColumn = try table.required("amount", reader)
        let invoiceColumn = reader.columnIndex("invoice_id")
        var rows = RowOutcomes(file: table.file)
        var rowLines: [Int32] = []
        rowLines.reserveCapacity(expectedRows)
        try reader.forEachRecord(onMalformedRecord: { rows.reject($0) }) { record in
            var row = RowCheck(record: record, reader: reader)
            guard let id = row.identifier(idColumn),
                  let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id"),
                  let date = row.date(dateColumn), let amount = row.amount(amountColumn),
                  let invoice = row.optionalReference(invoiceColumn, in: invoices.ids, what: "invoice_id")
            else { return rows.reject(row) }
            if invoice >= 0 && invoices.customer[Int(invoice)] != customer {
                return rows.reject(row.fail(invoiceColumn!, "invoice_id \"\(invoices.ids.id(Int(invoice)))\" belongs to another customer"))
            }
            row.withTrimmed(id) { payments.ids.appendDeferred($0) }
            rowLines.append(Int32(record.line))
            payments.customer.append(customer)
            payments.paymentDate.append(date)
            payments.amount.append(amount)
            payments.invoice.append(invoice)
            rows.accept()
        }
        rows.dropDuplicates(&payments, lines: rowLines, idName: "payment_id")
        try rows.finish(into: &export, threshold: options.badRowThreshold)
        export.payments = payments
    }

    static func loadCalls(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let table = FileScan(.calls, folder: export.folder)
        guard let reader = try table.open() else {
            export.files.append(FileLoadSummary(file: table.file, acceptedRows: 0, rejectedRows: 0, present: false))
            return
        }
        var calls = CallTable()
        let expectedRows = try reader.estimatedRecordCount()
        calls.ids = IDIndex(capacity: expectedRows)
        calls.reserveCapacity(expectedRows)
        let customers = export.customers
        let idColumn = try table.required("call_id", reader), customerColumn = try table.required("customer_id", reader)
        let startColumn = try table.required("started_at", reader), outcomeColumn = try table.required("outcome", reader)
        let durationColumn = reader.columnIndex("duration_s")
        var rows = RowOutcomes(file: table.file)
        var rowLines: [Int32] = []
        rowLines.reserveCapacity(expectedRows)
        try reader.forEachRecord(onMalformedRecord: { rows.reject($0) }) { record in
            var row = RowCheck(record: record, reader: reader)
            guard let id = row.identifier(idColumn),
                  let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id"),
                  let startedAt = row.timestamp(startColumn), let outcome = row.outcome(outcomeColumn),
                  let duration = row.optionalAmount(durationColumn, allowZero: true) else { return rows.reject(row) }
            row.withTrimmed(id) { calls.ids.appendDeferred($0) }
            rowLines.append(Int32(record.line))
            calls.customer.append(customer)
            calls.startedAt.append(startedAt)
            calls.outcome.append(outcome)
            calls.durationSeconds.append(duration)
            rows.accept()
        }
        rows.dropDuplicates(&calls, lines: rowLines, idName: "call_id")
        try rows.finish(into: &export, threshold: options.badRowThreshold)
        export.calls = calls
    }

    static func loadPromises(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let table = FileScan(.promises, folder: export.folder)
        guard let reader = try table.open() else {
            export.files.append(FileLoadSummary(file: table.file, acceptedRows: 0, rejectedRows: 0, present: false))
            return
        }
        var promises = PromiseTable()
        let expectedRows = try reader.estimatedRecordCount()
        promises.ids = IDIndex(capacity: expectedRows)
        promises.reserveCapacity(expectedRows)
        let customers = export.customers, calls = export.calls
        let idColumn = try table.required("promise_id", reader), customerColumn = try table.required("customer_id", reader)
        let createdColumn = try table.required("created_date", reader), promisedColumn = try table.required("promised_date", reader)
        let amountColumn = try table.required("promised_amount", reader), callColumn = reader.columnIndex("call_id")
        var rows = RowOutcomes(file: table.file)
        var rowLines: [Int32] = []
        rowLines.reserveCapacity(expectedRows)
        try reader.forEachRecord(onMalformedRecord: { rows.reject($0) }) { record in
            var row = RowCheck(record: record, reader: reader)
            guard let id = row.identifier(idColumn),
                  let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id"),
                  let created = row.date(createdColumn), let promised = row.date(promisedColumn),
                  let amount = row.amount(amountColumn),
                  let call = row.optionalReference(callColumn, in: calls.ids, what: "call_id") else { return rows.reject(row) }
            guard promised >= created else {
                return rows.reject(row.fail(promisedColumn, "promised_date \(CivilDate.format(promised)) is before created_date \(CivilDate.format(created))"))
            }
            if call >= 0 && calls.customer[Int(call)] != customer {
                return rows.reject(row.fail(callColumn!, "call_id \"\(calls.ids.id(Int(call)))\" belongs to another customer"))
            }
            row.withTrimmed(id) { promises.ids.appendDeferred($0) }
            rowLines.append(Int32(record.line))
            promises.customer.append(customer)
            promises.createdDate.append(created)
            promises.promisedDate.append(promised)
            promises.promisedAmount.append(amount)
            promises.call.append(call)
            rows.accept()
        }
        rows.dropDuplicates(&promises, lines: rowLines, idName: "promise_id")
        try rows.finish(into: &export, threshold: options.badRowThreshold)
        export.promises = promises
    }
}

/// Opening one export file and checking its header.
struct FileScan {
    let kind: ExportFile
    let path: String
    var file: String { kind.fileName }

    init(_ kind: ExportFile, folder: String) {
        self.kind = kind
        self.path = (folder as NSString).appendingPathComponent(kind.fileName)
    }

    /// The reader, or nil for an absent optional file.
    func open() throws -> CSVReader? {
        guard FileManager.default.fileExists(atPath: path) else {
            if kind.isOptional { return nil }
            throw ReceivablesError.missingFile(folder: (path as NSString).deletingLastPathComponent, file: file)
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch let error as CSVError {
            throw ReceivablesError.unreadable(error)
        }
        for column in kind.requiredColumns where reader.columnIndex(column) == nil {
            throw ReceivablesError.missingColumn(file: path, column: column)
        }
        return reader
    }

    func required(_ column: String, _ reader: CSVReader) throws -> Int {
        guard let index = reader.columnIndex(column) else { throw ReceivablesError.missingColumn(file: path, column: column) }
        return index
    }
}

/// Accepted and rejected rows of one file, and the threshold check at its end.
struct RowOutcomes {
    let file: String
    var accepted = 0
    var rejected: [QuarantinedRow] = []

    init(file: String) { self.file = file }

    mutating func accept() { accepted += 1 }

    mutating func reject(_ row: RowCheck) {
        rejected.append(QuarantinedRow(file: file, line: row.line, field: row.failedField, reason: row.failure ?? "invalid row"))
    }

    mutating func reject(_ error: CSVError) {
        rejected.append(QuarantinedRow(file: file, line: error.line ?? 0, field: nil, reason: error.detail))
    }

    /// Quarantines rows whose id repeats an earlier accepted row (the first occurrence stays) and drops them.
    mutating func dropDuplicates<Table: IdentifiedRows>(_ table: inout Table, lines: [Int32], idName: String) {
        let duplicates = table.ids.indexPending()
        guard !duplicates.isEmpty else { return }
        for (row, first) in duplicates {
            rejected.append(QuarantinedRow(
                file: file, line: Int(lines[Int(row)]), field: idName,
                reason: "duplicate \(idName) \"\(table.ids.id(Int(row)))\" (first on line \(lines[Int(first)]))"))
        }
        accepted -= duplicates.count
        rejected.sort { $0.line < $1.line }
        table.removeRows(duplicates.map(\.row).sorted())
    }

    func finish(into export: inout ReceivablesExport, threshold: Double) throws {
        let total = accepted + rejected.count
        export.files.append(FileLoadSummary(file: file, acceptedRows: accepted, rejectedRows: rejected.count, present: true))
        export.quarantine.append(contentsOf: rejected)
        if total > 0 && Double(rejected.count) / Double(total) > threshold {
            throw ReceivablesError.tooManyBadRows(file: file, rejected: rejected.count, total: total,
                                                  threshold: threshold, first: rejected.first)
        }
    }
}

/// Runs two throwing jobs on two threads and returns both results (first error of each kept).
enum ConcurrentPair {
    static func run<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable () throws -> A, _ second: @escaping @Sendable () throws -> B
    ) -> (Result<A, Error>, Result<B, Error>) {
        nonisolated(unsafe) var a: Result<A, Error>?
        nonisolated(unsafe) var b: Result<B, Error>?
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            if job == 0 { a = Result { try first() } } else { b = Result { try second() } }
        }
        return (a!, b!)
    }
}
