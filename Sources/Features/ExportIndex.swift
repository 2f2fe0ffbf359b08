import CivilTime
import Parallelism
import Receivables

/// A per-customer index of an export (compressed sparse rows): each table's rows grouped by customer and
/// sorted by date within the customer (ties keep file order), with the columns the features need copied into
/// that order. Built once per export; every snapshot, label and record reads it.
///
/// Amounts are held as exact integers in thousandths of the currency unit ("milli"), so balances, prefix sums
/// and "paid at least the promised amount" are exact and independent of summation order.
final class ExportIndex: @unchecked Sendable {
    let customerCount: Int

    // Invoices, by customer then invoice_date.
    let invoiceOffsets: Storage<Int>
    let invoiceDate: Storage<Int32>
    let invoiceDue: Storage<Int32>
    let invoiceAmount: Storage<Int64>
    let invoiceDisputed: Storage<UInt8>
    /// The export's `invoice_id` of each disputed invoice, by index position (undisputed invoices' ids are not kept:
    /// the queues name only disputed invoices, and a large export's ids would double the index's size).
    let disputedInvoiceIds: [Int32: String]
    let maximumInvoicesPerCustomer: Int

    // Payments, by customer then payment_date.
    let paymentOffsets: Storage<Int>
    let paymentDate: Storage<Int32>
    let paymentAmount: Storage<Int64>
    /// Position (in the invoice arrays) of the invoice paid, or −1 for a payment on account.
    let paymentInvoice: Storage<Int32>
    let paymentCumulative: Storage<Int64>

    // Calls, by customer then started_at.
    let callOffsets: Storage<Int>
    let callRow: Storage<Int32>
    /// `started_at` of every call in export row order (shares the export's array; indexed by `callRow`).
    let callStartedAt: [Int64]
    /// UTC day of `started_at`.
    let callDay: Storage<Int32>
    let callOutcome: Storage<UInt8>
    /// Local window 0 … 24, or −1.
    let callWindow: Storage<Int8>
    let callLocalWeekday: Storage<Int8>
    let callLocalHour: Storage<Int8>

    // Promises, by customer then created_date.
    let promiseOffsets: Storage<Int>
    let promiseRow: Storage<Int32>
    let promiseCreated: Storage<Int32>
    let promiseDue: Storage<Int32>
    let promiseAmount: Storage<Int64>

    /// Raw pointers to the columns above.
    private(set) var view: IndexView!

    /// One offset table per entry of `customers.timezoneNames`, covering every call's UTC day.
    let zones: [ZoneOffsetTable]

    /// Earliest invoice date (0 without invoices).
    let firstInvoiceDate: Int32

    /// First day after the last dated row (invoice, payment, promise creation, call UTC day); 0 for an empty export.
    let dataEnd: Int32

    /// Indexes `export`; with `releasingRowTables`, each of the invoice, payment and call tables is emptied in
    /// `export` as soon as it is indexed, so its memory is returned before the next table is copied (the caller's
    /// export keeps customers, promises, the quarantine and the file summaries).
    init(_ export: inout ReceivablesExport, releasingRowTables: Bool) {
        let customers = export.customers.count
        customerCount = customers

        let (invoices, invoicePosition) = Self.indexInvoices(export.invoices, customers: customers)
        if releasingRowTables { export.invoices = InvoiceTable() }
        invoiceOffsets = invoices.offsets
        invoiceDate = invoices.date
        invoiceDue = invoices.due
        invoiceAmount = invoices.amount
        invoiceDisputed = invoices.disputed
        disputedInvoiceIds = invoices.disputedIds
        maximumInvoicesPerCustomer = invoices.widest

        let payments = Self.indexPayments(export.payments, customers: customers, invoicePosition: invoicePosition)
        if releasingRowTables { export.payments = PaymentTable() }
        paymentOffsets = payments.offsets
        paymentDate = payments.date
        paymentAmount = payments.amount
        paymentInvoice = payments.invoice
        paymentCumulative = payments.cumulative

        let calls = Self.indexCalls(export.calls, customers: customers)
        if releasingRowTables { export.calls = CallTable() }
        callOffsets = calls.offsets
        callRow = calls.row
        callStartedAt = calls.startedAt
        callOutcome = calls.outcome
        let days = Self.utcDays(calls.times)
        callDay = days.day
        let zoneTables = export.customers.timezoneNames.map {
            ZoneOffsetTable(identifier: $0, firstDay: days.first - 1, lastDay: days.last + 1)
        }
        zones = zoneTables
        let local = Self.localTimes(calls, days: days.day, zoneOf: export.customers.timezone, zones: zoneTables)
        callWindow = local.window
        callLocalWeekday = local.weekday
        callLocalHour = local.hour

        let promises = export.promises
        let (prOffsets, prOrder) = Self.group(promises.customer, customers: customers, key: promises.createdDate)
        promiseOffsets = prOffsets
        promiseRow = prOrder
        promiseCreated = Self.gather(promises.createdDate, prOrder)
        promiseDue = Self.gather(promises.promisedDate, prOrder)
        promiseAmount = Self.gatherMilli(promises.promisedAmount, prOrder)

        let range = Self.dateRange(invoices: invoices, payments: payments, promiseOffsets: prOffsets,
                                   promiseCreated: promiseCreated, callDays: days, customers: customers)
        firstInvoiceDate = range.firstInvoice
        dataEnd = range.end
        view = IndexView(self)
    }

    // MARK: - Indexing one table (the steps of `init`)

    /// The invoice columns in index order.
    private struct InvoiceColumns {
        let offsets: Storage<Int>, date: Storage<Int32>, due: Storage<Int32>, amount: Storage<Int64>
        let disputed: Storage<UInt8>
        /// `invoice_id` of each disputed invoice, by index position.
        let disputedIds: [Int32: String]
        /// Most invoices of one customer.
        let widest: Int
    }

    /// Groups the invoices by customer and invoice date and copies their columns into that order; also returns the
    /// index position of each invoice row of the export.
    private static func indexInvoices(_ invoices: InvoiceTable,
                                      customers: Int) -> (InvoiceColumns, position: Storage<Int32>) {
        let (offsets, order) = group(invoices.customer, customers: customers, key: invoices.invoiceDate)
        var widest = 0
        for c in 0..<customers { widest = max(widest, offsets[c + 1] - offsets[c]) }
        let count = invoices.count
        let position = Storage<Int32>(uninitializedCount: count)
        Parallel.forEachChunk(count: count, minimumChunk: 1 << 16) { _, range in
            for p in range { position[Int(order[p])] = Int32(p) }
        }
        var disputedIds = [Int32: String]()
        for row in invoices.disputed.indices where invoices.disputed[row] { disputedIds[position[row]] = invoices.ids.id(row) }
        let columns = InvoiceColumns(
            offsets: offsets, date: gather(invoices.invoiceDate, order), due: gather(invoices.dueDate, order),
            amount: gatherMilli(invoices.amount, order), disputed: gather(invoices.disputed, order) { $0 ? UInt8(1) : 0 },
            disputedIds: disputedIds, widest: widest)
        return (columns, position)
    }

    /// The payment columns in index order.
    private struct PaymentColumns {
        let offsets: Storage<Int>, date: Storage<Int32>, amount: Storage<Int64>
        /// Index position of the invoice paid, or −1.
        let invoice: Storage<Int32>
        let cumulative: Storage<Int64>
    }

    /// Groups the payments by customer and payment date, copies their columns into that order and points each at the
    /// index position of the invoice it pays (−1 on account or for an invoice row outside the table).
    private static func indexPayments(_ payments: PaymentTable, customers: Int,
                                      invoicePosition: Storage<Int32>) -> PaymentColumns {
        let (offsets, order) = group(payments.customer, customers: customers, key: payments.paymentDate)
        let date = gather(payments.paymentDate, order)
        let amount = gatherMilli(payments.amount, order)
        let invoiceCount = invoicePosition.count
        let paidInvoice = Storage<Int32>(uninitializedCount: payments.count)
        payments.invoice.withUnsafeBufferPointer { invoice in
            let source = UncheckedBox(invoice)
            Parallel.forEachChunk(count: payments.count, minimumChunk: 1 << 16) { _, range in
                for p in range {
                    let row = source.value[Int(order[p])]
                    paidInvoice[p] = row >= 0 && Int(row) < invoiceCount ? invoicePosition[Int(row)] : -1
                }
            }
        }
        return PaymentColumns(offsets: offsets, date: date, amount: amount, invoice: paidInvoice,
                              cumulative: prefixSums(amount))
    }

    /// The call columns in index order, with the start times (a temporary for the steps that follow).
    private struct CallColumns {
        let offsets: Storage<Int>, row: Storage<Int32>, startedAt: [Int64], outcome: Storage<UInt8>
        /// `started_at` in index order.
        let times: Storage<Int64>
    }

    /// Groups the calls by customer and exact start instant and copies their columns into that order.
    private static func indexCalls(_ calls: CallTable, customers: Int) -> CallColumns {
        let (offsets, order) = group(calls.customer, customers: customers, key: calls.startedAt)
        return CallColumns(offsets: offsets, row: order, startedAt: calls.startedAt,
                           outcome: gather(calls.outcome, order) { $0.rawValue },
                           times: gather(calls.startedAt, order))
    }

    /// The UTC day of every call, and the first and last of them (both 0 without calls).
    private struct CallDays {
        let day: Storage<Int32>
        let first: Int32, last: Int32
        let count: Int
    }

    /// Computes the UTC day of every call on all cores.
    private static func utcDays(_ times: Storage<Int64>) -> CallDays {
        let count = times.count
        let days = Storage<Int32>(uninitializedCount: count)
        let ranges = Parallel.chunks(count: count, minimumChunk: 1 << 16)
        let firstDays = Storage<Int32>(repeating: .max, count: max(1, ranges.count))
        let lastDays = Storage<Int32>(repeating: .min, count: max(1, ranges.count))
        Parallel.run(ranges) { chunk, range in
            var first = Int32.max, last = Int32.min
            for p in range {
                let day = Timestamp.utcDay(times[p])
                days[p] = day
                first = min(first, day)
                last = max(last, day)
            }
            firstDays[chunk] = first
            lastDays[chunk] = last
        }
        guard count > 0 else { return CallDays(day: days, first: 0, last: 0, count: 0) }
        var first = Int32.max, last = Int32.min
        for chunk in 0..<ranges.count {
            first = min(first, firstDays[chunk])
            last = max(last, lastDays[chunk])
        }
        return CallDays(day: days, first: first, last: last, count: count)
    }

    /// Local call window, weekday and hour of every call, in index order.
    private struct LocalCallTimes {
        let window: Storage<Int8>, weekday: Storage<Int8>, hour: Storage<Int8>
    }

    /// Converts every call's start to its customer's local time (zone `zoneOf[c]` of `zones`) on all cores.
    private static func localTimes(_ calls: CallColumns, days: Storage<Int32>, zoneOf: [Int32],
                                   zones: [ZoneOffsetTable]) -> LocalCallTimes {
        let count = calls.times.count, offsets = calls.offsets, times = calls.times
        let windows = Storage<Int8>(uninitializedCount: count)
        let weekdays = Storage<Int8>(uninitializedCount: count)
        let hours = Storage<Int8>(uninitializedCount: count)
        let flat = FlatZoneTables(zones)
        let zoneDays = flat.days, tableFirstDay = flat.firstDay
        zoneOf.withUnsafeBufferPointer { zoneOf in
            let zoneOfBox = UncheckedBox(zoneOf)
            Parallel.forEachChunk(count: zoneOf.count, minimumChunk: 4096) { _, range in
                for c in range {
                    let z = Int(zoneOfBox.value[c])
                    let starts = flat.starts.pointer + z * (zoneDays + 1), changes = flat.changes.pointer + z * zoneDays
                    for p in offsets[c]..<offsets[c + 1] {
                        let time = times[p]
                        let i = Int(days[p]) - tableFirstDay // always inside the table: it spans every call day
                        let offset = time < changes[i] ? starts[i] : starts[i + 1]
                        let local = LocalTime(utcSeconds: time, offsetSeconds: offset)
                        windows[p] = Int8(local.window)
                        weekdays[p] = local.weekday
                        hours[p] = local.hour
                    }
                }
            }
        }
        return LocalCallTimes(window: windows, weekday: weekdays, hour: hours)
    }

    /// Flat copies of zone offset tables that all cover the same days, for a lookup without reference counting:
    /// zone z's start offsets at `starts[z * (days + 1) ...]`, its transition instants at `changes[z * days ...]`.
    private struct FlatZoneTables {
        let days: Int, firstDay: Int
        let starts: Storage<Int32>, changes: Storage<Int64>

        init(_ zones: [ZoneOffsetTable]) {
            days = zones.first?.transitions.count ?? 0
            firstDay = Int(zones.first?.firstDay ?? 0)
            starts = Storage<Int32>(uninitializedCount: max(1, zones.count * (days + 1)))
            changes = Storage<Int64>(uninitializedCount: max(1, zones.count * days))
            for (z, table) in zones.enumerated() {
                for i in 0...days { starts[z * (days + 1) + i] = table.startOffsets[i] }
                for i in 0..<days { changes[z * days + i] = table.transitions[i] }
            }
        }
    }

    /// The earliest invoice date (0 without invoices) and the first day after the last dated row (0 when empty).
    ///
    /// Rows are sorted by date within each customer: the latest date is some customer's last row.
    private static func dateRange(invoices: InvoiceColumns, payments: PaymentColumns, promiseOffsets: Storage<Int>,
                                  promiseCreated: Storage<Int32>, callDays: CallDays,
                                  customers: Int) -> (firstInvoice: Int32, end: Int32) {
        let invOffsets = invoices.offsets, payOffsets = payments.offsets
        var end = Int32.min, first = Int32.max
        for c in 0..<customers {
            let i0 = invOffsets[c], i1 = invOffsets[c + 1]
            if i1 > i0 {
                end = max(end, invoices.date[i1 - 1])
                first = min(first, invoices.date[i0])
            }
            if payOffsets[c + 1] > payOffsets[c] { end = max(end, payments.date[payOffsets[c + 1] - 1]) }
            if promiseOffsets[c + 1] > promiseOffsets[c] { end = max(end, promiseCreated[promiseOffsets[c + 1] - 1]) }
        }
        if callDays.count > 0 { end = max(end, callDays.last) }
        return (first == Int32.max ? 0 : first, end == Int32.min ? 0 : end + 1)
    }

    /// First position in `start ..< end` whose value is ≥ `value` (values sorted ascending).
    @inline(__always)
    static func lowerBound<T: Comparable>(_ values: UnsafeMutablePointer<T>, _ start: Int, _ end: Int, _ value: T) -> Int {
        var low = start, high = end
        while low < high {
            let middle = (low + high) >> 1
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    // MARK: - Building

    /// Rows grouped by customer (offsets has customers + 1 entries) and sorted by `key` within each customer,
    /// ties in file order. Rows with a customer index outside the table are left out.
    ///
    /// Counting sort on all cores: each worker counts its slice of rows per customer, the counts give every
    /// (customer, slice) its first slot, and each worker scatters its slice — file order within a customer is
    /// kept because slices are in file order. Then each customer's rows are sorted by key unless already sorted.
    static func group<Key: Comparable & BitwiseCopyable>(_ customer: [Int32], customers: Int, key: [Key]) -> (Storage<Int>, Storage<Int32>) {
        let offsets = Storage<Int>(repeating: 0, count: customers + 1)
        let rows = customer.count
        let parts = rows >= 1 << 16 ? min(Parallel.workers, 8) : 1
        let partSize = (rows + parts - 1) / max(parts, 1)
        let partRanges = (0..<parts).map { ($0 * partSize)..<min(rows, ($0 + 1) * partSize) }
        // counts[part * customers + c]: rows of customer c in slice `part` (later: that slice's next slot).
        let counts = Storage<Int>(repeating: 0, count: max(1, parts * customers))
        customer.withUnsafeBufferPointer { customerOf in
            let source = UncheckedBox(customerOf)
            Parallel.run(partRanges) { part, range in
                let customerOf = source.value, base = counts.pointer + part * customers
                for row in range {
                    let c = Int(customerOf[row])
                    if c >= 0 && c < customers { base[c] += 1 }
                }
            }
        }
        var total = 0
        for c in 0..<customers {
            offsets[c] = total
            for part in 0..<parts {
                let n = counts[part * customers + c]
                counts[part * customers + c] = total
                total += n
            }
        }
        offsets[customers] = total
        let order = Storage<Int32>(uninitializedCount: total)
        customer.withUnsafeBufferPointer { customerOf in
            let source = UncheckedBox(customerOf)
            Parallel.run(partRanges) { part, range in
                let customerOf = source.value, next = counts.pointer + part * customers
                for row in range {
                    let c = Int(customerOf[row])
                    guard c >= 0 && c < customers else { continue }
                    order[next[c]] = Int32(row)
                    next[c] += 1
                }
            }
        }
        key.withUnsafeBufferPointer { keyOf in
            let keys = UncheckedBox(keyOf)
            Parallel.forEachChunk(count: customers, minimumChunk: 4096) { _, range in
                let keyOf = keys.value
                for c in range {
                    let start = offsets[c], end = offsets[c + 1]
                    guard end - start > 1 else { continue }
                    var sorted = true
                    for p in (start + 1)..<end where keyOf[Int(order[p - 1])] > keyOf[Int(order[p])] {
                        sorted = false
                        break
                    }
                    if sorted { continue }
                    var slice = UnsafeMutableBufferPointer(rebasing: order.buffer[start..<end])
                    slice.sort { a, b in
                        let ka = keyOf[Int(a)], kb = keyOf[Int(b)]
                        return ka < kb || (ka == kb && a < b)
                    }
                }
            }
        }
        return (offsets, order)
    }

    /// `column[order[p]]` for every position p, transformed, on all cores.
    @inline(__always)
    static func gather<S, T: BitwiseCopyable>(_ column: [S], _ order: Storage<Int32>,
                                                               _ transform: (S) -> T) -> Storage<T> {
        let out = Storage<T>(uninitializedCount: order.count)
        column.withUnsafeBufferPointer { values in
            let source = UncheckedBox(values)
            Parallel.forEachChunk(count: order.count, minimumChunk: 1 << 16) { _, range in
                for p in range { out[p] = transform(source.value[Int(order[p])]) }
            }
        }
        return out
    }

    static func gather<T: BitwiseCopyable>(_ column: [T], _ order: Storage<Int32>) -> Storage<T> {
        gather(column, order) { $0 }
    }

    static func gatherMilli(_ column: [Double], _ order: Storage<Int32>) -> Storage<Int64> {
        gather(column, order) { Money.milli($0) }
    }

    static func prefixSums(_ values: Storage<Int64>) -> Storage<Int64> {
        let out = Storage<Int64>(uninitializedCount: values.count + 1)
        var sum: Int64 = 0
        out[0] = 0
        for p in 0..<values.count {
            sum = sum &+ values[p]
            out[p + 1] = sum
        }
        return out
    }
}

/// Raw pointers to an `ExportIndex`'s columns, for the hot loops (no reference counting, no re-loading of
/// class fields inside loops). Valid while the index is alive.
struct IndexView: @unchecked Sendable {
    let invoiceOffsets: UnsafeMutablePointer<Int>
    let invoiceDate: UnsafeMutablePointer<Int32>
    let invoiceDue: UnsafeMutablePointer<Int32>
    let invoiceAmount: UnsafeMutablePointer<Int64>
    let invoiceDisputed: UnsafeMutablePointer<UInt8>
    let paymentOffsets: UnsafeMutablePointer<Int>
    let paymentDate: UnsafeMutablePointer<Int32>
    let paymentAmount: UnsafeMutablePointer<Int64>
    let paymentInvoice: UnsafeMutablePointer<Int32>
    let paymentCumulative: UnsafeMutablePointer<Int64>
    let callOffsets: UnsafeMutablePointer<Int>
    let callRow: UnsafeMutablePointer<Int32>
    let callDay: UnsafeMutablePointer<Int32>
    let callOutcome: UnsafeMutablePointer<UInt8>
    let callWindow: UnsafeMutablePointer<Int8>
    let callLocalWeekday: UnsafeMutablePointer<Int8>
    let callLocalHour: UnsafeMutablePointer<Int8>
    let promiseOffsets: UnsafeMutablePointer<Int>
    let promiseRow: UnsafeMutablePointer<Int32>
    let promiseCreated: UnsafeMutablePointer<Int32>
    let promiseDue: UnsafeMutablePointer<Int32>
    let promiseAmount: UnsafeMutablePointer<Int64>

    init(_ index: ExportIndex) {
        invoiceOffsets = index.invoiceOffsets.pointer
        invoiceDate = index.invoiceDate.pointer
        invoiceDue = index.invoiceDue.pointer
        invoiceAmount = index.invoiceAmount.pointer
        invoiceDisputed = index.invoiceDisputed.pointer
        paymentOffsets = index.paymentOffsets.pointer
        paymentDate = index.paymentDate.pointer
        paymentAmount = index.paymentAmount.pointer
        paymentInvoice = index.paymentInvoice.pointer
        paymentCumulative = index.paymentCumulative.pointer
        callOffsets = index.callOffsets.pointer
        callRow = index.callRow.pointer
        callDay = index.callDay.pointer
        callOutcome = index.callOutcome.pointer
        callWindow = index.callWindow.pointer
        callLocalWeekday = index.callLocalWeekday.pointer
        callLocalHour = index.callLocalHour.pointer
        promiseOffsets = index.promiseOffsets.pointer
        promiseRow = index.promiseRow.pointer
        promiseCreated = index.promiseCreated.pointer
        promiseDue = index.promiseDue.pointer
        promiseAmount = index.promiseAmount.pointer
    }

    /// Whether promise at position `p` is kept: payments by its customer dated `created … promised + grace`
    /// (inclusive) add up to at least the promised amount.
    @inline(__always)
    func promiseKept(_ p: Int, customer c: Int, graceDays: Int32) -> Bool {
        paidBetween(customer: c, from: promiseCreated[p], through: promiseDue[p] &+ graceDays) >= promiseAmount[p]
    }

    /// Sum (milli) of the payments at positions `payments` that collect the balance past due at `t`: those applied to
    /// an invoice with invoice_date < `t` and due_date < `t`, and those on account (credited FIFO, oldest due first).
    @inline(__always)
    func pastDueCollected(payments: Range<Int>, asOf t: Int32) -> Int64 {
        var sum: Int64 = 0
        for p in payments {
            let invoice = Int(paymentInvoice[p])
            if invoice < 0 || (invoiceDate[invoice] < t && invoiceDue[invoice] < t) { sum &+= paymentAmount[p] }
        }
        return sum
    }

    /// Sum (milli) of customer `c`'s payments dated `from ... through`, inclusive.
    @inline(__always)
    func paidBetween(customer c: Int, from: Int32, through: Int32) -> Int64 {
        let start = paymentOffsets[c], end = paymentOffsets[c + 1]
        let low = ExportIndex.lowerBound(paymentDate, start, end, from)
        let high = ExportIndex.lowerBound(paymentDate, low, end, through &+ 1)
        return paymentCumulative[high] &- paymentCumulative[low]
    }
}

/// Amounts as exact integers of thousandths of the currency unit.
enum Money {
    /// Largest magnitude held (about 9.2 × 10¹² currency units). Amounts loaded from an export never reach it:
    /// the loader quarantines any amount above `AmountRange.maximum` (10¹² units), so the clamp only guards
    /// values computed elsewhere (an option such as the open-balance threshold).
    static let limit = 9.2e15

    @inline(__always)
    static func milli(_ amount: Double) -> Int64 {
        let scaled = amount * 1000
        guard scaled.isFinite else { return 0 }
        let clamped = min(limit, max(-limit, scaled))
        // Round half away from zero (exact for the magnitudes allowed).
        return Int64(clamped + (clamped >= 0 ? 0.5 : -0.5))
    }

    @inline(__always)
    static func units(_ milli: Int64) -> Double { Double(milli) / 1000 }
}
