import CallGrid
import CivilTime
import Parallelism
import Receivables

/// Settings of the feature builder.
public struct FeatureOptions: Sendable, Equatable {
    /// Days after `promised_date` a promise may still be paid and count as kept (DESIGN.md default 3).
    public var graceDays: Int
    /// A customer enters a snapshot when its open balance exceeds this amount (currency units; default 0.005).
    public var openBalanceThreshold: Double
    /// First day after the data (days since 1970-01-01); nil = the day after the latest dated row of the export.
    /// Labels whose window reaches it are flagged as not fully observed.
    public var dataEnd: Int32?

    public init(graceDays: Int = 3, openBalanceThreshold: Double = 0.005, dataEnd: Int32? = nil) {
        self.graceDays = graceDays
        self.openBalanceThreshold = openBalanceThreshold
        self.dataEnd = dataEnd
    }
}

/// Builds leakage-safe features and labels from a validated export.
///
/// `init` indexes the export once (each table grouped by customer, sorted by date within the customer, every
/// call's local time and window resolved); `snapshot(asOf:)`, `labels(for:horizonDays:)`,
/// `contactAttempts(from:to:)`, `promiseRecords(...)` and `trainingSet(...)` reuse that index, run on all cores
/// and return rows in a deterministic order. The builder is immutable and can be shared between threads.
///
/// **No leakage.** Features as of T read only rows dated before T: invoice_date < T, payment_date < T,
/// promise created_date < T, calls whose `started_at` lies on a UTC day < T. Deleting every row dated on or
/// after T from the export leaves the snapshot at T bit-for-bit unchanged (tested). Labels are the only
/// values computed from rows dated on or after T, and only within their stated window.
public struct FeatureBuilder: Sendable {
    public let options: FeatureOptions
    /// Number of customers of the export (customer indices are `0 ..< customerCount`).
    public let customerCount: Int
    /// First day after the data: `options.dataEnd`, or the day after the latest dated row.
    public let dataEnd: Int32
    /// The earliest invoice date of the export (0 when there are no invoices).
    public let firstInvoiceDate: Int32

    let index: ExportIndex
    let creditLimit: Storage<Double>
    let doNotCall: Storage<UInt8>
    let thresholdMilli: Int64

    /// Indexes `export` (O(rows), parallel where it pays).
    public init(export: ReceivablesExport, options: FeatureOptions = FeatureOptions()) {
        var copy = export
        self.init(releasing: &copy, options: options, release: false)
    }

    /// Indexes `export` and empties its invoice, payment and call tables as it goes, so a large export is not held
    /// twice (the nightly run needs only the customers, promises and quarantine afterwards).
    public init(releasingRowTablesOf export: inout ReceivablesExport, options: FeatureOptions = FeatureOptions()) {
        self.init(releasing: &export, options: options, release: true)
    }

    private init(releasing export: inout ReceivablesExport, options: FeatureOptions, release: Bool) {
        self.options = options
        let index = ExportIndex(&export, releasingRowTables: release)
        self.index = index
        customerCount = index.customerCount
        dataEnd = options.dataEnd ?? index.dataEnd
        firstInvoiceDate = index.firstInvoiceDate
        let limits = Storage<Double>(uninitializedCount: customerCount)
        let flags = Storage<UInt8>(uninitializedCount: customerCount)
        for c in 0..<customerCount {
            limits[c] = c < export.customers.creditLimit.count ? export.customers.creditLimit[c] : .nan
            flags[c] = c < export.customers.doNotCall.count && export.customers.doNotCall[c] ? 1 : 0
        }
        creditLimit = limits
        doNotCall = flags
        thresholdMilli = max(0, Money.milli(options.openBalanceThreshold))
    }

    func kernel(graceDays: Int) -> SnapshotKernel {
        SnapshotKernel(index: index, creditLimit: creditLimit, doNotCall: doNotCall, graceDays: Int32(clamping: graceDays))
    }

    // MARK: - Snapshots

    /// One row per customer whose open balance as of `asOf` exceeds `options.openBalanceThreshold`, in customer
    /// order, with the columns of `Feature` (see docs/FEATURES.md) and the per-window call counts.
    ///
    /// O(rows dated before `asOf`); two passes on all cores (select the customers, then compute their rows
    /// straight into the column-major table); no allocation per customer.
    public func snapshot(asOf t: Int32) -> FeatureTable {
        snapshots(asOf: [t])
    }

    /// The snapshots at `dates`, stacked in one table: date by date (in the order given), customers in order
    /// within a date. The same rows as `snapshot(asOf:)` for each date, computed together on all cores and
    /// written straight into one table (no copying when building a training set).
    public func snapshots(asOf dates: [Int32]) -> FeatureTable {
        snapshots(asOf: dates, keeping: { _, _ in true })
    }

    /// The snapshots at `dates` restricted to the rows `keep(date, customer index)` accepts, in the same order as
    /// `snapshots(asOf:)`. A rejected row's features are never computed nor stored, so a sampled training set
    /// costs memory for its kept rows only (`keep` is called once per open-balance row, from several threads).
    public func snapshots(asOf dates: [Int32], keeping keep: @Sendable (Int32, Int) -> Bool) -> FeatureTable {
        snapshots(asOf: dates, columns: nil, windowCounts: true, keeping: keep)
    }

    /// The snapshots at `dates` (rows as `snapshots(asOf:keeping:)`) storing only the feature `columns` (in that
    /// order; nil = every `Feature`) and, when `windowCounts` is false, no per-window call counts (the table's
    /// `windowCounts` is then empty). Every row is still computed in full, so the stored values are exactly those of
    /// the full table; a training table that needs a few dozen columns and no call history costs a fraction of the
    /// memory.
    public func snapshots(asOf dates: [Int32], columns: [Feature]?, windowCounts: Bool,
                          keeping keep: @Sendable (Int32, Int) -> Bool) -> FeatureTable {
        let kernel = kernel(graceDays: options.graceDays)
        let customers = customerCount
        let ranges = Parallel.chunks(count: customers, minimumChunk: 2048)
        let chunkCount = ranges.count
        // Tasks are (date, chunk of customers); task k = date k / chunkCount, chunk k % chunkCount.
        let tasks = dates.count * chunkCount
        let taskRanges = (0..<tasks).map { $0..<($0 + 1) }
        let selected = Storage<UInt8>(uninitializedCount: max(1, customers * dates.count))
        let counts = Storage<Int>(repeating: 0, count: max(1, tasks))
        let threshold = thresholdMilli
        Parallel.run(taskRanges) { task, _ in
            let d = task / chunkCount, t = dates[d], marks = selected.pointer + d * customers
            var count = 0
            for c in ranges[task % chunkCount] {
                let take = kernel.netBalance(customer: c, asOf: t) > threshold && keep(t, c)
                marks[c] = take ? 1 : 0
                if take { count += 1 }
            }
            counts[task] = count
        }
        var starts = [Int](repeating: 0, count: tasks + 1)
        for task in 0..<tasks { starts[task + 1] = starts[task] + counts[task] }
        let rows = starts[tasks]
        let stored = columns ?? Feature.allCases
        let storedColumns = columns.map { $0.map(\.rawValue) }
        let windowCount = CallWindows.count
        let windowRows = windowCounts ? rows : 0
        let widest = index.maximumInvoicesPerCustomer
        var rowCustomers: [Int32] = [], rowDates: [Int32] = [], attempts: [Int32] = [], contacts: [Int32] = []
        let values: [Double] = ArrayBuilder.make(rows * stored.count) { values in
            rowCustomers = ArrayBuilder.make(rows) { rowCustomers in
                rowDates = ArrayBuilder.make(rows) { rowDates in
                    attempts = ArrayBuilder.make(windowRows * windowCount) { attempts in
                        contacts = ArrayBuilder.make(windowRows * windowCount) { contacts in
                            let out = UncheckedBox((values, rowCustomers, rowDates, attempts, contacts))
                            Parallel.run(taskRanges) { task, _ in
                                let (values, rowCustomers, rowDates, attempts, contacts) = out.value
                                let d = task / chunkCount, t = dates[d], marks = selected.pointer + d * customers
                                let scratch = KernelScratch(capacity: widest)
                                let writer = BlockWriter(columns: Feature.allCases.count, firstColumn: 0, table: values,
                                                         tableRows: rows, storing: storedColumns)
                                // Without stored window counts every row's counts go to one scratch row.
                                let spareWindows = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * windowCount)
                                defer { spareWindows.deallocate() }
                                var row = starts[task]
                                for c in ranges[task % chunkCount] where marks[c] != 0 {
                                    rowCustomers[row] = Int32(c)
                                    rowDates[row] = t
                                    let sink = windowCounts
                                        ? writer.sink(row: row, windowAttempts: attempts + row * windowCount,
                                                      windowContacts: contacts + row * windowCount)
                                        : writer.sink(row: row, windowAttempts: spareWindows,
                                                      windowContacts: spareWindows + windowCount)
                                    kernel.compute(customer: c, asOf: t, scratch: scratch, into: sink)
                                    row += 1
                                }
                                writer.flush()
                            }
                        }
                    }
                }
            }
        }
        if !windowCounts { attempts = []; contacts = [] }
        return FeatureTable(
            columnNames: stored.map(\.name), customers: rowCustomers, asOf: rowDates, values: values,
            windowCounts: windowCounts ? WindowCounts(rowCount: rows, attempts: attempts, rightPartyContacts: contacts)
                : WindowCounts.absent(rowCount: rows))
    }

    /// The number of rows `snapshots(asOf: dates)` would hold (customers with an open balance above the threshold,
    /// summed over the dates), counted without computing or storing any feature: one balance look-up per customer
    /// and date, on all cores. Training sizes its row sampling from it before building the table.
    public func snapshotRowCount(asOf dates: [Int32]) -> Int {
        let kernel = kernel(graceDays: options.graceDays)
        let customers = customerCount, threshold = thresholdMilli
        let ranges = Parallel.chunks(count: customers, minimumChunk: 4096)
        let counts = Storage<Int>(repeating: 0, count: max(1, ranges.count))
        Parallel.run(ranges) { chunk, range in
            var count = 0
            for t in dates {
                for c in range where kernel.netBalance(customer: c, asOf: t) > threshold { count += 1 }
            }
            counts[chunk] = count
        }
        return counts.toArray().prefix(ranges.count).reduce(0, +)
    }

    /// Features of the given customers as of `asOf`, one row per entry of `customers` (in that order), whatever
    /// their balance (a customer without invoices before `asOf` gets zeros and fills).
    public func features(of customers: [Int32], asOf t: Int32) -> FeatureTable {
        features(of: customers, asOf: [Int32](repeating: t, count: customers.count))
    }

    /// Features of `customers[i]` as of `asOf[i]`, one row per entry.
    public func features(of customers: [Int32], asOf dates: [Int32]) -> FeatureTable {
        precondition(customers.count == dates.count, "one as-of date per customer")
        precondition(customers.allSatisfy { $0 >= 0 && Int($0) < customerCount }, "customer index out of range")
        let table = rows(customers: customers, dates: dates, extraColumns: 0, graceDays: options.graceDays) { _, _, _ in }
        return FeatureTable(columnNames: Feature.names, customers: customers, asOf: dates, values: table.values,
                            windowCounts: table.windows)
    }

    /// Computes kernel rows for (customer, date) pairs, leaving `extraColumns` leading columns to `extra`; stores only
    /// the computed columns `storing` (indices into extra + `Feature` columns, in that order; nil = all) and, when
    /// `windowCounts` is false, no per-window call counts (`WindowCounts.absent`).
    func rows(customers: [Int32], dates: [Int32], extraColumns: Int, graceDays: Int, storing: [Int]? = nil,
              windowCounts: Bool = true, extra: (_ row: Int, _ summary: KernelSummary, _ sink: RowSink) -> Void)
        -> (values: [Double], windows: WindowCounts) {
        let kernel = kernel(graceDays: graceDays)
        let count = customers.count
        let columns = extraColumns + Feature.allCases.count
        let storedCount = storing?.count ?? columns
        let windowCount = CallWindows.count
        let windowRows = windowCounts ? count : 0
        let widest = index.maximumInvoicesPerCustomer
        var attempts: [Int32] = [], contacts: [Int32] = []
        let values: [Double] = ArrayBuilder.make(count * storedCount) { values in
            attempts = ArrayBuilder.make(windowRows * windowCount) { attempts in
                contacts = ArrayBuilder.make(windowRows * windowCount) { contacts in
                    let out = UncheckedBox((values, attempts, contacts))
                    customers.withUnsafeBufferPointer { customerOf in
                        dates.withUnsafeBufferPointer { dateOf in
                            Parallel.run(Parallel.chunks(count: count, minimumChunk: 1024)) { _, range in
                                let (values, attempts, contacts) = out.value
                                let scratch = KernelScratch(capacity: widest)
                                let writer = BlockWriter(columns: columns, firstColumn: extraColumns, table: values, tableRows: count,
                                                         storing: storing)
                                let spareWindows = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * windowCount)
                                defer { spareWindows.deallocate() }
                                for row in range {
                                    let sink = windowCounts
                                        ? writer.sink(row: row, windowAttempts: attempts + row * windowCount,
                                                      windowContacts: contacts + row * windowCount)
                                        : writer.sink(row: row, windowAttempts: spareWindows, windowContacts: spareWindows + windowCount)
                                    let summary = kernel.compute(customer: Int(customerOf[row]), asOf: dateOf[row],
                                                                 scratch: scratch, into: sink)
                                    extra(row, summary, sink)
                                }
                                writer.flush()
                            }
                        }
                    }
                }
            }
        }
        if !windowCounts { return (values, .absent(rowCount: count)) }
        return (values, WindowCounts(rowCount: count, attempts: attempts, rightPartyContacts: contacts))
    }

    // MARK: - Snapshot dates

    /// The first day of every month in `from ..< to` (days since 1970-01-01).
    public static func monthlySnapshotDates(from: Int32, to: Int32) -> [Int32] {
        guard from < to else { return [] }
        var (year, month, day) = CivilDate.components(from)
        if day != 1 {
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        var dates: [Int32] = []
        while true {
            let date = CivilDate.dayNumber(year: year, month: month, day: 1)
            if date >= to { break }
            dates.append(date)
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return dates
    }

    /// `from`, `from + step`, `from + 2·step`, … below `to`.
    public static func snapshotDates(from: Int32, to: Int32, stepDays: Int) -> [Int32] {
        precondition(stepDays > 0, "step must be positive")
        return Array(stride(from: Int(from), to: Int(to), by: stepDays).map { Int32($0) })
    }
}

