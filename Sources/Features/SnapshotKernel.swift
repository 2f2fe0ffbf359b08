import CallGrid
import Foundation
import Receivables

/// Per-thread working memory of the kernel, sized once for the customer with the most invoices.
final class KernelScratch {
    let capacity: Int
    let applied: UnsafeMutablePointer<Int64>
    let appliedThen: UnsafeMutablePointer<Int64>
    let open: UnsafeMutablePointer<Int64>
    let openThen: UnsafeMutablePointer<Int64>
    let order: UnsafeMutablePointer<Int32>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        applied = .allocate(capacity: self.capacity)
        appliedThen = .allocate(capacity: self.capacity)
        open = .allocate(capacity: self.capacity)
        openThen = .allocate(capacity: self.capacity)
        order = .allocate(capacity: self.capacity)
    }

    deinit {
        applied.deallocate()
        appliedThen.deallocate()
        open.deallocate()
        openThen.deallocate()
        order.deallocate()
    }
}

/// Where the kernel writes one row: a column-major value block and the row's 25 + 25 window counts.
struct RowSink {
    /// Base of the column-major values.
    let values: UnsafeMutablePointer<Double>
    /// Rows of the table (the distance between a row's values in consecutive columns).
    let stride: Int
    let row: Int
    /// Column of `Feature(rawValue: 0)` (promise records put their own columns first).
    let firstColumn: Int
    /// The row's 25 attempt counts.
    let windowAttempts: UnsafeMutablePointer<Int32>
    /// The row's 25 right-party-contact counts.
    let windowContacts: UnsafeMutablePointer<Int32>

    @inline(__always)
    func set(_ feature: Feature, _ value: Double) {
        values[(firstColumn + feature.rawValue) * stride + row] = value
    }

    @inline(__always)
    func set(column: Int, _ value: Double) {
        values[column * stride + row] = value
    }
}

/// What the kernel hands back besides the written row (used by promise records).
struct KernelSummary {
    var pastDueMilli: Int64 = 0
    var disputedPastDueMilli: Int64 = 0
}

/// Computes one customer's snapshot features as of a date, from the index, in one pass over each of the
/// customer's date-sorted row lists, stopping at the first row dated on or after the as-of date.
struct SnapshotKernel {
    /// Keeps the index alive.
    let index: ExportIndex
    let view: IndexView
    let creditLimit: UnsafeMutablePointer<Double>
    let doNotCall: UnsafeMutablePointer<UInt8>
    let graceDays: Int32

    init(index: ExportIndex, creditLimit: Storage<Double>, doNotCall: Storage<UInt8>, graceDays: Int32) {
        self.index = index
        view = index.view
        self.creditLimit = creditLimit.pointer
        self.doNotCall = doNotCall.pointer
        self.graceDays = graceDays
    }

    /// Open balance (milli) of customer `c` as of `t`: invoices dated < t minus payments dated < t.
    /// Equals the sum of the kernel's per-invoice open amounts when positive (see `compute`).
    @inline(__always)
    func netBalance(customer c: Int, asOf t: Int32) -> Int64 {
        let ix = view
        var i = ix.invoiceOffsets[c]
        let i1 = ix.invoiceOffsets[c + 1]
        var invoiced: Int64 = 0
        while i < i1 && ix.invoiceDate[i] < t {
            invoiced &+= ix.invoiceAmount[i]
            i += 1
        }
        if invoiced == 0 { return 0 }
        let p0 = ix.paymentOffsets[c], p1 = ix.paymentOffsets[c + 1]
        let pK = ExportIndex.lowerBound(ix.paymentDate, p0, p1, t)
        return invoiced &- (ix.paymentCumulative[pK] &- ix.paymentCumulative[p0])
    }

    /// Applies unapplied credit (milli) to the open amounts `open[0 ..< n]` of the customer's invoices starting
    /// at position `i0`: non-disputed invoices first, each group oldest due date first (then invoice date, then
    /// position). Returns the credit left over.
    @inline(__always)
    func applyCredit(_ credit: Int64, open: UnsafeMutablePointer<Int64>, count n: Int, firstInvoice i0: Int,
                     scratch: KernelScratch) -> Int64 {
        let ix = view
        let order = scratch.order
        var m = 0
        for j in 0..<n where open[j] > 0 {
            order[m] = Int32(j)
            m += 1
        }
        if m == 0 { return credit }
        var slice = UnsafeMutableBufferPointer(start: order, count: m)
        @inline(__always) func before(_ a: Int32, _ b: Int32) -> Bool {
            let pa = i0 + Int(a), pb = i0 + Int(b)
            let da = ix.invoiceDisputed[pa], db = ix.invoiceDisputed[pb]
            if da != db { return da < db }
            let ua = ix.invoiceDue[pa], ub = ix.invoiceDue[pb]
            if ua != ub { return ua < ub }
            let ia = ix.invoiceDate[pa], ib = ix.invoiceDate[pb]
            if ia != ib { return ia < ib }
            return a < b
        }
        if m <= 32 {
            for k in 1..<max(1, m) {
                let value = slice[k]
                var position = k
                while position > 0 && before(value, slice[position - 1]) {
                    slice[position] = slice[position - 1]
                    position -= 1
                }
                slice[position] = value
            }
        } else {
            slice.sort(by: before)
        }
        var left = credit
        for k in 0..<m where left > 0 {
            let j = Int(slice[k])
            let used = min(left, open[j])
            open[j] -= used
            left -= used
        }
        return left
    }

    /// Writes customer `c`'s features as of `t` into `sink`.
    @discardableResult
    func compute(customer c: Int, asOf t: Int32, scratch: KernelScratch, into sink: RowSink) -> KernelSummary {
        let ix = view
        let t7 = t &- 7, t30 = t &- 30, t90 = t &- 90

        // Invoices dated before t (sorted by invoice date), and those dated before t − 30.
        let i0 = ix.invoiceOffsets[c], iEnd = ix.invoiceOffsets[c + 1]
        var i1 = i0
        while i1 < iEnd && ix.invoiceDate[i1] < t { i1 += 1 }
        let n = i1 - i0
        var nThen = 0
        while nThen < n && ix.invoiceDate[i0 + nThen] < t30 { nThen += 1 }
        let applied = scratch.applied, appliedThen = scratch.appliedThen
        applied.update(repeating: 0, count: n)
        appliedThen.update(repeating: 0, count: n)

        // Payments dated before t, in date order.
        var credit: Int64 = 0, creditThen: Int64 = 0
        var paymentCount = 0, lastPayment = Int32.min
        var count30 = 0, count90 = 0
        var amount30: Int64 = 0, amount90: Int64 = 0
        var paidCount = 0, lateCount = 0, lateSum = 0
        var recent0 = 0, recent1 = 0, recent2 = 0, recentCount = 0
        let p0 = ix.paymentOffsets[c], pEnd = ix.paymentOffsets[c + 1]
        var p = p0
        while p < pEnd {
            let day = ix.paymentDate[p]
            if day >= t { break }
            let amount = ix.paymentAmount[p]
            paymentCount += 1
            lastPayment = day
            if day >= t90 {
                count90 += 1
                amount90 &+= amount
                if day >= t30 {
                    count30 += 1
                    amount30 &+= amount
                }
            }
            let invoice = Int(ix.paymentInvoice[p])
            let j = invoice - i0
            if invoice >= 0 && j >= 0 && j < n {
                let before = applied[j]
                let after = before &+ amount
                applied[j] = after
                let invoiceAmount = ix.invoiceAmount[invoice]
                if before < invoiceAmount && after >= invoiceAmount {
                    // The payment that settles the invoice: its date is the invoice's paid date.
                    let late = Int(day) - Int(ix.invoiceDue[invoice])
                    paidCount += 1
                    lateSum += late
                    if late > 0 { lateCount += 1 }
                    recent0 = recent1
                    recent1 = recent2
                    recent2 = late
                    recentCount += 1
                }
                if day < t30 {
                    if j < nThen { appliedThen[j] &+= amount } else { creditThen &+= amount }
                }
            } else {
                credit &+= amount
                if day < t30 { creditThen &+= amount }
            }
            p += 1
        }

        // Open amount per invoice, then unapplied credit (on-account payments, overpayments) FIFO.
        let open = scratch.open
        var invoicedTotal: Int64 = 0, invoiced90: Int64 = 0
        var invoices90 = 0
        for j in 0..<n {
            let position = i0 + j
            let amount = ix.invoiceAmount[position]
            invoicedTotal &+= amount
            if ix.invoiceDate[position] >= t90 {
                invoices90 += 1
                invoiced90 &+= amount
            }
            var remaining = amount &- applied[j]
            if remaining < 0 {
                credit &+= -remaining
                remaining = 0
            }
            open[j] = remaining
        }
        if credit > 0 { credit = applyCredit(credit, open: open, count: n, firstInvoice: i0, scratch: scratch) }

        var openTotal: Int64 = 0, pastDue: Int64 = 0, current: Int64 = 0
        var bucket1: Int64 = 0, bucket2: Int64 = 0, bucket3: Int64 = 0, bucket4: Int64 = 0
        var disputedOpen: Int64 = 0, disputedPastDue: Int64 = 0
        var openCount = 0, pastDueCount = 0, disputedCount = 0, maxDaysPastDue = 0
        var weightedDays = 0.0
        var oldestOpen = Int32.max
        for j in 0..<n {
            let amount = open[j]
            if amount <= 0 { continue }
            let position = i0 + j
            openTotal &+= amount
            openCount += 1
            oldestOpen = min(oldestOpen, ix.invoiceDate[position])
            let disputed = ix.invoiceDisputed[position] != 0
            if disputed {
                disputedOpen &+= amount
                disputedCount += 1
            }
            let daysPastDue = Int(t) - Int(ix.invoiceDue[position])
            if daysPastDue <= 0 {
                current &+= amount
            } else {
                pastDue &+= amount
                pastDueCount += 1
                if disputed { disputedPastDue &+= amount }
                maxDaysPastDue = max(maxDaysPastDue, daysPastDue)
                weightedDays += Double(amount) * Double(daysPastDue)
                if daysPastDue <= 30 {
                    bucket1 &+= amount
                } else if daysPastDue <= 60 {
                    bucket2 &+= amount
                } else if daysPastDue <= 90 {
                    bucket3 &+= amount
                } else {
                    bucket4 &+= amount
                }
            }
        }

        // Past-due balance as of t − 30, from rows dated before t − 30 only.
        var pastDueThen: Int64 = 0
        if nThen > 0 {
            let openThen = scratch.openThen
            for j in 0..<nThen {
                var remaining = ix.invoiceAmount[i0 + j] &- appliedThen[j]
                if remaining < 0 {
                    creditThen &+= -remaining
                    remaining = 0
                }
                openThen[j] = remaining
            }
            if creditThen > 0 {
                _ = applyCredit(creditThen, open: openThen, count: nThen, firstInvoice: i0, scratch: scratch)
            }
            for j in 0..<nThen where openThen[j] > 0 && ix.invoiceDue[i0 + j] < t30 { pastDueThen &+= openThen[j] }
        }

        // Calls whose UTC day is before t, in time order.
        var attempts7 = 0, attempts30 = 0, attempts90 = 0, attemptsTotal = 0
        var rpc30 = 0, rpc90 = 0, rpcTotal = 0, refused90 = 0, disputes90 = 0
        var lastAttempt = Int32.min, lastContact = Int32.min
        let windowAttempts = sink.windowAttempts, windowContacts = sink.windowContacts
        windowAttempts.update(repeating: 0, count: CallWindows.count)
        windowContacts.update(repeating: 0, count: CallWindows.count)
        let refused = CallOutcome.refused.rawValue, dispute = CallOutcome.dispute.rawValue
        let rightParty = CallOutcome.rightParty.rawValue
        var q = ix.callOffsets[c]
        let qEnd = ix.callOffsets[c + 1]
        while q < qEnd {
            let day = ix.callDay[q]
            if day >= t { break }
            let outcome = ix.callOutcome[q]
            let contact = outcome >= rightParty
            attemptsTotal += 1
            lastAttempt = day
            if contact {
                rpcTotal += 1
                lastContact = day
            }
            if day >= t90 {
                attempts90 += 1
                if contact { rpc90 += 1 }
                if outcome == refused { refused90 += 1 }
                if outcome == dispute { disputes90 += 1 }
                if day >= t30 {
                    attempts30 += 1
                    if contact { rpc30 += 1 }
                    if day >= t7 { attempts7 += 1 }
                }
            }
            let window = Int(ix.callWindow[q])
            if window >= 0 {
                windowAttempts[window] += 1
                if contact { windowContacts[window] += 1 }
            }
            q += 1
        }

        // Promises created before t, in creation order.
        var made = 0, kept = 0, broken = 0, openPromises = 0
        var openPromiseAmount: Int64 = 0, openPromiseRemaining: Int64 = 0
        var notDue = false
        var earliestOpenDue = Int32.max, lastPromise = Int32.min
        var r = ix.promiseOffsets[c]
        let rEnd = ix.promiseOffsets[c + 1]
        while r < rEnd {
            let created = ix.promiseCreated[r]
            if created >= t { break }
            made += 1
            lastPromise = created
            let due = ix.promiseDue[r]
            if due &+ graceDays < t {
                // Resolved: its whole window (created … due + grace) lies before t.
                if ix.promiseKept(r, customer: c, graceDays: graceDays) { kept += 1 } else { broken += 1 }
            } else {
                openPromises += 1
                let amount = ix.promiseAmount[r]
                openPromiseAmount &+= amount
                let paid = ix.paidBetween(customer: c, from: created, through: t &- 1)
                openPromiseRemaining &+= max(0, amount &- paid)
                if due >= t { notDue = true }
                earliestOpenDue = min(earliestOpenDue, due)
            }
            r += 1
        }

        // Derived values and fills.
        let tenure = n > 0 ? Double(Int(t) - Int(ix.invoiceDate[i0])) : 0
        func daysSince(_ day: Int32) -> Double { day == Int32.min ? tenure : Double(Int(t) - Int(day)) }
        func ratio(_ numerator: Double, _ denominator: Double) -> Double { denominator > 0 ? numerator / denominator : 0 }
        let units = Money.units
        let openUnits = units(openTotal)
        let pastDueUnits = units(pastDue)
        let averageInvoice = n > 0 ? units(invoicedTotal) / Double(n) : 0
        let averageLate = paidCount > 0 ? Double(lateSum) / Double(paidCount) : 0
        let recentLate: Double
        switch recentCount {
        case 0: recentLate = 0
        case 1: recentLate = Double(recent2)
        case 2: recentLate = Double(recent1 + recent2) / 2
        default: recentLate = Double(recent0 + recent1 + recent2) / 3
        }
        let openD = Double(openTotal)
        let limit = creditLimit[c]
        let validLimit = limit.isFinite && limit > 0 ? limit : 0

        sink.set(.openBalance, openUnits)
        sink.set(.pastDueBalance, pastDueUnits)
        sink.set(.agingCurrent, units(current))
        sink.set(.aging1To30, units(bucket1))
        sink.set(.aging31To60, units(bucket2))
        sink.set(.aging61To90, units(bucket3))
        sink.set(.aging91Plus, units(bucket4))
        sink.set(.shareCurrent, ratio(Double(current), openD))
        sink.set(.share1To30, ratio(Double(bucket1), openD))
        sink.set(.share31To60, ratio(Double(bucket2), openD))
        sink.set(.share61To90, ratio(Double(bucket3), openD))
        sink.set(.share91Plus, ratio(Double(bucket4), openD))
        sink.set(.pastDueShare, ratio(Double(pastDue), openD))
        sink.set(.maxDaysPastDue, Double(maxDaysPastDue))
        sink.set(.balanceWeightedDaysPastDue, ratio(weightedDays, Double(pastDue)))
        sink.set(.openInvoiceCount, Double(openCount))
        sink.set(.pastDueInvoiceCount, Double(pastDueCount))
        sink.set(.invoiceCount, Double(n))
        sink.set(.oldestOpenInvoiceAge, oldestOpen == Int32.max ? 0 : Double(Int(t) - Int(oldestOpen)))
        sink.set(.unappliedCredit, units(credit))
        sink.set(.invoicesLast90d, Double(invoices90))
        sink.set(.invoicedAmountLast90d, units(invoiced90))
        sink.set(.averageInvoiceAmount, averageInvoice)
        sink.set(.openBalanceToAverageInvoice, n > 0 ? ratio(openD * Double(n), Double(invoicedTotal)) : 0)
        sink.set(.pastDueBalance30dAgo, units(pastDueThen))
        let largerPastDue = max(pastDue, pastDueThen)
        sink.set(.pastDueChange30d, largerPastDue > 0 ? Double(pastDue &- pastDueThen) / Double(largerPastDue) : 0)

        sink.set(.paidInvoiceCount, Double(paidCount))
        sink.set(.averageDaysLate, averageLate)
        sink.set(.sharePaidLate, paidCount > 0 ? Double(lateCount) / Double(paidCount) : 0)
        sink.set(.recentAverageDaysLate, recentLate)
        sink.set(.daysLateTrend, recentLate - averageLate)
        sink.set(.paymentsCount30d, Double(count30))
        sink.set(.paymentAmount30d, units(amount30))
        sink.set(.paymentsCount90d, Double(count90))
        sink.set(.paymentAmount90d, units(amount90))
        let sinceLastPayment = daysSince(lastPayment)
        sink.set(.daysSinceLastPayment, sinceLastPayment)
        sink.set(.hasPaidBefore, paymentCount > 0 ? 1 : 0)

        sink.set(.disputedOpenBalance, units(disputedOpen))
        sink.set(.disputedPastDueBalance, units(disputedPastDue))
        sink.set(.disputedOpenInvoiceCount, Double(disputedCount))
        sink.set(.hasDispute, disputedOpen > 0 ? 1 : 0)
        sink.set(.disputeCalls90d, Double(disputes90))

        sink.set(.attempts7d, Double(attempts7))
        sink.set(.attempts30d, Double(attempts30))
        sink.set(.attempts90d, Double(attempts90))
        sink.set(.attemptsTotal, Double(attemptsTotal))
        sink.set(.rpc30d, Double(rpc30))
        sink.set(.rpc90d, Double(rpc90))
        sink.set(.rpcTotal, Double(rpcTotal))
        sink.set(.rpcRate30d, ratio(Double(rpc30), Double(attempts30)))
        sink.set(.rpcRate90d, ratio(Double(rpc90), Double(attempts90)))
        sink.set(.rpcRateTotal, ratio(Double(rpcTotal), Double(attemptsTotal)))
        sink.set(.daysSinceLastAttempt, daysSince(lastAttempt))
        sink.set(.daysSinceLastRPC, daysSince(lastContact))
        sink.set(.refused90d, Double(refused90))

        sink.set(.promisesMade, Double(made))
        sink.set(.promisesKept, Double(kept))
        sink.set(.promisesBroken, Double(broken))
        sink.set(.promisesOpen, Double(openPromises))
        sink.set(.promiseKeptRatio, Double(kept + 1) / Double(kept + broken + 2))
        sink.set(.openPromiseAmount, units(openPromiseAmount))
        sink.set(.openPromiseRemaining, units(openPromiseRemaining))
        sink.set(.hasOpenPromise, openPromises > 0 ? 1 : 0)
        sink.set(.openPromiseNotDue, notDue ? 1 : 0)
        sink.set(.daysToOpenPromiseDate, openPromises > 0 ? Double(Int(earliestOpenDue) - Int(t)) : 0)
        sink.set(.daysSinceLastPromise, daysSince(lastPromise))

        sink.set(.tenureDays, tenure)
        sink.set(.creditLimit, validLimit)
        sink.set(.creditUtilisation, validLimit > 0 ? openUnits / validLimit : 0)
        sink.set(.doNotCall, doNotCall[c] != 0 ? 1 : 0)

        sink.set(.log1pOpenBalance, Foundation.log1p(openUnits))
        sink.set(.log1pPastDueBalance, Foundation.log1p(pastDueUnits))
        sink.set(.log1pMaxDaysPastDue, Foundation.log1p(Double(maxDaysPastDue)))
        sink.set(.log1pDaysSinceLastPayment, Foundation.log1p(max(0, sinceLastPayment)))
        sink.set(.log1pPaymentAmount90d, Foundation.log1p(units(amount90)))
        sink.set(.log1pAverageInvoiceAmount, Foundation.log1p(averageInvoice))

        return KernelSummary(pastDueMilli: pastDue, disputedPastDueMilli: disputedPastDue)
    }
}

/// Collects up to `blockRows` consecutive rows column-major in a small cache-resident block, then copies each
/// column's run into the (large, column-major) table with one contiguous copy: the kernel's 75 scattered
/// writes per row stay in L1/L2 and the table is written in long sequential runs.
final class BlockWriter {
    static let blockRows = 64
    let columns: Int
    let firstColumn: Int
    let staging: UnsafeMutablePointer<Double>
    let table: UnsafeMutablePointer<Double>
    let tableRows: Int
    /// First table row of the current block, and rows staged so far.
    private var start = 0
    private var staged = 0

    init(columns: Int, firstColumn: Int, table: UnsafeMutablePointer<Double>, tableRows: Int) {
        self.columns = columns
        self.firstColumn = firstColumn
        self.table = table
        self.tableRows = tableRows
        staging = .allocate(capacity: columns * Self.blockRows)
    }

    deinit { staging.deallocate() }

    /// The sink for table row `row` (rows must come in increasing order, consecutive within a chunk).
    @inline(__always)
    func sink(row: Int, windowAttempts: UnsafeMutablePointer<Int32>, windowContacts: UnsafeMutablePointer<Int32>) -> RowSink {
        if staged == Self.blockRows || (staged > 0 && start + staged != row) { flush() }
        if staged == 0 { start = row }
        let sink = RowSink(values: staging, stride: Self.blockRows, row: staged, firstColumn: firstColumn,
                           windowAttempts: windowAttempts, windowContacts: windowContacts)
        staged += 1
        return sink
    }

    /// Copies the staged rows into the table.
    func flush() {
        guard staged > 0 else { return }
        for j in 0..<columns {
            (table + j * tableRows + start).update(from: staging + j * Self.blockRows, count: staged)
        }
        staged = 0
    }
}
