import CallGrid
import Foundation
import Parallelism
import Receivables

/// Payment labels of a feature table's rows: what happened after each row's as-of date T.
///
/// These are the only values computed from rows dated on or after T, and only from the customer's payments
/// dated in the stated window. Arrays are aligned with the table's rows.
public struct PaymentLabels: Sendable, Equatable {
    /// The horizon H in days.
    public var horizonDays: Int
    /// Longest follow-up for `daysToFirstPayment` (days).
    public var maximumDays: Int
    /// First day after the data used to flag unobserved windows.
    public var dataEnd: Int32
    /// 1 when the customer made any payment dated in [T, T + H), else 0.
    public var paidWithinHorizon: [Double]
    /// Sum of the customer's payments dated in [T, T + H) (currency units).
    public var cashWithinHorizon: [Double]
    /// The part of `cashWithinHorizon` that collects the balance past due at T (currency units): payments dated in
    /// [T, T + H) applied to an invoice past due at T (invoice_date < T and due_date < T), plus on-account payments
    /// (empty invoice_id), which are credited FIFO to the oldest due invoices, i.e. past-due ones first. Payments
    /// applied to invoices not yet due at T or issued on or after T are left out. Not capped (see `CashShareLabels`).
    public var pastDueCashWithinHorizon: [Double]
    /// Whether [T, T + H) lies inside the data (T + H ≤ dataEnd). When false the two labels above may miss
    /// payments that happened after the data end: training drops such rows.
    public var horizonObserved: [Bool]
    /// Days to the first payment on or after T, counted so that a payment on day T is 1 ("paid within k days"
    /// ⇔ value ≤ k); when censored, the number of days observed, min(dataEnd, T + maximumDays) − T.
    public var daysToFirstPayment: [Double]
    /// 1 when the first payment was observed (in [T, min(dataEnd, T + maximumDays))), 0 when censored.
    public var paymentObserved: [Double]

    public var count: Int { paidWithinHorizon.count }

    public init(horizonDays: Int, maximumDays: Int, dataEnd: Int32, paidWithinHorizon: [Double], cashWithinHorizon: [Double],
                pastDueCashWithinHorizon: [Double], horizonObserved: [Bool], daysToFirstPayment: [Double],
                paymentObserved: [Double]) {
        self.horizonDays = horizonDays
        self.maximumDays = maximumDays
        self.dataEnd = dataEnd
        self.paidWithinHorizon = paidWithinHorizon
        self.cashWithinHorizon = cashWithinHorizon
        self.pastDueCashWithinHorizon = pastDueCashWithinHorizon
        self.horizonObserved = horizonObserved
        self.daysToFirstPayment = daysToFirstPayment
        self.paymentObserved = paymentObserved
    }

    /// The labels of rows `rows`, in that order.
    public func selectingRows(_ rows: [Int]) -> PaymentLabels {
        PaymentLabels(horizonDays: horizonDays, maximumDays: maximumDays, dataEnd: dataEnd,
                      paidWithinHorizon: rows.map { paidWithinHorizon[$0] }, cashWithinHorizon: rows.map { cashWithinHorizon[$0] },
                      pastDueCashWithinHorizon: rows.map { pastDueCashWithinHorizon[$0] },
                      horizonObserved: rows.map { horizonObserved[$0] }, daysToFirstPayment: rows.map { daysToFirstPayment[$0] },
                      paymentObserved: rows.map { paymentObserved[$0] })
    }

    /// Labels of several tables' rows one after another (same horizon).
    public static func stacking(_ parts: [PaymentLabels]) -> PaymentLabels {
        PaymentLabels(horizonDays: parts.first?.horizonDays ?? 30, maximumDays: parts.first?.maximumDays ?? 365,
                      dataEnd: parts.first?.dataEnd ?? 0,
                      paidWithinHorizon: parts.flatMap(\.paidWithinHorizon), cashWithinHorizon: parts.flatMap(\.cashWithinHorizon),
                      pastDueCashWithinHorizon: parts.flatMap(\.pastDueCashWithinHorizon),
                      horizonObserved: parts.flatMap(\.horizonObserved), daysToFirstPayment: parts.flatMap(\.daysToFirstPayment),
                      paymentObserved: parts.flatMap(\.paymentObserved))
    }
}

/// One call attempt with its customer-local time and window, for the call-window (contact) model.
public struct ContactAttempt: Sendable, Equatable {
    /// Customer index.
    public var customer: Int32
    /// Row of the call in `ReceivablesExport.calls`.
    public var call: Int32
    /// `started_at`, seconds since 1970-01-01T00:00:00Z.
    public var startedAt: Int64
    /// UTC day of `started_at` (the date the attempt counts as "dated").
    public var utcDay: Int32
    /// Customer-local window 0 … 24 (see `CallWindows`), or −1 outside the 25 windows.
    public var window: Int8
    /// Customer-local weekday, 0 = Monday … 6 = Sunday.
    public var localWeekday: Int8
    /// Customer-local hour, 0 … 23.
    public var localHour: Int8
    /// Whether the right party was reached (outcome right_party, promise, refused or dispute).
    public var rightPartyContact: Bool
    public var outcome: CallOutcome
}

/// Promise records for the promise-kept model: one per promise, its label and its features at creation.
public struct PromiseRecords: Sendable {
    /// Grace period used for "kept" (days).
    public var graceDays: Int
    /// First day after the data: a promise's fate is known when promised_date + grace < dataEnd.
    public var dataEnd: Int32
    /// Row of each promise in `ReceivablesExport.promises`.
    public var promises: [Int32]
    /// created_date per promise.
    public var createdDate: [Int32]
    /// promised_date per promise.
    public var promisedDate: [Int32]
    /// 1 when the customer's payments dated created_date … promised_date + grace (inclusive) add up to at least
    /// the promised amount, else 0 (DESIGN.md). Meaningful only where `known`.
    public var kept: [Double]
    /// Whether the whole window lies inside the data (promised_date + grace < dataEnd).
    public var known: [Bool]
    /// The `PromiseFeature` columns, then the `Feature` columns of the customer as of created_date (rows dated
    /// before the day the promise was made). `features.asOf` is the created date, `features.customers` the customer.
    public var features: FeatureTable

    public var count: Int { promises.count }

    /// The records of rows `rows`, in that order.
    public func selectingRows(_ rows: [Int]) -> PromiseRecords {
        PromiseRecords(graceDays: graceDays, dataEnd: dataEnd, promises: rows.map { promises[$0] },
                       createdDate: rows.map { createdDate[$0] }, promisedDate: rows.map { promisedDate[$0] },
                       kept: rows.map { kept[$0] }, known: rows.map { known[$0] }, features: features.selectingRows(rows))
    }

    /// Only the promises whose fate is known.
    public func knownOnly() -> PromiseRecords { selectingRows(known.indices.filter { known[$0] }) }
}

extension FeatureBuilder {
    // MARK: - Payment labels

    /// Payment labels for every row of `table` (each row's customer and as-of date), horizon H = `horizonDays`,
    /// time to first payment followed up for at most `maximumDays` and censored at `dataEnd`.
    public func labels(for table: FeatureTable, horizonDays: Int = 30, maximumDays: Int = 365) -> PaymentLabels {
        precondition(horizonDays > 0 && maximumDays > 0, "horizons must be positive")
        let count = table.rowCount
        let ix = index.view!
        let end = dataEnd
        let paid = Storage<Double>(uninitializedCount: count)
        let cash = Storage<Double>(uninitializedCount: count)
        let pastDueCash = Storage<Double>(uninitializedCount: count)
        let observed = Storage<Bool>(uninitializedCount: count)
        let days = Storage<Double>(uninitializedCount: count)
        let events = Storage<Double>(uninitializedCount: count)
        let h = Int64(horizonDays), maximum = Int64(maximumDays)
        table.customers.withUnsafeBufferPointer { customerOf in
            table.asOf.withUnsafeBufferPointer { dateOf in
                Parallel.forEachChunk(count: count, minimumChunk: 4096) { _, range in
                    for row in range {
                        let c = Int(customerOf[row]), t = dateOf[row]
                        let start = ix.paymentOffsets[c], stop = ix.paymentOffsets[c + 1]
                        let first = ExportIndex.lowerBound(ix.paymentDate, start, stop, t)
                        let horizonEnd = Int32(clamping: Int64(t) + h)
                        let through = ExportIndex.lowerBound(ix.paymentDate, first, stop, horizonEnd)
                        paid[row] = through > first ? 1 : 0
                        cash[row] = Money.units(ix.paymentCumulative[through] &- ix.paymentCumulative[first])
                        pastDueCash[row] = Money.units(ix.pastDueCollected(payments: first..<through, asOf: t))
                        observed[row] = Int64(t) + h <= Int64(end)
                        let followEnd = min(Int64(end), Int64(t) + maximum)
                        if first < stop && Int64(ix.paymentDate[first]) < followEnd {
                            days[row] = Double(Int64(ix.paymentDate[first]) - Int64(t) + 1)
                            events[row] = 1
                        } else {
                            days[row] = Double(max(0, followEnd - Int64(t)))
                            events[row] = 0
                        }
                    }
                }
            }
        }
        return PaymentLabels(horizonDays: horizonDays, maximumDays: maximumDays, dataEnd: end,
                             paidWithinHorizon: paid.toArray(), cashWithinHorizon: cash.toArray(),
                             pastDueCashWithinHorizon: pastDueCash.toArray(),
                             horizonObserved: observed.toArray(), daysToFirstPayment: days.toArray(),
                             paymentObserved: events.toArray())
    }

    // MARK: - Contact attempts

    /// Every call attempt whose UTC day lies in `from ..< to`, ordered by customer, then time (file order on ties),
    /// with its customer-local window (DST-correct, from the tz database) and whether the right party answered.
    public func contactAttempts(from: Int32, to: Int32) -> [ContactAttempt] {
        let ix = index.view!
        let ranges = Parallel.chunks(count: customerCount, minimumChunk: 4096)
        let counts = Storage<Int>(repeating: 0, count: ranges.count)
        Parallel.run(ranges) { chunk, range in
            var count = 0
            for c in range {
                for q in ix.callOffsets[c]..<ix.callOffsets[c + 1] where ix.callDay[q] >= from && ix.callDay[q] < to { count += 1 }
            }
            counts[chunk] = count
        }
        var starts = [Int](repeating: 0, count: ranges.count + 1)
        for chunk in 0..<ranges.count { starts[chunk + 1] = starts[chunk] + counts[chunk] }
        let total = starts[ranges.count]
        let startedAt = index.callStartedAt
        return [ContactAttempt](unsafeUninitializedCapacity: total) { buffer, initialized in
            let out = UncheckedBox(buffer.baseAddress)
            startedAt.withUnsafeBufferPointer { startedAt in
                let times = UncheckedBox(startedAt)
                Parallel.run(ranges) { chunk, range in
                    guard let base = out.value else { return }
                    var k = starts[chunk]
                    for c in range {
                        for q in ix.callOffsets[c]..<ix.callOffsets[c + 1] where ix.callDay[q] >= from && ix.callDay[q] < to {
                            let outcome = CallOutcome(rawValue: ix.callOutcome[q]) ?? .noAnswer
                            (base + k).initialize(to: ContactAttempt(
                                customer: Int32(c), call: ix.callRow[q], startedAt: times.value[Int(ix.callRow[q])],
                                utcDay: ix.callDay[q], window: ix.callWindow[q], localWeekday: ix.callLocalWeekday[q],
                                localHour: ix.callLocalHour[q], rightPartyContact: outcome.isRightPartyContact, outcome: outcome))
                            k += 1
                        }
                    }
                }
            }
            initialized = total
        }
    }

    // MARK: - Promise records

    /// One record per promise of the export (ordered by customer, then created date, file order on ties):
    /// kept (1/0) with `graceDays` of grace, whether that is known by `dataEnd` (default: the builder's), the
    /// promise's own features and the customer's snapshot features as of the created date.
    public func promiseRecords(asOfDataEnd end: Int32? = nil, graceDays: Int? = nil) -> PromiseRecords {
        promiseRecords(positions: nil, asOfDataEnd: end, graceDays: graceDays)
    }

    /// Every promise's record (as `promiseRecords()`), its feature table holding only the columns named `columns`
    /// (in that order; promise and customer feature names) and no per-window call counts: what fitting and evaluating
    /// the promise model needs, at a fraction of the memory.
    /// - Precondition: every name is a `PromiseFeature` or `Feature` column.
    public func promiseRecords(columns: [String]) -> PromiseRecords {
        promiseRecords(positions: nil, asOfDataEnd: nil, graceDays: nil, columns: columns)
    }

    /// The records at `positions` only (positions in `promiseRecords()` order, e.g. `OpenPromise.record`), in that
    /// order: the same values as the full set's rows, without computing features for every promise.
    public func promiseRecords(at positions: [Int], asOfDataEnd end: Int32? = nil, graceDays: Int? = nil) -> PromiseRecords {
        promiseRecords(positions: positions, asOfDataEnd: end, graceDays: graceDays)
    }

    private func promiseRecords(positions: [Int]?, asOfDataEnd end: Int32?, graceDays: Int?,
                                columns: [String]? = nil) -> PromiseRecords {
        let allNames = PromiseFeature.names + Feature.names
        let storing = columns.map { names in
            names.map { name in
                guard let index = allNames.firstIndex(of: name) else { preconditionFailure("no promise column \(name)") }
                return index
            }
        }
        let ix = index
        let view = index.view!
        let grace = Int32(clamping: graceDays ?? options.graceDays)
        let dataEnd = end ?? self.dataEnd
        var customerOf = [Int32](repeating: 0, count: ix.promiseRow.count)
        for c in 0..<customerCount {
            for r in ix.promiseOffsets[c]..<ix.promiseOffsets[c + 1] { customerOf[r] = Int32(c) }
        }
        let selected = positions ?? Array(0..<ix.promiseRow.count)
        let count = selected.count
        let customers = selected.map { customerOf[$0] }
        let created = selected.map { ix.promiseCreated[$0] }
        let due = selected.map { ix.promiseDue[$0] }
        var kept = [Double](repeating: 0, count: count)
        var known = [Bool](repeating: false, count: count)
        for (i, r) in selected.enumerated() {
            kept[i] = view.promiseKept(r, customer: Int(customers[i]), graceDays: grace) ? 1 : 0
            known[i] = Int64(due[i]) + Int64(grace) < Int64(dataEnd)
        }
        let amounts = selected.map { ix.promiseAmount[$0] }
        let table = rows(customers: customers, dates: created, extraColumns: PromiseFeature.allCases.count,
                         graceDays: Int(grace), storing: storing, windowCounts: columns == nil) { row, summary, sink in
            let amount = amounts[row]
            let units = Money.units(amount)
            sink.set(column: PromiseFeature.promisedAmount.rawValue, units)
            sink.set(column: PromiseFeature.log1pPromisedAmount.rawValue, Foundation.log1p(units))
            sink.set(column: PromiseFeature.daysToPromisedDate.rawValue, Double(Int(due[row]) - Int(created[row])))
            sink.set(column: PromiseFeature.promiseToPastDue.rawValue,
                     summary.pastDueMilli > 0 ? min(10, Double(amount) / Double(summary.pastDueMilli)) : 10)
            let promisable = summary.pastDueMilli &- summary.disputedPastDueMilli
            sink.set(column: PromiseFeature.partialPromise.rawValue, amount < promisable ? 1 : 0)
        }
        let features = FeatureTable(columnNames: columns ?? allNames, customers: customers,
                                    asOf: created, values: table.values, windowCounts: table.windows)
        return PromiseRecords(graceDays: Int(grace), dataEnd: dataEnd, promises: selected.map { ix.promiseRow[$0] },
                              createdDate: created, promisedDate: due, kept: kept, known: known, features: features)
    }
}

/// A promise still open at a date: created before it, its window (promised date + grace) not yet closed.
public struct OpenPromise: Sendable, Equatable {
    /// Position in `promiseRecords()` (its row there) and row in the export's promise table.
    public var record: Int
    public var promiseRow: Int32
    public var customer: Int32
    public var createdDate: Int32
    public var promisedDate: Int32
    /// Promised amount and what is still unpaid (payments since the created date, before the as-of date), in currency units.
    public var amount: Double
    public var remaining: Double
}

extension FeatureBuilder {
    /// The promises open at `t` (created before `t`, promised date + grace ≥ `t`), ordered by customer, then
    /// created date, with the amount still unpaid from payments dated before `t`.
    public func openPromises(asOf t: Int32) -> [OpenPromise] {
        let ix = index.view!
        let grace = Int32(clamping: options.graceDays)
        var result: [OpenPromise] = []
        for c in 0..<customerCount {
            for r in ix.promiseOffsets[c]..<ix.promiseOffsets[c + 1] {
                let created = ix.promiseCreated[r]
                if created >= t { break }
                let due = ix.promiseDue[r]
                guard due &+ grace >= t else { continue }
                let amount = ix.promiseAmount[r]
                let paid = ix.paidBetween(customer: c, from: created, through: t &- 1)
                result.append(OpenPromise(record: r, promiseRow: index.promiseRow[r], customer: Int32(c), createdDate: created,
                                          promisedDate: due, amount: Money.units(amount),
                                          remaining: Money.units(max(0, amount &- paid))))
            }
        }
        return result
    }
}
