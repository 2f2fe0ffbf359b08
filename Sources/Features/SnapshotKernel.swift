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
    ///
    /// Kept out of line: it runs only for customers with unapplied credit, and inlined twice it makes the steps of
    /// `compute` so large that the Swift inliner no longer honours their `@inline(__always)` (it does so only for
    /// callees of at most 64 blocks once the caller has 64).
    @inline(never)
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
    ///
    /// One pass over each of the customer's row lists (payments, invoices, calls, promises), each step tallying one
    /// group of features. Each group's columns are written as soon as its tally is complete, so few tallies stay
    /// live across the later loops (they would not fit in registers).
    @discardableResult
    func compute(customer c: Int, asOf t: Int32, scratch: KernelScratch, into sink: RowSink) -> KernelSummary {
        let account = span(customer: c, asOf: t)
        let payments = scanPayments(account, scratch: scratch)
        writePaymentBehaviour(account, payments, into: sink)
        let invoices = settleInvoices(account, onAccount: payments.onAccount, scratch: scratch)
        let aging = ageOpenInvoices(account, scratch: scratch)
        let pastDueThen = pastDueBalanceThen(account, onAccount: payments.onAccountThen, scratch: scratch)
        writeBalances(account, aging, invoices, pastDueThen: pastDueThen, into: sink)
        writeCustomer(account, aging, into: sink)
        let calls = scanCalls(account, into: sink)
        writeCalls(account, calls, into: sink)
        writeDisputes(aging, calls, into: sink)
        let promises = scanPromises(account)
        writePromises(account, promises, into: sink)
        writeLog1pColumns(account, aging, invoices, payments, into: sink)
        return KernelSummary(pastDueMilli: aging.pastDue, disputedPastDueMilli: aging.disputedPastDue)
    }
}

/// One customer's invoices dated before the as-of date with their open amounts after payments and credit.
struct SettledInvoices {
    /// Index position of the customer's first invoice, and the number of invoices dated before the as-of date.
    let first: Int, count: Int
}

extension SnapshotKernel {
    /// Settles customer `c`'s invoices as of `t` exactly as `compute` does (applied payments, then unapplied credit
    /// FIFO, undisputed first) and leaves each invoice's open amount (milli) in `scratch.open[0 ..< count]`.
    func settle(customer c: Int, asOf t: Int32, scratch: KernelScratch) -> SettledInvoices {
        let account = span(customer: c, asOf: t)
        let payments = scanPayments(account, scratch: scratch)
        _ = settleInvoices(account, onAccount: payments.onAccount, scratch: scratch)
        return SettledInvoices(first: account.i0, count: account.n)
    }
}

// MARK: - Tallying one customer's rows (the steps of `compute`)

extension SnapshotKernel {
    /// Finds customer `c`'s invoices dated before `t` (sorted by invoice date), and those dated before t − 30.
    @inline(__always)
    fileprivate func span(customer c: Int, asOf t: Int32) -> AccountSpan {
        let ix = view
        let i0 = ix.invoiceOffsets[c], iEnd = ix.invoiceOffsets[c + 1]
        var i1 = i0
        while i1 < iEnd && ix.invoiceDate[i1] < t { i1 += 1 }
        let n = i1 - i0
        let t30 = t &- 30
        var nThen = 0
        while nThen < n && ix.invoiceDate[i0 + nThen] < t30 { nThen += 1 }
        let tenure = n > 0 ? Double(Int(t) - Int(ix.invoiceDate[i0])) : 0
        return AccountSpan(customer: c, t: t, t7: t &- 7, t30: t30, t90: t &- 90, i0: i0, n: n, nThen: nThen,
                           tenure: tenure)
    }

    /// Tallies the payments dated before t, in date order, and adds each one paying an invoice in the span to that
    /// invoice's applied amount (`scratch.applied`, and `scratch.appliedThen` for those dated before t − 30).
    @inline(__always)
    fileprivate func scanPayments(_ account: AccountSpan, scratch: KernelScratch) -> PaymentTally {
        let ix = view
        let t = account.t, t30 = account.t30, t90 = account.t90, i0 = account.i0, n = account.n
        let nThen = account.nThen
        let applied = scratch.applied, appliedThen = scratch.appliedThen
        applied.update(repeating: 0, count: n)
        appliedThen.update(repeating: 0, count: n)
        var tally = PaymentTally()
        var p = ix.paymentOffsets[account.customer]
        let pEnd = ix.paymentOffsets[account.customer + 1]
        while p < pEnd {
            let day = ix.paymentDate[p]
            if day >= t { break }
            let amount = ix.paymentAmount[p]
            tally.count += 1
            tally.lastPayment = day
            if day >= t90 {
                tally.count90 += 1
                tally.amount90 &+= amount
                if day >= t30 {
                    tally.count30 += 1
                    tally.amount30 &+= amount
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
                    tally.settled(daysLate: Int(day) - Int(ix.invoiceDue[invoice]))
                }
                if day < t30 {
                    if j < nThen { appliedThen[j] &+= amount } else { tally.onAccountThen &+= amount }
                }
            } else {
                tally.onAccount &+= amount
                if day < t30 { tally.onAccountThen &+= amount }
            }
            p += 1
        }
        return tally
    }

    /// Sets each invoice's open amount (`scratch.open`) from its applied payments, then applies the unapplied
    /// credit (on-account payments, overpayments) to the open invoices; tallies the amounts invoiced.
    @inline(__always)
    fileprivate func settleInvoices(_ account: AccountSpan, onAccount: Int64, scratch: KernelScratch) -> InvoiceTally {
        let ix = view
        let i0 = account.i0, n = account.n, t90 = account.t90
        let applied = scratch.applied, open = scratch.open
        var tally = InvoiceTally()
        var credit = onAccount
        for j in 0..<n {
            let position = i0 + j
            let amount = ix.invoiceAmount[position]
            tally.invoicedTotal &+= amount
            if ix.invoiceDate[position] >= t90 {
                tally.invoices90 += 1
                tally.invoiced90 &+= amount
            }
            var remaining = amount &- applied[j]
            if remaining < 0 {
                credit &+= -remaining
                remaining = 0
            }
            open[j] = remaining
        }
        if credit > 0 { credit = applyCredit(credit, open: open, count: n, firstInvoice: i0, scratch: scratch) }
        tally.unappliedCredit = credit
        return tally
    }

    /// Tallies the open invoices (`scratch.open`) by days past due at t: balances, aging buckets and disputes.
    @inline(__always)
    fileprivate func ageOpenInvoices(_ account: AccountSpan, scratch: KernelScratch) -> AgingTally {
        let ix = view
        let t = account.t, i0 = account.i0
        let open = scratch.open
        var tally = AgingTally()
        for j in 0..<account.n {
            let amount = open[j]
            if amount <= 0 { continue }
            let position = i0 + j
            tally.openTotal &+= amount
            tally.openCount += 1
            tally.oldestOpen = min(tally.oldestOpen, ix.invoiceDate[position])
            let disputed = ix.invoiceDisputed[position] != 0
            if disputed {
                tally.disputedOpen &+= amount
                tally.disputedCount += 1
            }
            let daysPastDue = Int(t) - Int(ix.invoiceDue[position])
            if daysPastDue <= 0 {
                tally.current &+= amount
            } else {
                tally.pastDue &+= amount
                tally.pastDueCount += 1
                if disputed { tally.disputedPastDue &+= amount }
                tally.maxDaysPastDue = max(tally.maxDaysPastDue, daysPastDue)
                tally.weightedDays += Double(amount) * Double(daysPastDue)
                if daysPastDue <= 30 {
                    tally.bucket1 &+= amount
                } else if daysPastDue <= 60 {
                    tally.bucket2 &+= amount
                } else if daysPastDue <= 90 {
                    tally.bucket3 &+= amount
                } else {
                    tally.bucket4 &+= amount
                }
            }
        }
        return tally
    }

    /// The past-due balance (milli) as of t − 30, from rows dated before t − 30 only (`scratch.appliedThen` and the
    /// on-account credit of that date).
    @inline(__always)
    fileprivate func pastDueBalanceThen(_ account: AccountSpan, onAccount: Int64, scratch: KernelScratch) -> Int64 {
        let nThen = account.nThen
        guard nThen > 0 else { return 0 }
        let ix = view
        let i0 = account.i0, t30 = account.t30
        let appliedThen = scratch.appliedThen, openThen = scratch.openThen
        var credit = onAccount
        for j in 0..<nThen {
            var remaining = ix.invoiceAmount[i0 + j] &- appliedThen[j]
            if remaining < 0 {
                credit &+= -remaining
                remaining = 0
            }
            openThen[j] = remaining
        }
        if credit > 0 {
            _ = applyCredit(credit, open: openThen, count: nThen, firstInvoice: i0, scratch: scratch)
        }
        var pastDueThen: Int64 = 0
        for j in 0..<nThen where openThen[j] > 0 && ix.invoiceDue[i0 + j] < t30 { pastDueThen &+= openThen[j] }
        return pastDueThen
    }

    /// Tallies the calls whose UTC day is before t, in time order, and counts them per local window into `sink`.
    @inline(__always)
    fileprivate func scanCalls(_ account: AccountSpan, into sink: RowSink) -> CallTally {
        let ix = view
        let t = account.t, t7 = account.t7, t30 = account.t30, t90 = account.t90
        let windowAttempts = sink.windowAttempts, windowContacts = sink.windowContacts
        windowAttempts.update(repeating: 0, count: CallWindows.count)
        windowContacts.update(repeating: 0, count: CallWindows.count)
        let refused = CallOutcome.refused.rawValue, dispute = CallOutcome.dispute.rawValue
        let rightParty = CallOutcome.rightParty.rawValue
        var tally = CallTally()
        var q = ix.callOffsets[account.customer]
        let qEnd = ix.callOffsets[account.customer + 1]
        while q < qEnd {
            let day = ix.callDay[q]
            if day >= t { break }
            let outcome = ix.callOutcome[q]
            let contact = outcome >= rightParty
            tally.attemptsTotal += 1
            tally.lastAttempt = day
            if contact {
                tally.rpcTotal += 1
                tally.lastContact = day
            }
            if day >= t90 {
                tally.attempts90 += 1
                if contact { tally.rpc90 += 1 }
                if outcome == refused { tally.refused90 += 1 }
                if outcome == dispute { tally.disputes90 += 1 }
                if day >= t30 {
                    tally.attempts30 += 1
                    if contact { tally.rpc30 += 1 }
                    if day >= t7 { tally.attempts7 += 1 }
                }
            }
            let window = Int(ix.callWindow[q])
            if window >= 0 {
                windowAttempts[window] += 1
                if contact { windowContacts[window] += 1 }
            }
            q += 1
        }
        return tally
    }

    /// Tallies the promises created before t, in creation order: resolved ones as kept or broken, the rest as open.
    @inline(__always)
    fileprivate func scanPromises(_ account: AccountSpan) -> PromiseTally {
        let ix = view
        let c = account.customer, t = account.t
        var tally = PromiseTally()
        var r = ix.promiseOffsets[c]
        let rEnd = ix.promiseOffsets[c + 1]
        while r < rEnd {
            let created = ix.promiseCreated[r]
            if created >= t { break }
            tally.made += 1
            tally.lastPromise = created
            let due = ix.promiseDue[r]
            if due &+ graceDays < t {
                // Resolved: its whole window (created … due + grace) lies before t.
                if ix.promiseKept(r, customer: c, graceDays: graceDays) { tally.kept += 1 } else { tally.broken += 1 }
            } else {
                tally.open += 1
                let amount = ix.promiseAmount[r]
                tally.openAmount &+= amount
                let paid = ix.paidBetween(customer: c, from: created, through: t &- 1)
                tally.openRemaining &+= max(0, amount &- paid)
                if due >= t { tally.notDue = true }
                tally.earliestOpenDue = min(tally.earliestOpenDue, due)
            }
            r += 1
        }
        return tally
    }
}

// MARK: - Writing the row (fills as in docs/FEATURES.md)

extension SnapshotKernel {
    /// Writes the balance and aging columns (`openBalance` … `pastDueChange30d`).
    @inline(__always)
    fileprivate func writeBalances(_ account: AccountSpan, _ aging: AgingTally, _ invoices: InvoiceTally,
                                   pastDueThen: Int64, into sink: RowSink) {
        let units = Money.units, ratio = SnapshotKernel.ratio
        let n = account.n, t = account.t
        let openD = Double(aging.openTotal), pastDue = aging.pastDue
        sink.set(.openBalance, aging.openUnits)
        sink.set(.pastDueBalance, aging.pastDueUnits)
        sink.set(.agingCurrent, units(aging.current))
        sink.set(.aging1To30, units(aging.bucket1))
        sink.set(.aging31To60, units(aging.bucket2))
        sink.set(.aging61To90, units(aging.bucket3))
        sink.set(.aging91Plus, units(aging.bucket4))
        sink.set(.shareCurrent, ratio(Double(aging.current), openD))
        sink.set(.share1To30, ratio(Double(aging.bucket1), openD))
        sink.set(.share31To60, ratio(Double(aging.bucket2), openD))
        sink.set(.share61To90, ratio(Double(aging.bucket3), openD))
        sink.set(.share91Plus, ratio(Double(aging.bucket4), openD))
        sink.set(.pastDueShare, ratio(Double(pastDue), openD))
        sink.set(.maxDaysPastDue, Double(aging.maxDaysPastDue))
        sink.set(.balanceWeightedDaysPastDue, ratio(aging.weightedDays, Double(pastDue)))
        sink.set(.openInvoiceCount, Double(aging.openCount))
        sink.set(.pastDueInvoiceCount, Double(aging.pastDueCount))
        sink.set(.invoiceCount, Double(n))
        sink.set(.oldestOpenInvoiceAge, aging.oldestOpen == Int32.max ? 0 : Double(Int(t) - Int(aging.oldestOpen)))
        sink.set(.unappliedCredit, units(invoices.unappliedCredit))
        sink.set(.invoicesLast90d, Double(invoices.invoices90))
        sink.set(.invoicedAmountLast90d, units(invoices.invoiced90))
        sink.set(.averageInvoiceAmount, invoices.averageAmount(count: n))
        sink.set(.openBalanceToAverageInvoice, n > 0 ? ratio(openD * Double(n), Double(invoices.invoicedTotal)) : 0)
        sink.set(.pastDueBalance30dAgo, units(pastDueThen))
        let largerPastDue = max(pastDue, pastDueThen)
        sink.set(.pastDueChange30d, largerPastDue > 0 ? Double(pastDue &- pastDueThen) / Double(largerPastDue) : 0)
    }

    /// Writes the payment behaviour columns (`paidInvoiceCount` … `hasPaidBefore`).
    @inline(__always)
    fileprivate func writePaymentBehaviour(_ account: AccountSpan, _ payments: PaymentTally, into sink: RowSink) {
        let units = Money.units
        let paidCount = payments.paidCount
        let averageLate = payments.averageDaysLate, recentLate = payments.recentAverageDaysLate
        sink.set(.paidInvoiceCount, Double(paidCount))
        sink.set(.averageDaysLate, averageLate)
        sink.set(.sharePaidLate, paidCount > 0 ? Double(payments.lateCount) / Double(paidCount) : 0)
        sink.set(.recentAverageDaysLate, recentLate)
        sink.set(.daysLateTrend, recentLate - averageLate)
        sink.set(.paymentsCount30d, Double(payments.count30))
        sink.set(.paymentAmount30d, units(payments.amount30))
        sink.set(.paymentsCount90d, Double(payments.count90))
        sink.set(.paymentAmount90d, units(payments.amount90))
        sink.set(.daysSinceLastPayment, account.daysSince(payments.lastPayment))
        sink.set(.hasPaidBefore, payments.count > 0 ? 1 : 0)
    }

    /// Writes the dispute columns (`disputedOpenBalance` … `disputeCalls90d`).
    @inline(__always)
    fileprivate func writeDisputes(_ aging: AgingTally, _ calls: CallTally, into sink: RowSink) {
        sink.set(.disputedOpenBalance, Money.units(aging.disputedOpen))
        sink.set(.disputedPastDueBalance, Money.units(aging.disputedPastDue))
        sink.set(.disputedOpenInvoiceCount, Double(aging.disputedCount))
        sink.set(.hasDispute, aging.disputedOpen > 0 ? 1 : 0)
        sink.set(.disputeCalls90d, Double(calls.disputes90))
    }

    /// Writes the call attempt and right-party contact columns (`attempts7d` … `refused90d`).
    @inline(__always)
    fileprivate func writeCalls(_ account: AccountSpan, _ calls: CallTally, into sink: RowSink) {
        let ratio = SnapshotKernel.ratio
        sink.set(.attempts7d, Double(calls.attempts7))
        sink.set(.attempts30d, Double(calls.attempts30))
        sink.set(.attempts90d, Double(calls.attempts90))
        sink.set(.attemptsTotal, Double(calls.attemptsTotal))
        sink.set(.rpc30d, Double(calls.rpc30))
        sink.set(.rpc90d, Double(calls.rpc90))
        sink.set(.rpcTotal, Double(calls.rpcTotal))
        sink.set(.rpcRate30d, ratio(Double(calls.rpc30), Double(calls.attempts30)))
        sink.set(.rpcRate90d, ratio(Double(calls.rpc90), Double(calls.attempts90)))
        sink.set(.rpcRateTotal, ratio(Double(calls.rpcTotal), Double(calls.attemptsTotal)))
        sink.set(.daysSinceLastAttempt, account.daysSince(calls.lastAttempt))
        sink.set(.daysSinceLastRPC, account.daysSince(calls.lastContact))
        sink.set(.refused90d, Double(calls.refused90))
    }

    /// Writes the promise-to-pay columns (`promisesMade` … `daysSinceLastPromise`).
    @inline(__always)
    fileprivate func writePromises(_ account: AccountSpan, _ promises: PromiseTally, into sink: RowSink) {
        let open = promises.open, kept = promises.kept
        sink.set(.promisesMade, Double(promises.made))
        sink.set(.promisesKept, Double(kept))
        sink.set(.promisesBroken, Double(promises.broken))
        sink.set(.promisesOpen, Double(open))
        sink.set(.promiseKeptRatio, Double(kept + 1) / Double(kept + promises.broken + 2))
        sink.set(.openPromiseAmount, Money.units(promises.openAmount))
        sink.set(.openPromiseRemaining, Money.units(promises.openRemaining))
        sink.set(.hasOpenPromise, open > 0 ? 1 : 0)
        sink.set(.openPromiseNotDue, promises.notDue ? 1 : 0)
        sink.set(.daysToOpenPromiseDate, open > 0 ? Double(Int(promises.earliestOpenDue) - Int(account.t)) : 0)
        sink.set(.daysSinceLastPromise, account.daysSince(promises.lastPromise))
    }

    /// Writes the customer columns (`tenureDays` … `doNotCall`).
    @inline(__always)
    fileprivate func writeCustomer(_ account: AccountSpan, _ aging: AgingTally, into sink: RowSink) {
        let c = account.customer
        let limit = creditLimit[c]
        let validLimit = limit.isFinite && limit > 0 ? limit : 0
        sink.set(.tenureDays, account.tenure)
        sink.set(.creditLimit, validLimit)
        sink.set(.creditUtilisation, validLimit > 0 ? aging.openUnits / validLimit : 0)
        sink.set(.doNotCall, doNotCall[c] != 0 ? 1 : 0)
    }

    /// Writes the log1p transforms of the heavy-tailed columns (`log1pOpenBalance` … `log1pAverageInvoiceAmount`).
    @inline(__always)
    fileprivate func writeLog1pColumns(_ account: AccountSpan, _ aging: AgingTally, _ invoices: InvoiceTally,
                                       _ payments: PaymentTally, into sink: RowSink) {
        sink.set(.log1pOpenBalance, Foundation.log1p(aging.openUnits))
        sink.set(.log1pPastDueBalance, Foundation.log1p(aging.pastDueUnits))
        sink.set(.log1pMaxDaysPastDue, Foundation.log1p(Double(aging.maxDaysPastDue)))
        sink.set(.log1pDaysSinceLastPayment, Foundation.log1p(max(0, account.daysSince(payments.lastPayment))))
        sink.set(.log1pPaymentAmount90d, Foundation.log1p(Money.units(payments.amount90)))
        sink.set(.log1pAverageInvoiceAmount, Foundation.log1p(invoices.averageAmount(count: account.n)))
    }

    /// `numerator / denominator`, or 0 when the denominator is not positive.
    @inline(__always)
    fileprivate static func ratio(_ numerator: Double, _ denominator: Double) -> Double {
        denominator > 0 ? numerator / denominator : 0
    }
}

/// The context of one `SnapshotKernel.compute` call: the customer, the as-of day and its look-back days, and
/// the customer's invoices dated before the as-of day.
private struct AccountSpan {
    let customer: Int
    /// The as-of day, and 7, 30 and 90 days before it.
    let t: Int32, t7: Int32, t30: Int32, t90: Int32
    /// Index position of the customer's first invoice; invoices dated before t; those dated before t − 30.
    let i0: Int, n: Int, nThen: Int
    /// Days since the first invoice (0 without invoices).
    let tenure: Double

    /// Days from `day` to t, or the tenure when there is no such day (`Int32.min`).
    @inline(__always)
    func daysSince(_ day: Int32) -> Double { day == Int32.min ? tenure : Double(Int(t) - Int(day)) }
}

/// What `scanPayments` counts: payments, lateness of the invoices they settle, and unapplied (on-account) amounts.
private struct PaymentTally {
    var count = 0
    var lastPayment = Int32.min
    var count30 = 0, count90 = 0
    var amount30: Int64 = 0, amount90: Int64 = 0
    /// Payments not applied to an invoice of the span, as of t and as of t − 30 (milli).
    var onAccount: Int64 = 0, onAccountThen: Int64 = 0
    /// Settled invoices: how many, how many late, total days late, and the last three days late (oldest first).
    var paidCount = 0, lateCount = 0, lateSum = 0
    var recent0 = 0, recent1 = 0, recent2 = 0, recentCount = 0

    /// Counts an invoice settled `daysLate` days after its due date (negative when early).
    @inline(__always)
    mutating func settled(daysLate late: Int) {
        paidCount += 1
        lateSum += late
        if late > 0 { lateCount += 1 }
        recent0 = recent1
        recent1 = recent2
        recent2 = late
        recentCount += 1
    }

    /// Mean days late over the settled invoices (0 when none).
    var averageDaysLate: Double { paidCount > 0 ? Double(lateSum) / Double(paidCount) : 0 }

    /// Mean days late over the last three settled invoices (or fewer; 0 when none).
    var recentAverageDaysLate: Double {
        switch recentCount {
        case 0: return 0
        case 1: return Double(recent2)
        case 2: return Double(recent1 + recent2) / 2
        default: return Double(recent0 + recent1 + recent2) / 3
        }
    }
}

/// What `settleInvoices` counts: the amounts invoiced and the credit left after settling.
private struct InvoiceTally {
    var invoicedTotal: Int64 = 0, invoiced90: Int64 = 0
    var invoices90 = 0
    /// Credit left after paying off every open invoice (milli).
    var unappliedCredit: Int64 = 0

    /// Mean invoice amount (currency units) over `count` invoices (0 when none).
    @inline(__always)
    func averageAmount(count n: Int) -> Double { n > 0 ? Money.units(invoicedTotal) / Double(n) : 0 }
}

/// What `ageOpenInvoices` counts: open and past-due balances (milli), aging buckets and disputes.
private struct AgingTally {
    var openTotal: Int64 = 0, pastDue: Int64 = 0, current: Int64 = 0
    /// Past due 1–30, 31–60, 61–90 and 91+ days.
    var bucket1: Int64 = 0, bucket2: Int64 = 0, bucket3: Int64 = 0, bucket4: Int64 = 0
    var disputedOpen: Int64 = 0, disputedPastDue: Int64 = 0
    var openCount = 0, pastDueCount = 0, disputedCount = 0, maxDaysPastDue = 0
    /// Sum of amount × days past due over past-due invoices.
    var weightedDays = 0.0
    /// Invoice date of the oldest open invoice (`Int32.max` when none).
    var oldestOpen = Int32.max

    var openUnits: Double { Money.units(openTotal) }
    var pastDueUnits: Double { Money.units(pastDue) }
}

/// What `scanCalls` counts: attempts, right-party contacts, refusals and dispute calls per look-back period.
private struct CallTally {
    var attempts7 = 0, attempts30 = 0, attempts90 = 0, attemptsTotal = 0
    var rpc30 = 0, rpc90 = 0, rpcTotal = 0, refused90 = 0, disputes90 = 0
    /// UTC days of the last attempt and the last contact (`Int32.min` when none).
    var lastAttempt = Int32.min, lastContact = Int32.min
}

/// What `scanPromises` counts: promises made, kept, broken and still open.
private struct PromiseTally {
    var made = 0, kept = 0, broken = 0, open = 0
    /// Amount of the open promises and what of it is not yet paid (milli).
    var openAmount: Int64 = 0, openRemaining: Int64 = 0
    /// Whether an open promise is due on or after t.
    var notDue = false
    var earliestOpenDue = Int32.max, lastPromise = Int32.min
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

    /// Staged column `storing[k]` goes to table column `k` (nil: column `j` to column `j`, every column stored).
    let storing: [Int]?

    init(columns: Int, firstColumn: Int, table: UnsafeMutablePointer<Double>, tableRows: Int, storing: [Int]? = nil) {
        self.columns = columns
        self.firstColumn = firstColumn
        self.table = table
        self.tableRows = tableRows
        self.storing = storing
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
        if let storing {
            for (k, j) in storing.enumerated() {
                (table + k * tableRows + start).update(from: staging + j * Self.blockRows, count: staged)
            }
        } else {
            for j in 0..<columns {
                (table + j * tableRows + start).update(from: staging + j * Self.blockRows, count: staged)
            }
        }
        staged = 0
    }
}
