import CivilTime
import Foundation
import Parallelism
import Tabular

/// Settings for loading an export folder.
public struct ExportLoadOptions: Sendable, Equatable {
    /// Largest share of rejected rows a file may have (default 1%); above it the load fails.
    public var badRowThreshold: Double
    /// Files with at least this many data bytes are read in chunks on all cores (default 16 MiB).
    public var parallelReadMinimumBytes: Int
    /// Size of one chunk of a file read on all cores (default 8 MiB): memory holds the file's table plus a few
    /// chunks' rows.
    public var parallelChunkBytes: Int

    public init(badRowThreshold: Double = 0.01, parallelReadMinimumBytes: Int = 16 << 20, parallelChunkBytes: Int = 8 << 20) {
        self.badRowThreshold = badRowThreshold
        self.parallelReadMinimumBytes = parallelReadMinimumBytes
        self.parallelChunkBytes = max(1, parallelChunkBytes)
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
/// calls.csv and promises.csv are optional: a company may have no call log or promises yet. Only a file with
/// no directory entry is absent; one that exists but cannot be read (a dangling or looping link, no permission,
/// not a regular file) stops the load with the reason. Money columns hold amounts within `AmountRange`, dates lie
/// in `CivilDate.supportedRange`, time zones follow `ZoneName`, and ids hold no control characters.
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
        export.customers.assignInvoiceCurrencies(from: export.invoices)
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

    /// The skeleton every file shares: open (or skip an absent optional file), presize, parse each
    /// record, quarantine bad rows, drop rows with a repeated id, and check the bad-row threshold.
    ///
    /// `makeParser` sees the reader (to find its columns) and returns the row parser: it validates
    /// one row and appends its values (all but the id) to the table, or returns false to reject it.
    static func loadFile<Table: IdentifiedRows>(
        _ kind: ExportFile, idColumn idName: String, into export: inout ReceivablesExport,
        options: ExportLoadOptions, emptyTable: Table,
        makeParser: (CSVReader, FileScan) throws -> (inout RowCheck, inout Table) -> Bool
    ) throws -> Table? {
        let scan = FileScan(kind, folder: export.folder)
        guard let reader = try scan.open() else {
            export.files.append(FileLoadSummary(file: scan.file, acceptedRows: 0, rejectedRows: 0, present: false))
            return nil
        }
        let idColumn = try scan.required(idName, reader)
        let expectedRows = try reader.estimatedRecordCount()
        var part: FilePart<Table>
        if !(Table.self is CustomerTable.Type),
           let chunked = try ChunkedFileRead.run(scan, reader: reader, idColumn: idColumn, expectedRows: expectedRows,
                                                 minimumBytes: options.parallelReadMinimumBytes,
                                                 chunkBytes: options.parallelChunkBytes,
                                                 emptyTable: emptyTable, makeParser: makeParser) {
            part = chunked
        } else {
            let parser = try makeParser(reader, scan)
            part = try readPart(scan, reader: reader, idColumn: idColumn, expectedRows: expectedRows,
                                emptyTable: emptyTable, indexed: true, parse: parser)
            part.duplicates = part.table.ids.indexPending()
        }
        part.rows.dropDuplicates(part.duplicates, from: &part.table, lines: part.rowLines, idName: idName)
        try part.rows.finish(into: &export, threshold: options.badRowThreshold)
        return part.table
    }

    /// Reads one part of a file (or all of it) into a fresh table: rows parsed, bad rows recorded, ids appended
    /// but not indexed yet. `indexed` sizes the id table's lookup slots for `expectedRows` (false for a chunk
    /// that is folded into another table, whose own slots are never used).
    static func readPart<Table: IdentifiedRows>(
        _ scan: FileScan, reader: CSVReader, idColumn: Int, expectedRows: Int, emptyTable: Table, indexed: Bool,
        parse: (inout RowCheck, inout Table) -> Bool
    ) throws -> FilePart<Table> {
        var table = emptyTable
        table.ids = indexed ? IDIndex(capacity: expectedRows) : IDIndex(unindexedCapacity: expectedRows)
        table.reserveCapacity(expectedRows)
        var rows = RowOutcomes(file: scan.file, path: scan.path)
        var rowLines: [Int32] = []
        rowLines.reserveCapacity(expectedRows)
        try reader.forEachRecord(onMalformedRecord: { rows.reject($0) }) { record in
            var row = RowCheck(record: record, reader: reader)
            guard row.identifier(idColumn) != nil, parse(&row, &table) else { return rows.reject(row) }
            _ = row.withTrimmed(idColumn) { table.ids.appendDeferred($0) }
            rowLines.append(Int32(record.line))
            rows.accept()
        }
        return FilePart(table: table, rows: rows, rowLines: rowLines, stoppedAt: reader.stoppedAt)
    }

    static func loadCustomers(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        var timezoneIndex: [String: Int32] = [:]
        var segmentIndex: [String: Int32] = ["": 0]
        let loaded = try loadFile(.customers, idColumn: "customer_id", into: &export, options: options,
                                  emptyTable: CustomerTable()) { reader, scan in
            let zoneColumn = try scan.required("timezone", reader)
            let segmentColumn = reader.columnIndex("segment"), countryColumn = reader.columnIndex("country")
            let limitColumn = reader.columnIndex("credit_limit"), dncColumn = reader.columnIndex("do_not_call")
            let dncTimesColumn = reader.columnIndex("do_not_call_times")
            return { row, customers in
                guard let zoneName = row.text(zoneColumn, required: true) else { return false }
                var zone = timezoneIndex[zoneName]
                if zone == nil {
                    if let reason = ZoneName.rejection(zoneName) {
                        row = row.fail(zoneColumn, "time zone \"\(MessageText.escaped(zoneName, limit: 40))\" \(reason)")
                        return false
                    }
                    zone = Int32(customers.timezoneNames.count)
                    timezoneIndex[zoneName] = zone
                    customers.timezoneNames.append(zoneName)
                }
                guard let segmentName = row.optionalText(segmentColumn), let country = row.optionalText(countryColumn),
                      let limit = row.optionalAmount(limitColumn, allowZero: true, money: true),
                      let doNotCall = row.flag(dncColumn),
                      let doNotCallTimes = row.doNotCallTimes(dncTimesColumn) else { return false }
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
                customers.doNotCallTimes.append(doNotCallTimes)
                return true
            }
        }
        if let loaded { export.customers = loaded }
    }

    static func loadInvoices(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let customers = export.customers
        let loaded = try loadFile(.invoices, idColumn: "invoice_id", into: &export, options: options,
                                  emptyTable: InvoiceTable()) { reader, scan in
            let customerColumn = try scan.required("customer_id", reader)
            let dateColumn = try scan.required("invoice_date", reader), dueColumn = try scan.required("due_date", reader)
            let amountColumn = try scan.required("amount", reader)
            let currencyColumn = reader.columnIndex("currency"), disputedColumn = reader.columnIndex("disputed")
            var currencyIndex: [String: Int32] = [:]
            var customerCache = ReferenceCache()
            return { row, invoices in
                guard let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id",
                                                   cache: &customerCache),
                      let invoiceDate = row.date(dateColumn), let dueDate = row.date(dueColumn),
                      let amount = row.amount(amountColumn), let currency = row.optionalText(currencyColumn),
                      let disputed = row.flag(disputedColumn) else { return false }
                guard dueDate >= invoiceDate else {
                    row = row.fail(dueColumn, "due_date \(CivilDate.format(dueDate)) is before invoice_date \(CivilDate.format(invoiceDate))")
                    return false
                }
                invoices.customer.append(customer)
                invoices.invoiceDate.append(invoiceDate)
                invoices.dueDate.append(dueDate)
                invoices.amount.append(amount)
                var code = currencyIndex[currency]
                if code == nil {
                    code = Int32(invoices.currencyCodes.count)
                    currencyIndex[currency] = code
                    invoices.currencyCodes.append(currency)
                }
                invoices.currency.append(code!)
                invoices.disputed.append(disputed)
                return true
            }
        }
        if let loaded { export.invoices = loaded }
    }

    static func loadPayments(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let customers = export.customers, invoices = export.invoices
        let loaded = try loadFile(.payments, idColumn: "payment_id", into: &export, options: options,
                                  emptyTable: PaymentTable()) { reader, scan in
            let customerColumn = try scan.required("customer_id", reader)
            let dateColumn = try scan.required("payment_date", reader), amountColumn = try scan.required("amount", reader)
            let invoiceColumn = reader.columnIndex("invoice_id")
            var customerCache = ReferenceCache()
            return { row, payments in
                guard let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id",
                                                   cache: &customerCache),
                      let date = row.date(dateColumn), let amount = row.amount(amountColumn),
                      let invoice = row.optionalReference(invoiceColumn, in: invoices.ids, what: "invoice_id")
                else { return false }
                if invoice >= 0 && invoices.customer[Int(invoice)] != customer {
                    row = row.fail(invoiceColumn!, "invoice_id \"\(invoices.ids.id(Int(invoice)))\" belongs to another customer")
                    return false
                }
                if invoice >= 0 && date < invoices.invoiceDate[Int(invoice)] {
                    // A payment cannot be applied to an invoice that did not exist yet ("dated before T" relies on it).
                    row = row.fail(dateColumn, "payment_date \(CivilDate.format(date)) is before invoice_date "
                        + "\(CivilDate.format(invoices.invoiceDate[Int(invoice)])) of invoice \"\(invoices.ids.id(Int(invoice)))\"")
                    return false
                }
                payments.customer.append(customer)
                payments.paymentDate.append(date)
                payments.amount.append(amount)
                payments.invoice.append(invoice)
                return true
            }
        }
        if let loaded { export.payments = loaded }
    }

    static func loadCalls(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let customers = export.customers
        let loaded = try loadFile(.calls, idColumn: "call_id", into: &export, options: options,
                                  emptyTable: CallTable()) { reader, scan in
            let customerColumn = try scan.required("customer_id", reader)
            let startColumn = try scan.required("started_at", reader), outcomeColumn = try scan.required("outcome", reader)
            let durationColumn = reader.columnIndex("duration_s")
            var customerCache = ReferenceCache()
            return { row, calls in
                guard let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id",
                                                   cache: &customerCache),
                      let startedAt = row.timestamp(startColumn), let outcome = row.outcome(outcomeColumn),
                      let duration = row.optionalAmount(durationColumn, allowZero: true, money: false) else { return false }
                calls.customer.append(customer)
                calls.startedAt.append(startedAt)
                calls.outcome.append(outcome)
                calls.durationSeconds.append(duration)
                return true
            }
        }
        if let loaded { export.calls = loaded }
    }

    static func loadPromises(into export: inout ReceivablesExport, options: ExportLoadOptions) throws {
        let customers = export.customers, calls = export.calls
        let loaded = try loadFile(.promises, idColumn: "promise_id", into: &export, options: options,
                                  emptyTable: PromiseTable()) { reader, scan in
            let customerColumn = try scan.required("customer_id", reader)
            let createdColumn = try scan.required("created_date", reader)
            let promisedColumn = try scan.required("promised_date", reader)
            let amountColumn = try scan.required("promised_amount", reader), callColumn = reader.columnIndex("call_id")
            var customerCache = ReferenceCache()
            return { row, promises in
                guard let customer = row.reference(customerColumn, in: customers.ids, what: "customer_id",
                                                   cache: &customerCache),
                      let created = row.date(createdColumn), let promised = row.date(promisedColumn),
                      let amount = row.amount(amountColumn),
                      let call = row.optionalReference(callColumn, in: calls.ids, what: "call_id") else { return false }
                guard promised >= created else {
                    row = row.fail(promisedColumn, "promised_date \(CivilDate.format(promised)) is before created_date \(CivilDate.format(created))")
                    return false
                }
                if call >= 0 && calls.customer[Int(call)] != customer {
                    row = row.fail(callColumn!, "call_id \"\(calls.ids.id(Int(call)))\" belongs to another customer")
                    return false
                }
                promises.customer.append(customer)
                promises.createdDate.append(created)
                promises.promisedDate.append(promised)
                promises.promisedAmount.append(amount)
                promises.call.append(call)
                return true
            }
        }
        if let loaded { export.promises = loaded }
    }
}

/// What one pass over (part of) a file produced.
struct FilePart<Table> {
    var table: Table
    var rows: RowOutcomes
    var rowLines: [Int32]
    var stoppedAt: (offset: Int, line: Int)?
    /// Rows whose id repeats an earlier row's (with that row), once the ids are indexed.
    var duplicates: [(row: Int32, firstRow: Int32)] = []
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
    ///
    /// Only a file with no directory entry at all is absent. Anything else that cannot be read — a dangling or
    /// looping symbolic link, a file without read permission, a folder, a device or FIFO — is an error saying why,
    /// for optional files too (an unreadable calls.csv must not pass for "no call log").
    func open() throws -> CSVReader? {
        var entry = stat()
        guard lstat(path, &entry) == 0 else {
            let code = errno
            if code == ENOENT {
                if kind.isOptional { return nil }
                throw ReceivablesError.missingFile(folder: (path as NSString).deletingLastPathComponent, file: file)
            }
            throw ReceivablesError.unreadable(CSVError(kind: .unreadable, file: path,
                                                       detail: "cannot inspect: \(String(cString: strerror(code)))"))
        }
        if entry.st_mode & S_IFMT == S_IFLNK { try checkLinkTarget() }
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

    /// Throws when the symbolic link at `path` does not lead to a file: dangling (its target is missing) or a loop.
    private func checkLinkTarget() throws {
        var target = stat()
        guard stat(path, &target) != 0 else { return }
        let code = errno
        let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
        let detail: String
        switch code {
        case ENOENT: detail = "is a dangling symbolic link: its target \"\(MessageText.escaped(destination))\" does not exist"
        case ELOOP: detail = "is a symbolic link loop (too many levels of symbolic links)"
        default: detail = "is a symbolic link to \"\(MessageText.escaped(destination))\" that cannot be followed: "
            + String(cString: strerror(code))
        }
        throw ReceivablesError.unreadable(CSVError(kind: .unreadable, file: path, detail: detail))
    }

    /// Another reader over the same file (for reading it in parts), reading `chunkSize` bytes at a time.
    func reopen(chunkSize: Int = 4 << 20) throws -> CSVReader {
        do {
            return try CSVReader(path: path, chunkSize: chunkSize)
        } catch let error as CSVError {
            throw ReceivablesError.unreadable(error)
        }
    }

    func required(_ column: String, _ reader: CSVReader) throws -> Int {
        guard let index = reader.columnIndex(column) else { throw ReceivablesError.missingColumn(file: path, column: column) }
        return index
    }
}

/// Accepted and rejected rows of one file, and the threshold check at its end.
struct RowOutcomes {
    let file: String
    let path: String
    var accepted = 0
    var rejected: [QuarantinedRow] = []
    /// Rejected rows whose reference (customer_id, invoice_id, call_id) is not in its parent file, by column.
    var unknownReferences: [String: Int] = [:]

    init(file: String, path: String) {
        self.file = file
        self.path = path
    }

    mutating func accept() { accepted += 1 }

    /// Adds the outcomes of the next part of the file, whose lines were counted from 1.
    mutating func append(_ other: RowOutcomes, lineShift: Int) {
        accepted += other.accepted
        unknownReferences.merge(other.unknownReferences, uniquingKeysWith: +)
        rejected += other.rejected.map { row in
            var shifted = row
            shifted.line += lineShift
            return shifted
        }
    }

    mutating func reject(_ row: RowCheck) {
        if row.unknownReference, let field = row.failedField { unknownReferences[field, default: 0] += 1 }
        rejected.append(QuarantinedRow(file: file, line: row.line, field: row.failedField, reason: row.failure ?? "invalid row"))
    }

    mutating func reject(_ error: CSVError) {
        rejected.append(QuarantinedRow(file: file, line: error.line ?? 0, field: nil, reason: error.detail))
    }

    /// Quarantines rows whose id repeats an earlier accepted row (the first occurrence stays) and drops them.
    mutating func dropDuplicates<Table: IdentifiedRows>(_ duplicates: [(row: Int32, firstRow: Int32)], from table: inout Table,
                                                        lines: [Int32], idName: String) {
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
            throw ReceivablesError.tooManyBadRows(file: path, rejected: rejected.count, total: total,
                                                  threshold: threshold, first: rejected.first, missingParent: missingParent())
        }
    }

    /// The parent file most rejections point at, when unknown references are at least half of them.
    func missingParent() -> MissingParentRows? {
        guard let (field, count) = unknownReferences.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              count * 2 >= rejected.count, let parent = ExportFile.parent(ofReference: field) else { return nil }
        return MissingParentRows(parentFile: parent.fileName, field: field, rows: count)
    }
}

/// Runs two throwing jobs on two threads and returns both results (first error of each kept).
enum ConcurrentPair {
    static func run<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable () throws -> A, _ second: @escaping @Sendable () throws -> B
    ) -> (Result<A, Error>, Result<B, Error>) {
        nonisolated(unsafe) var a: Result<A, Error>?
        nonisolated(unsafe) var b: Result<B, Error>?
        Parallel.perform(2) { job in
            if job == 0 { a = Result { try first() } } else { b = Result { try second() } }
        }
        return (a!, b!)
    }
}
