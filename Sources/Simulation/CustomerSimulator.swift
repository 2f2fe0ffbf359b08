import CivilTime
import CallGrid
import Foundation

/// One customer's static attributes and latent traits (the truth.json entry). The simulator fills it in step by
/// step: traits first, then the contact windows, the lifecycle, and the promise range after the history.
struct CustomerRecord {
    var index: Int
    var segment: Int
    var zone: Int
    var currency: Int
    var doNotCall: Bool
    var creditLimit: Int64 = 0
    var payPropensity: Double
    var delayTendency: Int
    var promiseReliability: Double
    var pattern: Int
    var reach: Double
    var bestWindow = 0
    var doubtfulFrom: Int?
    var onboarded = 0
    var invoicingStops: Int?
    var intervalDays = 0
    var defaultTerms = 0
    var typicalInvoice: Int64 = 0
    /// Range of this customer's promises in the chunk's promise list.
    var firstPromise = 0
    var promiseEnd = 0
}

struct InvoiceRecord {
    var customer: Int32
    var issued: Int32
    var due: Int32
    var disputed: Bool
    var amount: Int64
}

struct PaymentRecord {
    var customer: Int32
    var day: Int32
    /// Chunk-local invoice index, or -1 for an on-account payment.
    var invoice: Int32
    var amount: Int64
}

struct CallRecord {
    var customer: Int32
    var outcome: UInt8
    var agent: Int32
    var duration: Int32
    var utcSeconds: Int64
}

struct PromiseRecord {
    var customer: Int32
    var created: Int32
    var promised: Int32
    /// Chunk-local call index.
    var call: Int32
    var kept: Bool
    var amount: Int64
    var keptProbability: Double
}

/// All rows of one chunk of consecutive customers, with chunk-local cross references.
final class ChunkRecords {
    var firstCustomer = 0
    var customers: [CustomerRecord] = []
    /// 25 window probabilities per customer, in customer order.
    var windows: [Double] = []
    var invoices: [InvoiceRecord] = []
    var payments: [PaymentRecord] = []
    var calls: [CallRecord] = []
    var promises: [PromiseRecord] = []

    func reset(firstCustomer: Int) {
        self.firstCustomer = firstCustomer
        customers.removeAll(keepingCapacity: true)
        windows.removeAll(keepingCapacity: true)
        invoices.removeAll(keepingCapacity: true)
        payments.removeAll(keepingCapacity: true)
        calls.removeAll(keepingCapacity: true)
        promises.removeAll(keepingCapacity: true)
    }
}

/// Simulates customers one at a time, day by day, appending their rows to a `ChunkRecords`.
///
/// Every draw comes from the customer's own random stream, in a fixed order: the steps below must keep that
/// order, or the same seed no longer gives the same export.
struct CustomerSimulator {
    let seed: UInt64
    let start: Int
    let end: Int
    let agentCount: Int
    let tables: TimeTables

    /// An invoice with a balance left, and its hazard clock.
    private struct OpenInvoice {
        var record: Int32
        var due: Int32
        var shiftedDue: Int32
        var disputed: Bool
        var neverPaid: Bool
        var remaining: Int64
        var threshold: Double
        var cumulative: Double
    }

    /// The promise in force: when its grace period ends and the payment it brings (if any).
    private struct ActivePromise {
        var windowEnd: Int
        var kept: Bool
        var paymentDay: Int
        var paymentAmount: Int64
    }

    /// The constants of one customer's day-by-day history, derived once from its record.
    private struct Account {
        let local: Int32
        let zone: Int
        let windowBase: Int
        let doNotCall: Bool
        let delay: Int
        let reliability: Double
        let interval: Int
        let defaultTerms: Int
        let typicalInvoice: Int64
        let invoiceAmountSigma: Double
        let minorPerMajor: Int64
        let minimumPastDue: Int64
        /// exp(pay_propensity): the customer's multiplier on the baseline hazard.
        let hazardFactor: Double
        let invoicingStopDay: Int
        let stopsPayingDay: Int

        /// Reads the constants off the customer's record (traits and lifecycle drawn), chunk-local index `local`.
        init(_ customer: CustomerRecord, local: Int32, windowBase: Int) {
            let currency = World.currencies[customer.currency]
            let minorPerMajor = CustomerSimulator.minorPerMajor(currency)
            let minorPerUSD = currency.perUSD * Double(minorPerMajor)
            self.local = local
            zone = customer.zone
            self.windowBase = windowBase
            doNotCall = customer.doNotCall
            delay = customer.delayTendency
            reliability = customer.promiseReliability
            interval = customer.intervalDays
            defaultTerms = customer.defaultTerms
            typicalInvoice = customer.typicalInvoice
            invoiceAmountSigma = World.segments[customer.segment].invoiceAmountSigma
            self.minorPerMajor = minorPerMajor
            minimumPastDue = Int64((World.minimumPastDueUSD * minorPerUSD).rounded())
            hazardFactor = Foundation.exp(customer.payPropensity)
            invoicingStopDay = customer.invoicingStops ?? Int.max
            stopsPayingDay = customer.doubtfulFrom ?? Int.max
        }
    }

    /// What changes from day to day in one customer's history (besides the open invoices).
    private struct DayState {
        var nextInvoice: Int
        var lastRPC = Int.min / 2
        var callHoldUntil = Int.min
        /// Days of the last three call attempts, oldest first.
        var attempts = (Int.min / 2, Int.min / 2, Int.min / 2)
        var promise: ActivePromise?
        var keptPromises = 0
        var resolvedPromises = 0

        /// Closes the open promise once its grace period is over, counting it in the customer's promise history.
        @inline(__always)
        mutating func resolvePromise(on day: Int) {
            if let active = promise, day > active.windowEnd {
                resolvedPromises += 1
                if active.kept { keptPromises += 1 }
                promise = nil
            }
        }

        /// Attempts made in the seven days ending on `day`.
        @inline(__always)
        func recentAttempts(on day: Int) -> Int {
            (attempts.0 >= day - 6 ? 1 : 0) + (attempts.1 >= day - 6 ? 1 : 0) + (attempts.2 >= day - 6 ? 1 : 0)
        }
    }

    /// The past-due position the call policy looks at on one day.
    private struct PastDue {
        /// Non-disputed past-due balance.
        var balance: Int64 = 0
        /// Days past due of the oldest non-disputed past-due invoice.
        var oldestDays = 0
        var hasDisputed = false
    }

    private var open: [OpenInvoice] = []

    init(seed: UInt64, start: Int, end: Int, customerCount: Int, tables: TimeTables) {
        self.seed = seed
        self.start = start
        self.end = end
        self.tables = tables
        agentCount = min(9999, max(5, customerCount / World.customersPerAgent))
        open.reserveCapacity(64)
    }

    /// Draws customer `index` and its whole history, appending its rows to `records`.
    mutating func simulate(customer index: Int, into records: ChunkRecords) {
        var rng = RandomSource(seed: seed, stream: UInt64(index))
        var customer = Self.drawTraits(index, rng: &rng)
        let windowBase = records.windows.count
        customer.bestWindow = Self.drawWindows(pattern: customer.pattern, reach: customer.reach, rng: &rng, records: records)
        drawLifecycle(&customer, rng: &rng)
        customer.firstPromise = records.promises.count
        let account = Account(customer, local: Int32(records.customers.count), windowBase: windowBase)
        simulateHistory(account, from: customer.onboarded, rng: &rng, records: records)
        customer.promiseEnd = records.promises.count
        records.customers.append(customer)
    }

    // MARK: - Customer

    /// Minor currency units per major unit (1 for currencies without decimals).
    private static func minorPerMajor(_ currency: World.Currency) -> Int64 { currency.decimals == 0 ? 1 : 100 }

    /// Draws the segment, the zone (which fixes the currency), do-not-call and the latent traits.
    private static func drawTraits(_ index: Int, rng: inout RandomSource) -> CustomerRecord {
        let segmentIndex = rng.pick(World.segmentShares)
        let segment = World.segments[segmentIndex]
        let zone = rng.pick(World.zoneShares)
        let doNotCall = rng.bernoulli(World.doNotCallShare)
        let payPropensity = rounded(rng.normal(mean: segment.payPropensityMean, sd: segment.payPropensitySD), places: 4)
        let delay = min(World.delayRange.upperBound, max(World.delayRange.lowerBound,
                        Int(rng.normal(mean: segment.delayMeanDays, sd: segment.delaySDDays).rounded())))
        let reliability = rounded(logistic(rng.normal(mean: segment.reliabilityLogitMean, sd: segment.reliabilityLogitSD)), places: 4)
        let pattern = rng.pick(segment.patternWeights)
        let reach = rounded(rng.uniform(segment.reach.lowerBound, segment.reach.upperBound), places: 4)
        return CustomerRecord(
            index: index, segment: segmentIndex, zone: zone, currency: World.zoneCurrency[zone], doNotCall: doNotCall,
            payPropensity: payPropensity, delayTendency: delay, promiseReliability: reliability, pattern: pattern, reach: reach)
    }

    /// Appends the customer's 25 window right-party probabilities to `records.windows`; returns the most likely window.
    private static func drawWindows(pattern: Int, reach: Double, rng: inout RandomSource, records: ChunkRecords) -> Int {
        let levels = World.contactPatterns[pattern].probabilities
        var bestWindow = 0
        var bestProbability = -1.0
        for window in 0..<CallWindows.count {
            let noise = Foundation.exp(World.windowNoiseSD * rng.normal())
            let probability = rounded(min(World.maximumWindowProbability, levels[window] * reach * noise), places: 4)
            records.windows.append(probability)
            if probability > bestProbability {
                bestProbability = probability
                bestWindow = window
            }
        }
        return bestWindow
    }

    /// Draws when the customer turns doubtful, joins and stops buying, its invoicing habits and its credit limit.
    private func drawLifecycle(_ customer: inout CustomerRecord, rng: inout RandomSource) {
        let segment = World.segments[customer.segment]
        let currency = World.currencies[customer.currency]
        let minorPerMajor = Self.minorPerMajor(currency)
        let length = end - start
        let doubtfulFrom: Int? = rng.bernoulli(segment.doubtfulShare) ? start + rng.below(length) : nil
        let onboarded = rng.bernoulli(World.lateOnboardingShare) ? start + rng.below(length) : start
        let churnDay: Int? = rng.bernoulli(World.churnShare) ? start + rng.below(length) : nil
        var invoicingStops = churnDay
        if let doubtfulFrom {
            let stop = doubtfulFrom + World.doubtfulInvoiceStopDays
            invoicingStops = min(invoicingStops ?? stop, stop)
        }
        if let stop = invoicingStops, stop >= end { invoicingStops = nil }
        let interval = rng.integer(segment.invoiceIntervalDays.lowerBound, segment.invoiceIntervalDays.upperBound)
        let defaultTerms = World.terms[rng.pick(segment.termsWeights)]
        let typicalUSD = segment.medianInvoiceUSD * Foundation.exp(segment.customerSizeSigma * rng.normal())
        let typicalMajor = typicalUSD * currency.perUSD
        let limitMajor = typicalMajor * World.creditLimitMonths * 30 / Double(interval)
        customer.doubtfulFrom = doubtfulFrom
        customer.onboarded = onboarded
        customer.invoicingStops = invoicingStops
        customer.intervalDays = interval
        customer.defaultTerms = defaultTerms
        customer.typicalInvoice = max(minorPerMajor, Int64((typicalMajor * Double(minorPerMajor)).rounded()))
        customer.creditLimit = Int64((limitMajor / 1000).rounded(.up)) * 1000
    }

    // MARK: - Day by day

    /// Runs the customer's history one day at a time from onboarding, skipping days on which nothing can happen.
    private mutating func simulateHistory(_ account: Account, from onboarded: Int, rng: inout RandomSource, records: ChunkRecords) {
        var state = DayState(nextInvoice: onboarded + rng.below(account.interval))
        open.removeAll(keepingCapacity: true)
        var day = onboarded
        while day < end {
            state.resolvePromise(on: day)
            issueScheduledInvoice(on: day, account, &state, rng: &rng, records: records)
            let paidToday = collectPayments(on: day, account, state, rng: &rng, records: records)
            considerCall(on: day, paidToday: paidToday, account, &state, rng: &rng, records: records)
            day = nextActiveDay(after: day, account, state)
        }
    }

    /// The next day on which anything can happen: tomorrow, or — with no open invoice and no open promise — the next
    /// invoice day (`end` once invoicing has stopped).
    @inline(__always)
    private func nextActiveDay(after day: Int, _ account: Account, _ state: DayState) -> Int {
        let tomorrow = day + 1
        guard open.isEmpty, state.promise == nil else { return tomorrow }
        if tomorrow >= account.invoicingStopDay { return end }
        return max(tomorrow, state.nextInvoice)
    }

    /// On the scheduled day, issues an invoice (unless invoicing has stopped) and schedules the next one.
    @inline(__always)
    private mutating func issueScheduledInvoice(on day: Int, _ account: Account, _ state: inout DayState,
                                                rng: inout RandomSource, records: ChunkRecords) {
        guard day == state.nextInvoice else { return }
        if day < account.invoicingStopDay {
            issueInvoice(day: day, account, rng: &rng, records: records)
        }
        let gap = Double(account.interval) * rng.uniform(World.invoiceGapJitter.lowerBound, World.invoiceGapJitter.upperBound)
        state.nextInvoice = day + max(1, Int(gap.rounded()))
    }

    /// Posts the day's payments — the open promise's payment on its day, otherwise the hazard draws (none once the
    /// customer is doubtful); returns whether anything was paid.
    @inline(__always)
    private mutating func collectPayments(on day: Int, _ account: Account, _ state: DayState,
                                          rng: inout RandomSource, records: ChunkRecords) -> Bool {
        let paymentsBefore = records.payments.count
        if let active = state.promise {
            if day == active.paymentDay {
                allocate(active.paymentAmount, day: day, customer: account.local, records: records)
            }
        } else if day < account.stopsPayingDay, !open.isEmpty {
            let recentContact = day - state.lastRPC >= 1 && day - state.lastRPC <= World.rpcEffectDays
            let factor = account.hazardFactor * (recentContact ? World.rpcHazardMultiplier : 1)
            accrueHazard(day: day, factor: factor, customer: account.local, rng: &rng, records: records)
        }
        return records.payments.count != paymentsBefore
    }

    /// The aging policy: on a local weekday without a payment, promise or hold, an account whose past-due balance is
    /// large and old enough is called (at most once a day, a few times a week) with a probability growing with its age.
    @inline(__always)
    private mutating func considerCall(on day: Int, paidToday: Bool, _ account: Account, _ state: inout DayState,
                                       rng: inout RandomSource, records: ChunkRecords) {
        guard !account.doNotCall, state.promise == nil, day >= state.callHoldUntil, !paidToday,
              CivilDate.weekday(Int32(day)) < 5, !open.isEmpty else { return }
        let pastDue = pastDue(on: day)
        guard pastDue.balance >= account.minimumPastDue, pastDue.oldestDays >= World.minimumDaysPastDue,
              state.recentAttempts(on: day) < World.maximumAttemptsPer7Days,
              rng.bernoulli(World.callProbability(daysPastDue: pastDue.oldestDays)) else { return }
        placeCall(on: day, pastDue: pastDue, account, &state, rng: &rng, records: records)
    }

    /// The non-disputed past-due balance on `day`, the age of its oldest invoice, and whether a disputed one is past due.
    @inline(__always)
    private func pastDue(on day: Int) -> PastDue {
        var result = PastDue()
        for invoice in open where Int(invoice.due) < day {
            if invoice.disputed {
                result.hasDisputed = true
            } else {
                result.balance += invoice.remaining
                result.oldestDays = max(result.oldestDays, day - Int(invoice.due))
            }
        }
        return result
    }

    /// Draws the local call time; when it falls inside the history, draws the outcome, records the call and applies
    /// the outcome.
    private mutating func placeCall(on day: Int, pastDue: PastDue, _ account: Account, _ state: inout DayState,
                                    rng: inout RandomSource, records: ChunkRecords) {
        let secondOfDay = rng.bernoulli(World.uniformShiftShare)
            ? 8 * 3600 + rng.below(10 * 3600)
            : 9 * 3600 + rng.below(3 * 3600)
        let utc = day * 86_400 + secondOfDay - tables.utcOffset(zone: account.zone, day: day)
        guard utc >= start * 86_400, utc < end * 86_400 else { return }
        let window = CallWindows.index(weekday: CivilDate.weekday(Int32(day)), hour: secondOfDay / 3600)
        let doubtful = day >= account.stopsPayingDay
        let outcome = Self.drawOutcome(rpcProbability: records.windows[account.windowBase + window],
                                       disputedPastDue: pastDue.hasDisputed, doubtful: doubtful,
                                       reliability: account.reliability, rng: &rng)
        let call = Int32(records.calls.count)
        let agent = Int32(rng.below(agentCount))
        let duration = Int32(Self.duration(of: outcome, rng: &rng))
        records.calls.append(CallRecord(customer: account.local, outcome: outcome.rawValue, agent: agent,
                                        duration: duration, utcSeconds: Int64(utc)))
        state.attempts = (state.attempts.1, state.attempts.2, day)
        if outcome.isRightPartyContact { state.lastRPC = day }
        switch outcome {
        case .rightParty, .refused:
            state.callHoldUntil = day + World.rpcCooldownDays
        case .dispute:
            state.callHoldUntil = day + World.disputeHoldDays
        case .promise:
            state.promise = makePromise(day: day, call: call, promisable: pastDue.balance, account, state,
                                        doubtful: doubtful, rng: &rng, records: records)
        default:
            break
        }
    }

    /// A call's outcome: the right party answers with the window's probability and then disputes, refuses, promises
    /// or just talks; otherwise a miss (no answer, voicemail, wrong party).
    @inline(__always)
    private static func drawOutcome(rpcProbability: Double, disputedPastDue: Bool, doubtful: Bool, reliability: Double,
                                    rng: inout RandomSource) -> CallOutcome {
        guard rng.uniform() < rpcProbability else {
            switch rng.pick(World.missWeights) {
            case 0: return .noAnswer
            case 1: return .voicemail
            default: return .wrongParty
            }
        }
        let pDispute = disputedPastDue ? World.disputeGivenRPCWithOpenDispute : World.disputeGivenRPCOtherwise
        let pRefused = doubtful ? World.refusedGivenRPCWhenDoubtful : World.refusedGivenRPC
        let pPromise = (1 - pDispute - pRefused) * (World.promiseBase + World.promiseSlope * reliability)
        let draw = rng.uniform()
        if draw < pDispute { return .dispute }
        if draw < pDispute + pRefused { return .refused }
        if draw < pDispute + pRefused + pPromise { return .promise }
        return .rightParty
    }

    // MARK: - Invoices, payments, promises

    /// Issues one invoice (terms, amount, dispute) and files it in the open list by due date.
    private mutating func issueInvoice(day: Int, _ account: Account, rng: inout RandomSource, records: ChunkRecords) {
        let terms = rng.bernoulli(World.otherTermsShare) ? World.terms[rng.below(World.terms.count)] : account.defaultTerms
        let amount = max(account.minorPerMajor,
                         Int64((Double(account.typicalInvoice) * Foundation.exp(account.invoiceAmountSigma * rng.normal())).rounded()))
        let disputed = rng.bernoulli(World.disputedInvoiceShare)
        let neverPaid = disputed && rng.bernoulli(World.disputedNeverPaidShare)
        let due = day + terms
        records.invoices.append(InvoiceRecord(customer: account.local, issued: Int32(day), due: Int32(due), disputed: disputed, amount: amount))
        let entry = OpenInvoice(
            record: Int32(records.invoices.count - 1), due: Int32(due), shiftedDue: Int32(due + account.delay),
            disputed: disputed, neverPaid: neverPaid, remaining: amount, threshold: rng.exponential(), cumulative: 0)
        // Keep the open list ordered by due date (then issue order): payments go to the oldest first.
        var position = open.count
        while position > 0, open[position - 1].due > entry.due { position -= 1 }
        open.insert(entry, at: position)
    }

    /// Adds one day of hazard to every open invoice and pays those whose cumulative hazard reaches their threshold.
    private mutating func accrueHazard(day: Int, factor: Double, customer: Int32, rng: inout RandomSource, records: ChunkRecords) {
        var kept = 0
        for position in 0..<open.count {
            var invoice = open[position]
            var closed = false
            if !invoice.neverPaid {
                var hazard = World.baseline(day - Int(invoice.shiftedDue)) * factor
                if invoice.disputed { hazard *= World.disputedHazardMultiplier }
                invoice.cumulative += hazard
                if invoice.cumulative >= invoice.threshold {
                    let draw = rng.uniform()
                    if draw < World.onAccountPaymentShare {
                        records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: -1, amount: invoice.remaining))
                        closed = true
                    } else if draw < World.onAccountPaymentShare + World.partialPaymentShare, invoice.remaining >= 200 {
                        let fraction = rng.uniform(World.partialPaymentFraction.lowerBound, World.partialPaymentFraction.upperBound)
                        let amount = min(invoice.remaining - 1, max(1, Int64((Double(invoice.remaining) * fraction).rounded())))
                        records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: invoice.record, amount: amount))
                        invoice.remaining -= amount
                        invoice.cumulative = 0
                        invoice.threshold = rng.exponential()
                    } else {
                        records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: invoice.record, amount: invoice.remaining))
                        closed = true
                    }
                }
            }
            if !closed {
                open[kept] = invoice
                kept += 1
            }
        }
        open.removeLast(open.count - kept)
    }

    /// Pays `amount` to the oldest non-disputed open invoices; anything left over is paid on account.
    private mutating func allocate(_ amount: Int64, day: Int, customer: Int32, records: ChunkRecords) {
        var left = amount
        var kept = 0
        for position in 0..<open.count {
            var invoice = open[position]
            if left > 0, !invoice.disputed {
                let paid = min(left, invoice.remaining)
                records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: invoice.record, amount: paid))
                invoice.remaining -= paid
                left -= paid
            }
            if invoice.remaining > 0 {
                open[kept] = invoice
                kept += 1
            }
        }
        open.removeLast(open.count - kept)
        if left > 0 {
            records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: -1, amount: left))
        }
    }

    /// Records the promise made on `call` (amount, date, kept probability and drawn outcome) and returns what the
    /// day loop needs of it: the end of its grace period and the payment it brings.
    private func makePromise(day: Int, call: Int32, promisable: Int64, _ account: Account, _ state: DayState,
                             doubtful: Bool, rng: inout RandomSource, records: ChunkRecords) -> ActivePromise {
        let minorPerMajor = account.minorPerMajor
        let horizon = rng.integer(World.promiseHorizonDays.lowerBound, World.promiseHorizonDays.upperBound)
        let promised = day + horizon
        var amount = promisable
        if !rng.bernoulli(World.fullBalancePromiseShare) {
            let fraction = rng.uniform(World.partialPromiseFraction.lowerBound, World.partialPromiseFraction.upperBound)
            let whole = Int64(Double(promisable) * fraction / Double(minorPerMajor)) * minorPerMajor
            amount = min(promisable, max(minorPerMajor, whole))
        }
        let partial = amount < promisable
        let keptProbability: Double
        if doubtful {
            keptProbability = World.promiseKeptProbabilityWhenDoubtful
        } else {
            let history = Double(state.keptPromises + 1) / Double(state.resolvedPromises + 2) - 0.5
            let logit = World.promiseIntercept + World.promiseReliabilityCoefficient * account.reliability
                + World.promiseHistoryCoefficient * history + World.promiseHorizonCoefficient * Double(horizon)
                + (partial ? World.promisePartialCoefficient : 0)
            keptProbability = rounded(logistic(logit), places: 4)
        }
        let isKept = rng.uniform() < keptProbability
        let windowEnd = promised + World.promiseGraceDays
        var paymentDay = Int.min
        var paymentAmount: Int64 = 0
        if isKept {
            paymentDay = max(day + 1, promised + rng.integer(World.keptPaymentOffsets.lowerBound, World.keptPaymentOffsets.upperBound))
            paymentAmount = amount
        } else if rng.bernoulli(World.brokenPartialPaymentShare), amount >= 2 {
            let fraction = rng.uniform(World.brokenPartialPaymentFraction.lowerBound, World.brokenPartialPaymentFraction.upperBound)
            paymentDay = rng.integer(day + 1, windowEnd)
            paymentAmount = min(amount - 1, max(1, Int64((Double(amount) * fraction).rounded())))
        }
        records.promises.append(PromiseRecord(
            customer: account.local, created: Int32(day), promised: Int32(promised), call: call,
            kept: isKept, amount: amount, keptProbability: keptProbability))
        return ActivePromise(windowEnd: windowEnd, kept: isKept, paymentDay: paymentDay, paymentAmount: paymentAmount)
    }

    /// A call's length in seconds, drawn by outcome.
    private static func duration(of outcome: CallOutcome, rng: inout RandomSource) -> Int {
        switch outcome {
        case .noAnswer: return rng.integer(12, 35)
        case .voicemail: return rng.integer(25, 70)
        case .wrongParty: return rng.integer(20, 90)
        case .rightParty: return 60 + Int(120 * Foundation.exp(0.5 * rng.normal()))
        case .promise: return 120 + Int(200 * Foundation.exp(0.5 * rng.normal()))
        case .refused: return rng.integer(30, 150)
        case .dispute: return 150 + Int(300 * Foundation.exp(0.5 * rng.normal()))
        }
    }
}
