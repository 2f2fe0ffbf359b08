import CallGrid
/// The export's file names and header rows (DESIGN.md: required columns first, then optional ones).
enum ExportFiles {
    static let customers = "customers.csv"
    static let invoices = "invoices.csv"
    static let payments = "payments.csv"
    static let calls = "calls.csv"
    static let promises = "promises.csv"
    static let truth = "truth.json"

    static let customersHeader = ["customer_id", "timezone", "segment", "country", "credit_limit", "do_not_call"]
    static let invoicesHeader = ["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "currency", "disputed"]
    static let paymentsHeader = ["payment_id", "customer_id", "payment_date", "amount", "invoice_id"]
    static let callsHeader = ["call_id", "customer_id", "started_at", "outcome", "agent_id", "duration_s"]
    static let promisesHeader = ["promise_id", "customer_id", "created_date", "promised_date", "promised_amount", "call_id"]

    /// CSV files in output order, with their headers.
    static let csv: [(name: String, header: [String])] = [
        (customers, customersHeader), (invoices, invoicesHeader), (payments, paymentsHeader),
        (calls, callsHeader), (promises, promisesHeader),
    ]

    static let invoicePrefix = "INV"
    static let paymentPrefix = "PAY"
    static let callPrefix = "CALL"
    static let promisePrefix = "PRM"
    static let agentPrefix = "A"
    /// Minimum digits of sequential ids (they grow past it when needed).
    static let idDigits = 7
    static let agentDigits = 4

    /// Digits of customer ids: at least 6, so `C000123`, and all ids of one export have the same width.
    static func customerDigits(for count: Int) -> Int { max(6, String(count).count) }
}

/// Where a chunk's sequential ids start (0-based counts of the rows before the chunk).
struct IdBases {
    var invoices = 0
    var payments = 0
    var calls = 0
    var promises = 0
}

/// Turns a chunk's records into the bytes of the six files.
final class ChunkFormatter {
    let customerDigits: Int
    let tables: TimeTables
    /// Which world's truth entries to write (the CSV rows are the same for both).
    let world: WorldKind
    let customers = OutputBuffer()
    let invoices = OutputBuffer()
    let payments = OutputBuffer()
    let calls = OutputBuffer()
    let promises = OutputBuffer()
    let truth = OutputBuffer()

    var buffers: [OutputBuffer] { [customers, invoices, payments, calls, promises, truth] }

    private static func bytes(_ names: [String]) -> [[UInt8]] { names.map { Array($0.utf8) } }
    static let segmentNames = bytes(World.segments.map(\.name))
    static let zoneNames = bytes(World.zones.map(\.identifier))
    static let countryNames = bytes(World.zones.map(\.country))
    static let currencyNames = bytes(World.currencies.map(\.code))
    private static let outcomeNames = bytes(CallOutcome.allCases.map(\.exportName))
    private static let patternNames = bytes(World.contactPatterns.map(\.name))
    static let windowNames = bytes(CallWindows.names)
    private static let customerPrefix = Array("C".utf8)
    static let invoicePrefix = Array(ExportFiles.invoicePrefix.utf8)
    private static let paymentPrefix = Array(ExportFiles.paymentPrefix.utf8)
    private static let callPrefix = Array(ExportFiles.callPrefix.utf8)
    static let promisePrefix = Array(ExportFiles.promisePrefix.utf8)
    private static let agentPrefix = Array(ExportFiles.agentPrefix.utf8)

    init(customerCount: Int, tables: TimeTables, world: WorldKind = .lift) {
        customerDigits = ExportFiles.customerDigits(for: customerCount)
        self.tables = tables
        self.world = world
    }

    static let comma = UInt8(ascii: ",")
    static let newline = UInt8(ascii: "\n")

    @inline(__always)
    func appendCustomerId(_ index: Int, to buffer: OutputBuffer) {
        buffer.append(Self.customerPrefix)
        buffer.appendDigits(UInt64(index + 1), width: customerDigits)
    }

    @inline(__always)
    func appendId(_ prefix: [UInt8], _ number: Int, to buffer: OutputBuffer) {
        buffer.append(prefix)
        buffer.appendDigits(UInt64(number), width: ExportFiles.idDigits)
    }

    /// Formats the chunk's rows into the six buffers, one file at a time. Ids follow the chunk's row order:
    /// chunk-local row i of a file has number `bases.<file> + i + 1`.
    /// `includeTruth: false` leaves truth.json's buffer empty (the closed loop's daily exports carry no truth).
    func format(_ records: ChunkRecords, bases: IdBases, includeTruth: Bool = true) {
        for buffer in buffers { buffer.removeAll() }
        formatCustomers(records)
        formatInvoices(records, bases: bases)
        formatPayments(records, bases: bases)
        formatCalls(records, bases: bases)
        formatPromises(records, bases: bases)
        if includeTruth { formatTruth(records, bases: bases) }
    }

    /// customers.csv rows: id, time zone, segment, country, credit limit, do-not-call.
    private func formatCustomers(_ records: ChunkRecords) {
        let comma = Self.comma
        let newline = Self.newline
        for customer in records.customers {
            let decimals = World.currencies[customer.currency].decimals
            appendCustomerId(customer.index, to: customers)
            customers.append(comma)
            customers.append(Self.zoneNames[customer.zone])
            customers.append(comma)
            customers.append(Self.segmentNames[customer.segment])
            customers.append(comma)
            customers.append(Self.countryNames[customer.zone])
            customers.append(comma)
            customers.appendAmount(customer.creditLimit * (decimals == 0 ? 1 : 100), decimals: decimals)
            customers.append(comma)
            customers.append(customer.doNotCall ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            customers.append(newline)
        }
    }

    /// invoices.csv rows: id, customer, issue and due dates, amount, currency, disputed.
    private func formatInvoices(_ records: ChunkRecords, bases: IdBases) {
        let first = records.firstCustomer
        let comma = Self.comma
        let newline = Self.newline
        for (offset, invoice) in records.invoices.enumerated() {
            let customer = records.customers[Int(invoice.customer)]
            let decimals = World.currencies[customer.currency].decimals
            invoices.reserve(96)
            appendId(Self.invoicePrefix, bases.invoices + offset + 1, to: invoices)
            invoices.append(comma)
            appendCustomerId(first + Int(invoice.customer), to: invoices)
            invoices.append(comma)
            tables.appendDate(Int(invoice.issued), to: invoices)
            invoices.append(comma)
            tables.appendDate(Int(invoice.due), to: invoices)
            invoices.append(comma)
            invoices.appendAmount(invoice.amount, decimals: decimals)
            invoices.append(comma)
            invoices.append(Self.currencyNames[customer.currency])
            invoices.append(comma)
            invoices.append(invoice.disputed ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            invoices.append(newline)
        }
    }

    /// payments.csv rows: id, customer, date, amount and the invoice paid (empty when paid on account).
    private func formatPayments(_ records: ChunkRecords, bases: IdBases) {
        let first = records.firstCustomer
        let comma = Self.comma
        let newline = Self.newline
        for (offset, payment) in records.payments.enumerated() {
            let customer = records.customers[Int(payment.customer)]
            let decimals = World.currencies[customer.currency].decimals
            payments.reserve(80)
            appendId(Self.paymentPrefix, bases.payments + offset + 1, to: payments)
            payments.append(comma)
            appendCustomerId(first + Int(payment.customer), to: payments)
            payments.append(comma)
            tables.appendDate(Int(payment.day), to: payments)
            payments.append(comma)
            payments.appendAmount(payment.amount, decimals: decimals)
            payments.append(comma)
            if payment.invoice >= 0 {
                appendId(Self.invoicePrefix, bases.invoices + Int(payment.invoice) + 1, to: payments)
            }
            payments.append(newline)
        }
    }

    /// calls.csv rows: id, customer, UTC start, outcome, agent, duration.
    private func formatCalls(_ records: ChunkRecords, bases: IdBases) {
        let first = records.firstCustomer
        let comma = Self.comma
        let newline = Self.newline
        for (offset, call) in records.calls.enumerated() {
            calls.reserve(96)
            appendId(Self.callPrefix, bases.calls + offset + 1, to: calls)
            calls.append(comma)
            appendCustomerId(first + Int(call.customer), to: calls)
            calls.append(comma)
            tables.appendTimestamp(Int(call.utcSeconds), to: calls)
            calls.append(comma)
            calls.append(Self.outcomeNames[Int(call.outcome)])
            calls.append(comma)
            calls.append(Self.agentPrefix)
            calls.appendDigits(UInt64(call.agent + 1), width: ExportFiles.agentDigits)
            calls.append(comma)
            calls.appendDigits(UInt64(call.duration))
            calls.append(newline)
        }
    }

    /// promises.csv rows: id, customer, created and promised dates, amount, the call it was made on.
    private func formatPromises(_ records: ChunkRecords, bases: IdBases) {
        let first = records.firstCustomer
        let comma = Self.comma
        let newline = Self.newline
        for (offset, promise) in records.promises.enumerated() {
            let customer = records.customers[Int(promise.customer)]
            let decimals = World.currencies[customer.currency].decimals
            promises.reserve(96)
            appendId(Self.promisePrefix, bases.promises + offset + 1, to: promises)
            promises.append(comma)
            appendCustomerId(first + Int(promise.customer), to: promises)
            promises.append(comma)
            tables.appendDate(Int(promise.created), to: promises)
            promises.append(comma)
            tables.appendDate(Int(promise.promised), to: promises)
            promises.append(comma)
            promises.appendAmount(promise.amount, decimals: decimals)
            promises.append(comma)
            appendId(Self.callPrefix, bases.calls + Int(promise.call) + 1, to: promises)
            promises.append(newline)
        }
    }

    /// truth.json's customer objects, one line each.
    private func formatTruth(_ records: ChunkRecords, bases: IdBases) {
        for (local, customer) in records.customers.enumerated() {
            switch world {
            case .lift: formatTruthEntry(customer, local: local, records: records, bases: bases)
            case .archetypes: formatArchetypeTruthEntry(customer, local: local, records: records, bases: bases)
            }
        }
    }

    /// Appends `"name":` to truth.json.
    func key(_ name: StaticString) {
        truth.append(UInt8(ascii: "\""))
        truth.append(literal: name)
        truth.append(UInt8(ascii: "\""))
        truth.append(UInt8(ascii: ":"))
    }

    /// Appends `bytes` as a JSON string (they need no escaping).
    func quoted(_ bytes: [UInt8]) {
        truth.append(UInt8(ascii: "\""))
        truth.append(bytes)
        truth.append(UInt8(ascii: "\""))
    }

    /// Appends a quoted ISO date, or `null`.
    func optionalDate(_ day: Int?) {
        if let day {
            truth.append(UInt8(ascii: "\""))
            tables.appendDate(day, to: truth)
            truth.append(UInt8(ascii: "\""))
        } else {
            truth.append(literal: "null")
        }
    }

    /// The opening of one customer's truth.json object, the same in both worlds: the separator from the previous
    /// customer (",\n" after the first), then id, segment, time zone, country and currency.
    func appendTruthEntryHead(_ customer: CustomerRecord) {
        let comma = Self.comma
        if customer.index > 0 {
            truth.append(comma)
            truth.append(Self.newline)
        }
        truth.append(UInt8(ascii: "{"))
        key("customer_id")
        truth.append(UInt8(ascii: "\""))
        appendCustomerId(customer.index, to: truth)
        truth.append(UInt8(ascii: "\""))
        truth.append(comma); key("segment"); quoted(Self.segmentNames[customer.segment])
        truth.append(comma); key("timezone"); quoted(Self.zoneNames[customer.zone])
        truth.append(comma); key("country"); quoted(Self.countryNames[customer.zone])
        truth.append(comma); key("currency"); quoted(Self.currencyNames[customer.currency])
    }

    /// One customer's truth.json object (one line; customers after the first are preceded by ",\n").
    private func formatTruthEntry(_ customer: CustomerRecord, local: Int, records: ChunkRecords, bases: IdBases) {
        let comma = Self.comma
        let decimals = World.currencies[customer.currency].decimals
        appendTruthEntryHead(customer)
        truth.append(comma); key("pay_propensity"); truth.appendFixed4(customer.payPropensity)
        truth.append(comma); key("delay_tendency"); truth.appendInt(customer.delayTendency)
        truth.append(comma); key("promise_reliability"); truth.appendFixed4(customer.promiseReliability)
        truth.append(comma); key("contact_pattern"); quoted(Self.patternNames[customer.pattern])
        truth.append(comma); key("reach"); truth.appendFixed4(customer.reach)
        truth.append(comma); key("window_rpc_probability")
        windowProbabilities(local: local, records: records)
        truth.append(comma); key("best_window"); quoted(Self.windowNames[customer.bestWindow])
        truth.append(comma); key("do_not_call"); truth.append(literal: customer.doNotCall ? "true" : "false")
        truth.append(comma); key("doubtful_from"); optionalDate(customer.doubtfulFrom)
        truth.append(comma); key("onboarded"); optionalDate(customer.onboarded)
        truth.append(comma); key("invoicing_stops"); optionalDate(customer.invoicingStops)
        truth.append(comma); key("invoice_interval_days"); truth.appendInt(customer.intervalDays)
        truth.append(comma); key("default_terms"); truth.appendInt(customer.defaultTerms)
        truth.append(comma); key("typical_invoice_amount"); truth.appendAmount(customer.typicalInvoice, decimals: decimals)
        truth.append(comma); key("promises")
        truthPromises(customer, records: records, bases: bases)
        truth.append(UInt8(ascii: "}"))
    }

    /// The customer's 25 window probabilities as a JSON array.
    func windowProbabilities(local: Int, records: ChunkRecords) {
        truth.append(UInt8(ascii: "["))
        for window in 0..<CallWindows.count {
            if window > 0 { truth.append(Self.comma) }
            truth.appendFixed4(records.windows[local * CallWindows.count + window])
        }
        truth.append(UInt8(ascii: "]"))
    }

    /// The customer's promises as a JSON array of `{promise_id, p_kept, kept}`.
    func truthPromises(_ customer: CustomerRecord, records: ChunkRecords, bases: IdBases) {
        let comma = Self.comma
        truth.append(UInt8(ascii: "["))
        for index in customer.firstPromise..<customer.promiseEnd {
            let promise = records.promises[index]
            if index > customer.firstPromise { truth.append(comma) }
            truth.append(UInt8(ascii: "{"))
            key("promise_id")
            truth.append(UInt8(ascii: "\""))
            appendId(Self.promisePrefix, bases.promises + index + 1, to: truth)
            truth.append(UInt8(ascii: "\""))
            truth.append(comma); key("p_kept"); truth.appendFixed4(promise.keptProbability)
            truth.append(comma); key("kept"); truth.append(literal: promise.kept ? "true" : "false")
            truth.append(UInt8(ascii: "}"))
        }
        truth.append(UInt8(ascii: "]"))
    }
}
