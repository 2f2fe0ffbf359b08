import CallGrid
import CivilTime
import Features
import Parallelism
import Receivables

/// The sums every KPI is a ratio of, per (period, group): exact integers (amounts in thousandths of the currency
/// unit), so the result does not depend on the order customers are visited in or on the number of cores.
enum Field {
    static let beginning = 0, ending = 1, endingCurrent = 2, sales = 3, salesInvoices = 4
    static let attempts = 5, contacts = 6, promises = 7, resolvedPromises = 8, kept = 9, followed = 10
    static let invoicesResolved = 11, amountResolved = 12, weightedDays = 13, customers = 14
    static let rollBase = 15 // + from bucket (5)
    static let rollTo = 20 // + from × 5 + to (25)
    /// Non-zero when Σ amount × days late left the exact Int64 range (the KPI is then null, never wrapped).
    static let weightedOverflow = 45
    /// Right-party contacts whose payment window closes before the data cutoff (`KPIOptions.observedBefore`).
    static let contactsObserved = 46
    static let count = 47
}

/// The one pass over the customers: each customer's invoices and payments are replayed in date order (payments
/// applied to their invoice, on-account payments and overpayments FIFO to the oldest open invoice), with the
/// balances read at every period boundary and month start; then its calls and promises are counted.
struct KPIPass {
    let history: ExportHistory
    let customerZone: [Int32]
    let groupOf: [Int32]
    let groupCount: Int
    let boundaries: [Int32]
    /// First days of months in [from, to]; transition k runs from `monthStarts[k]` to `monthStarts[k + 1]`.
    let monthStarts: [Int32]
    let options: KPIOptions

    var from: Int32 { boundaries[0] }
    var to: Int32 { boundaries[boundaries.count - 1] }
    var periodCount: Int { boundaries.count - 1 }

    /// Sums per (period, group, field), period-major.
    func run() -> [Int64] {
        let size = periodCount * groupCount * Field.count
        let customers = history.customerCount
        let ranges = Parallel.chunks(count: customers, minimumChunk: 1024)
        let partials = UnsafeMutablePointer<Int64>.allocate(capacity: max(1, ranges.count * size))
        partials.initialize(repeating: 0, count: max(1, ranges.count * size))
        defer { partials.deallocate() }
        let shared = UncheckedBox(partials)
        let periodOf = Self.periodLookup(boundaries)
        let events = snapshotEvents()
        Parallel.run(ranges) { chunk, range in
            let scratch = Scratch()
            let sums = shared.value + chunk * size
            for c in range { visit(customer: c, periodOf: periodOf, events: events, sums: sums, scratch: scratch) }
        }
        // Integer sums: the same total whatever the chunking.
        var total = [Int64](repeating: 0, count: size)
        for chunk in 0..<ranges.count {
            let part = partials + chunk * size
            for i in 0..<size {
                if i % Field.count == Field.weightedDays {
                    let (sum, overflow) = total[i].addingReportingOverflow(part[i])
                    if overflow { total[i - Field.weightedDays + Field.weightedOverflow] = 1 } else { total[i] = sum }
                } else {
                    total[i] &+= part[i]
                }
            }
        }
        return total
    }

    /// A day on which balances are read: the start of period boundary `boundary` and/or of month `month`.
    struct SnapshotEvent {
        var day: Int32
        var boundary: Int // −1 when none
        var month: Int // −1 when none
    }

    func snapshotEvents() -> [SnapshotEvent] {
        var byDay: [Int32: SnapshotEvent] = [:]
        for (k, day) in boundaries.enumerated() { byDay[day] = SnapshotEvent(day: day, boundary: k, month: -1) }
        for (m, day) in monthStarts.enumerated() {
            byDay[day, default: SnapshotEvent(day: day, boundary: -1, month: -1)].month = m
        }
        return byDay.values.sorted { $0.day < $1.day }
    }

    /// Period index of each day of [from, to).
    static func periodLookup(_ boundaries: [Int32]) -> [Int32] {
        var lookup = [Int32](repeating: 0, count: Int(boundaries[boundaries.count - 1] - boundaries[0]))
        for k in 0..<(boundaries.count - 1) {
            for d in boundaries[k]..<boundaries[k + 1] { lookup[Int(d - boundaries[0])] = Int32(k) }
        }
        return lookup
    }

    /// Per-worker buffers sized for the customer with the most invoices seen so far.
    final class Scratch {
        var capacity = 0
        var open = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
        var rollAmount = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
        var rollBucket = UnsafeMutablePointer<Int8>.allocate(capacity: 1)
        var rollInvoices = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

        func reserve(_ n: Int) {
            guard n > capacity else { return }
            release()
            capacity = max(n, capacity * 2)
            open = .allocate(capacity: capacity)
            rollAmount = .allocate(capacity: capacity)
            rollBucket = .allocate(capacity: capacity)
            rollInvoices = .allocate(capacity: capacity)
        }

        private func release() {
            open.deallocate(); rollAmount.deallocate(); rollBucket.deallocate(); rollInvoices.deallocate()
        }

        deinit { release() }
    }

    /// One customer's contribution to every period: it counts as a customer, then its balances, calls and promises.
    @inline(__always)
    func visit(customer c: Int, periodOf: [Int32], events: [SnapshotEvent], sums: UnsafeMutablePointer<Int64>,
               scratch: Scratch) {
        let target = CustomerSlots(sums: sums, group: Int(groupOf[c]), groups: groupCount, from: from, to: to,
                                   periodOf: periodOf)
        for k in 0..<periodCount { target.slot(k)[Field.customers] &+= 1 }
        replayBalances(customer: c, events: events, scratch: scratch, into: target)
        countCalls(customer: c, into: target)
        countPromises(customer: c, into: target)
    }

    /// Invoices and payments replayed day by day: balances at every period boundary and month start, credit sales,
    /// and each invoice's full-payment date (for days past due at resolution).
    @inline(__always)
    func replayBalances(customer c: Int, events: [SnapshotEvent], scratch: Scratch, into target: CustomerSlots) {
        let h = history
        @inline(__always) func slot(_ period: Int) -> UnsafeMutablePointer<Int64> { target.slot(period) }
        @inline(__always) func period(of day: Int32) -> Int { target.period(of: day) }
        let i0 = h.invoiceOffsets[c], n = h.invoiceOffsets[c + 1] - i0
        scratch.reserve(n)
        let p0 = h.paymentOffsets[c], p1 = h.paymentOffsets[c + 1]
        do {
            let open = scratch.open, rollAmount = scratch.rollAmount, rollBucket = scratch.rollBucket
            let rollInvoices = scratch.rollInvoices
            var rollCount = 0
            var issued = 0, firstOpen = 0, openTotal: Int64 = 0, pool: Int64 = 0
            var p = p0, e = 0

            @inline(__always) func settled(_ j: Int, on day: Int32) {
                let k = period(of: day)
                guard k >= 0 else { return }
                let amount = h.invoiceAmount[i0 + j]
                let late = max(0, Int64(day) - Int64(h.invoiceDue[i0 + j]))
                let s = slot(k)
                s[Field.invoicesResolved] &+= 1
                s[Field.amountResolved] &+= amount
                let (product, productOverflow) = amount.multipliedReportingOverflow(by: late)
                let (sum, sumOverflow) = s[Field.weightedDays].addingReportingOverflow(product)
                if productOverflow || sumOverflow { s[Field.weightedOverflow] = 1 } else { s[Field.weightedDays] = sum }
            }
            @inline(__always) func applyPool(on day: Int32) {
                var j = firstOpen
                while pool > 0 && j < issued {
                    let remaining = open[j]
                    if remaining > 0 {
                        let used = min(pool, remaining)
                        open[j] = remaining - used
                        openTotal -= used
                        pool -= used
                        if remaining == used { settled(j, on: day) }
                    }
                    j += 1
                }
                while firstOpen < issued && open[firstOpen] == 0 { firstOpen += 1 }
            }
            func snapshot(_ event: SnapshotEvent) {
                let day = event.day
                if event.boundary >= 0 {
                    var current: Int64 = 0
                    for j in firstOpen..<issued where open[j] > 0 && h.invoiceDue[i0 + j] >= day { current &+= open[j] }
                    let k = event.boundary
                    if k < periodCount { slot(k)[Field.beginning] &+= openTotal }
                    if k > 0 {
                        let s = slot(k - 1)
                        s[Field.ending] &+= openTotal
                        s[Field.endingCurrent] &+= current
                    }
                }
                if event.month >= 0 {
                    let m = event.month
                    if m > 0, rollCount > 0 {
                        // Transition m − 1 → m, counted in the period holding month m − 1's first day.
                        let s = slot(period(of: monthStarts[m - 1]))
                        for r in 0..<rollCount {
                            let j = Int(rollInvoices[r])
                            let before = Int(rollBucket[j]), amount = rollAmount[j]
                            s[Field.rollBase + before] &+= amount
                            if open[j] > 0 {
                                s[Field.rollTo + before * 5 + AgingBucket.index(due: h.invoiceDue[i0 + j], on: day)] &+= amount
                            }
                        }
                    }
                    rollCount = 0
                    if m + 1 < monthStarts.count {
                        for j in firstOpen..<issued where open[j] > 0 {
                            rollAmount[j] = open[j]
                            rollBucket[j] = Int8(AgingBucket.index(due: h.invoiceDue[i0 + j], on: day))
                            rollInvoices[rollCount] = Int32(j)
                            rollCount += 1
                        }
                    }
                }
            }

            while true {
                let nextInvoice = issued < n ? h.invoiceDate[i0 + issued] : Int32.max
                let nextPayment = p < p1 ? h.paymentDate[p] : Int32.max
                let day = min(nextInvoice, nextPayment)
                while e < events.count && events[e].day <= day {
                    snapshot(events[e])
                    e += 1
                }
                if day >= to { break }
                while issued < n && h.invoiceDate[i0 + issued] == day {
                    let amount = h.invoiceAmount[i0 + issued]
                    open[issued] = amount
                    openTotal &+= amount
                    let k = period(of: day)
                    if k >= 0 {
                        slot(k)[Field.sales] &+= amount
                        slot(k)[Field.salesInvoices] &+= 1
                    }
                    issued += 1
                }
                if pool > 0 { applyPool(on: day) }
                while p < p1 && h.paymentDate[p] == day {
                    let amount = h.paymentAmount[p]
                    let j = Int(h.paymentInvoice[p]) - i0
                    if h.paymentInvoice[p] >= 0 && j >= 0 && j < issued && open[j] > 0 {
                        let used = min(amount, open[j])
                        open[j] -= used
                        openTotal -= used
                        pool &+= amount - used
                        if open[j] == 0 { settled(j, on: day) }
                    } else {
                        pool &+= amount
                    }
                    p += 1
                }
                if pool > 0 { applyPool(on: day) }
                while firstOpen < issued && open[firstOpen] == 0 { firstOpen += 1 }
            }
        }

    }

    /// Calls, counted on their local date in the customer's time zone; right-party contacts, and whether a payment
    /// followed within the payment window (only windows that close before the data cutoff, when there is one).
    @inline(__always)
    func countCalls(customer c: Int, into target: CustomerSlots) {
        let h = history, from = target.from, to = target.to
        let p0 = h.paymentOffsets[c], p1 = h.paymentOffsets[c + 1]
        let q0 = h.callOffsets[c], q1 = h.callOffsets[c + 1]
        if q1 > q0 {
            let zone = h.zones[Int(customerZone[c])]
            let window = Int32(clamping: options.paymentWindowDays)
            for q in q0..<q1 {
                let utcDay = h.callDay[q]
                if utcDay < from &- 1 || utcDay > to { continue }
                if let cutoff = options.observedBefore, utcDay >= cutoff { continue }
                let instant = h.callStartedAt(q)
                let local = LocalTime(utcSeconds: instant, offsetSeconds: zone.offset(at: instant)).day
                let k = target.period(of: local)
                guard k >= 0 else { continue }
                let s = target.slot(k)
                s[Field.attempts] &+= 1
                guard (CallOutcome(rawValue: h.callOutcome[q]) ?? .noAnswer).isRightPartyContact else { continue }
                s[Field.contacts] &+= 1
                // Without a cutoff every contact's window counts; with one, only windows that close before it.
                if let cutoff = options.observedBefore, local &+ window >= cutoff { continue }
                s[Field.contactsObserved] &+= 1
                // First payment dated on or after the call's local day.
                var low = p0, high = p1
                while low < high {
                    let middle = (low + high) >> 1
                    if h.paymentDate[middle] < local { low = middle + 1 } else { high = middle }
                }
                if low < p1 && h.paymentDate[low] <= local &+ window { s[Field.followed] &+= 1 }
            }
        }
    }

    /// Promises: made on their created date; resolved (and kept or not) on their last grace day.
    @inline(__always)
    func countPromises(customer c: Int, into target: CustomerSlots) {
        let h = history
        let grace = Int32(clamping: options.graceDays)
        for r in h.promiseOffsets[c]..<h.promiseOffsets[c + 1] {
            let made = target.period(of: h.promiseCreated[r])
            if made >= 0 { target.slot(made)[Field.promises] &+= 1 }
            let resolved = target.period(of: h.promiseDue[r] &+ grace)
            if resolved >= 0 {
                let s = target.slot(resolved)
                s[Field.resolvedPromises] &+= 1
                if h.promiseKept(r, customer: c, graceDays: grace) { s[Field.kept] &+= 1 }
            }
        }
    }
}

/// Where one customer's sums go: the slot of its group in each period.
struct CustomerSlots {
    let sums: UnsafeMutablePointer<Int64>
    let group: Int
    let groups: Int
    let from: Int32
    let to: Int32
    let periodOf: [Int32]

    /// The sums of period `period` for this customer's group.
    @inline(__always) func slot(_ period: Int) -> UnsafeMutablePointer<Int64> { sums + (period * groups + group) * Field.count }

    /// The period of `day`, or −1 outside the window.
    @inline(__always) func period(of day: Int32) -> Int { day >= from && day < to ? Int(periodOf[Int(day - from)]) : -1 }
}

