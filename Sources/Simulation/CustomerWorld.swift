import CallGrid
import CivilTime
import Foundation

/// The dates, tables and agent pool every customer's day steps share.
struct WorldContext {
    /// History range `[start, end)`: the lifecycle draws (joining, churn, turning doubtful) fall inside it.
    let start: Int
    let end: Int
    /// Calls are recorded only at UTC instants in `[start, recordingEnd)` (day numbers): `end` for the history
    /// alone, the closed loop's last day otherwise.
    let recordingEnd: Int
    let agentCount: Int
    let tables: TimeTables
    /// The causal story the customers follow (each customer's `Account` carries it too, for the day steps).
    let world: WorldKind

    init(start: Int, end: Int, recordingEnd: Int, customerCount: Int, tables: TimeTables, world: WorldKind = .lift) {
        self.start = start
        self.end = end
        self.recordingEnd = recordingEnd
        self.tables = tables
        self.world = world
        agentCount = min(9999, max(5, customerCount / World.customersPerAgent))
    }
}

/// One customer's world as it stands at the start of a day: its constants, its day state and its open invoices.
///
/// `beginDay` runs a day's invoicing and payments, `placeCall` one call attempt; the history generator and the
/// closed loop drive the same steps, so a customer follows the same rules whoever decides the calls. Every draw
/// comes from the `RandomSource` passed in, in a fixed order: the steps must keep that order, or the same seed no
/// longer gives the same export. The steps follow the rules of `account.world`: `lift` here (`World`), `archetypes` in
/// CustomerWorldArchetypes.swift (`ArchetypeWorld`), chosen by a `switch` at each step.
struct CustomerWorld {
    /// An invoice with a balance left, and its hazard clock: paid when `cumulative` hazard reaches `threshold`.
    struct OpenInvoice {
        var record: Int32
        var due: Int32
        var shiftedDue: Int32
        var disputed: Bool
        var neverPaid: Bool
        /// Whether a hazard payment has paid part of it (which reveals that it is not a never-paid invoice).
        var partlyPaid = false
        var remaining: Int64
        var threshold: Double
        var cumulative: Double
    }

    /// The promise in force: when its grace period ends and the payment it brings (if any).
    struct ActivePromise {
        var windowEnd: Int
        var kept: Bool
        var paymentDay: Int
        var paymentAmount: Int64
        /// Chunk-local index of the promise record.
        var record: Int32
        /// The promised date and amount, and P(kept) as drawn from (what a redraw of the outcome needs).
        var promisedDay: Int
        var promisedAmount: Int64
        var keptProbability: Double
    }

    /// The constants of one customer's day-by-day history, derived once from its record.
    struct Account {
        let local: Int32
        /// The causal story this customer follows.
        let world: WorldKind
        /// The payment archetype (`archetypes` world; `selfPayer` and unused in `lift`).
        let archetype: ArchetypeWorld.Archetype
        /// Archetypes: an invoice more than this many days past due gets no unaided hazard (Int.max: no cutoff).
        let unaidedCutoffDaysPastDue: Int
        /// Archetypes: whether a right-party contact adds the contact bump.
        let contactBump: Bool
        /// Archetypes: a past-due balance below this (minor units) is promised whole.
        let instalmentMinimum: Int64
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
        /// Minor currency units per US dollar (for book-wide sums in one currency).
        let minorPerUSD: Double
        let minimumPastDue: Int64
        /// exp(pay_propensity) (archetypes: times the archetype's unaided multiplier): the multiplier on the baseline hazard.
        let hazardFactor: Double
        let invoicingStopDay: Int
        let stopsPayingDay: Int

        /// Reads the constants off the customer's record (traits and lifecycle drawn), chunk-local index `local`.
        init(_ customer: CustomerRecord, local: Int32, windowBase: Int, world: WorldKind = .lift) {
            let currency = World.currencies[customer.currency]
            let minorPerMajor = CustomerWorld.minorPerMajor(currency)
            let minorPerUSD = currency.perUSD * Double(minorPerMajor)
            let archetype = ArchetypeWorld.Archetype(rawValue: customer.archetype) ?? .selfPayer
            let rules = archetype.rules
            self.local = local
            self.world = world
            self.archetype = archetype
            unaidedCutoffDaysPastDue = rules.unaidedCutoffDaysPastDue ?? Int.max
            contactBump = rules.contactBump
            instalmentMinimum = Int64((ArchetypeWorld.instalmentMinimumUSD * minorPerUSD).rounded())
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
            self.minorPerUSD = minorPerUSD
            minimumPastDue = Int64((World.minimumPastDueUSD * minorPerUSD).rounded())
            switch world {
            case .lift: hazardFactor = Foundation.exp(customer.payPropensity)
            case .archetypes: hazardFactor = Foundation.exp(customer.payPropensity) * rules.unaidedHazardMultiplier
            }
            invoicingStopDay = customer.invoicingStops ?? Int.max
            stopsPayingDay = customer.doubtfulFrom ?? Int.max
        }
    }

    /// What changes from day to day in one customer's history (besides the open invoices).
    struct DayState {
        var nextInvoice: Int
        var lastRPC = Int.min / 2
        var callHoldUntil = Int.min
        /// Days of the last three call attempts, oldest first.
        var attempts = (Int.min / 2, Int.min / 2, Int.min / 2)
        var promise: ActivePromise?
        var keptPromises = 0
        var resolvedPromises = 0
        /// Broken promises since the last kept one.
        var brokenStreak = 0
        /// The last day begun (`beginDay`): payments up to and including it are revealed.
        var lastDay = Int.min / 2

        /// Closes the open promise once its grace period is over, counting it in the customer's promise history.
        @inline(__always)
        mutating func resolvePromise(on day: Int) {
            if let active = promise, day > active.windowEnd {
                resolvedPromises += 1
                if active.kept { keptPromises += 1 }
                brokenStreak = active.kept ? 0 : brokenStreak + 1
                promise = nil
            }
        }

        /// Attempts made in the seven days ending on `day`.
        @inline(__always)
        func recentAttempts(on day: Int) -> Int {
            (attempts.0 >= day - 6 ? 1 : 0) + (attempts.1 >= day - 6 ? 1 : 0) + (attempts.2 >= day - 6 ? 1 : 0)
        }
    }

    /// The past-due position a call policy looks at on one day.
    struct PastDue {
        /// Non-disputed past-due balance (minor currency units).
        var balance: Int64 = 0
        /// Days past due of the oldest non-disputed past-due invoice.
        var oldestDays = 0
        var hasDisputed = false
    }

    let account: Account
    var state: DayState
    var open: [OpenInvoice] = []

    /// The customer's world on its onboarding day; draws the day of its first invoice.
    init(_ account: Account, onboarded: Int, rng: inout RandomSource) {
        self.account = account
        state = DayState(nextInvoice: onboarded + rng.below(account.interval))
        open.reserveCapacity(16)
    }

    /// Minor currency units per major unit (1 for currencies without decimals).
    static func minorPerMajor(_ currency: World.Currency) -> Int64 { currency.decimals == 0 ? 1 : 100 }

    // MARK: - A day

    /// Runs the start of `day`: closes a promise whose grace period is over, issues the scheduled invoice and posts
    /// the day's payments; returns whether anything was paid.
    @inline(__always)
    mutating func beginDay(_ day: Int, rng: inout RandomSource, records: ChunkRecords) -> Bool {
        state.resolvePromise(on: day)
        state.lastDay = day
        issueScheduledInvoice(on: day, rng: &rng, records: records)
        return collectPayments(on: day, rng: &rng, records: records)
    }

    /// The next day on which anything can happen: tomorrow, or — with no open invoice and no open promise — the next
    /// invoice day (`end` once invoicing has stopped).
    @inline(__always)
    func nextActiveDay(after day: Int, end: Int) -> Int {
        let tomorrow = day + 1
        guard open.isEmpty, state.promise == nil else { return tomorrow }
        if tomorrow >= account.invoicingStopDay { return end }
        return max(tomorrow, state.nextInvoice)
    }

    /// Whether the customer is in its promise window (a promise made and its grace period not over).
    var hasOpenPromise: Bool { state.promise != nil }

    /// The non-disputed past-due balance on `day`, the age of its oldest invoice, and whether a disputed one is past due.
    @inline(__always)
    func pastDue(on day: Int) -> PastDue {
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

    /// On the scheduled day, issues an invoice (unless invoicing has stopped) and schedules the next one.
    @inline(__always)
    private mutating func issueScheduledInvoice(on day: Int, rng: inout RandomSource, records: ChunkRecords) {
        guard day == state.nextInvoice else { return }
        if day < account.invoicingStopDay {
            issueInvoice(day: day, rng: &rng, records: records)
        }
        let gap = Double(account.interval) * rng.uniform(World.invoiceGapJitter.lowerBound, World.invoiceGapJitter.upperBound)
        state.nextInvoice = day + max(1, Int(gap.rounded()))
    }

    /// Posts the day's payments — the open promise's payment on its day, otherwise the hazard draws (none once the
    /// customer is doubtful); returns whether anything was paid.
    @inline(__always)
    private mutating func collectPayments(on day: Int, rng: inout RandomSource, records: ChunkRecords) -> Bool {
        let paymentsBefore = records.payments.count
        if let active = state.promise {
            if day == active.paymentDay {
                allocate(active.paymentAmount, day: day, records: records)
            }
        } else if day < account.stopsPayingDay, !open.isEmpty {
            switch account.world {
            case .lift:
                let recentContact = day - state.lastRPC >= 1 && day - state.lastRPC <= World.rpcEffectDays
                let factor = account.hazardFactor * (recentContact ? World.rpcHazardMultiplier : 1)
                accrueHazard(day: day, factor: factor, rng: &rng, records: records)
            case .archetypes:
                accrueArchetypeHazard(day: day, rng: &rng, records: records)
            }
        }
        return records.payments.count != paymentsBefore
    }

    // MARK: - A call

    /// Places one call at `secondOfDay` local time on `day`; when it falls inside the recorded range, draws the
    /// outcome, records the call and applies the outcome. Returns the outcome (nil when the call falls outside).
    @discardableResult
    mutating func placeCall(on day: Int, secondOfDay: Int, context: WorldContext,
                            rng: inout RandomSource, records: ChunkRecords) -> CallOutcome? {
        let utc = day * 86_400 + secondOfDay - context.tables.utcOffset(zone: account.zone, day: day)
        guard utc >= context.start * 86_400, utc < context.recordingEnd * 86_400 else { return nil }
        let pastDue = pastDue(on: day)
        let window = CallWindows.index(weekday: CivilDate.weekday(Int32(day)), hour: secondOfDay / 3600)
        let doubtful = day >= account.stopsPayingDay
        let rpcProbability = records.windows[account.windowBase + window]
        var outcome: CallOutcome
        var raisesDispute = false
        switch account.world {
        case .lift:
            outcome = Self.drawOutcome(rpcProbability: rpcProbability, disputedPastDue: pastDue.hasDisputed,
                                       doubtful: doubtful, reliability: account.reliability, rng: &rng)
        case .archetypes:
            (outcome, raisesDispute) = drawArchetypeOutcome(rpcProbability: rpcProbability, pastDue: pastDue, rng: &rng)
        }
        // Nothing to promise (paid already today, or a promise already stands): the conversation ends there.
        if outcome == .promise && (pastDue.balance <= 0 || state.promise != nil) { outcome = .rightParty }
        let call = Int32(records.calls.count)
        let agent = Int32(rng.below(context.agentCount))
        let duration = Int32(Self.duration(of: outcome, rng: &rng))
        records.calls.append(CallRecord(customer: account.local, outcome: outcome.rawValue, agent: agent,
                                        duration: duration, utcSeconds: Int64(utc)))
        state.attempts = (state.attempts.1, state.attempts.2, day)
        if outcome.isRightPartyContact { state.lastRPC = day }
        if raisesDispute { raiseDispute(on: day, rng: &rng, records: records) }
        switch outcome {
        case .rightParty, .refused:
            state.callHoldUntil = day + World.rpcCooldownDays
        case .dispute:
            state.callHoldUntil = day + World.disputeHoldDays
        case .promise:
            switch account.world {
            case .lift:
                state.promise = makePromise(day: day, call: call, promisable: pastDue.balance, doubtful: doubtful,
                                            rng: &rng, records: records)
            case .archetypes:
                state.promise = makeInstalmentPromise(day: day, call: call, promisable: pastDue.balance,
                                                      rng: &rng, records: records)
            }
        default:
            break
        }
        return outcome
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

    // MARK: - Invoices, payments, promises

    /// Issues one invoice (terms, amount, dispute; `archetypes`: its own dispute share and no never-paid invoices) and files
    /// it in the open list by due date.
    private mutating func issueInvoice(day: Int, rng: inout RandomSource, records: ChunkRecords) {
        let terms = rng.bernoulli(World.otherTermsShare) ? World.terms[rng.below(World.terms.count)] : account.defaultTerms
        let amount = max(account.minorPerMajor,
                         Int64((Double(account.typicalInvoice) * Foundation.exp(account.invoiceAmountSigma * rng.normal())).rounded()))
        let disputed: Bool
        let neverPaid: Bool
        switch account.world {
        case .lift:
            disputed = rng.bernoulli(World.disputedInvoiceShare)
            neverPaid = disputed && rng.bernoulli(World.disputedNeverPaidShare)
        case .archetypes:
            disputed = rng.bernoulli(ArchetypeWorld.disputedInvoiceShare)
            neverPaid = false
        }
        let due = day + terms
        records.invoices.append(InvoiceRecord(customer: account.local, issued: Int32(day), due: Int32(due), disputed: disputed, amount: amount))
        let entry = OpenInvoice(
            record: Int32(records.invoiceRecordBase + records.invoices.count - 1), due: Int32(due), shiftedDue: Int32(due + account.delay),
            disputed: disputed, neverPaid: neverPaid, remaining: amount, threshold: rng.exponential(), cumulative: 0)
        // Keep the open list ordered by due date (then issue order): payments go to the oldest first.
        var position = open.count
        while position > 0, open[position - 1].due > entry.due { position -= 1 }
        open.insert(entry, at: position)
    }

    /// Adds one day of hazard to every open invoice and pays those whose cumulative hazard reaches their threshold.
    private mutating func accrueHazard(day: Int, factor: Double, rng: inout RandomSource, records: ChunkRecords) {
        let customer = account.local
        var kept = 0
        for position in 0..<open.count {
            var invoice = open[position]
            var closed = false
            // A never-paid invoice accrues too (without effect), so its clock reads like a payable one's.
            var hazard = World.baseline(day - Int(invoice.shiftedDue)) * factor
            if invoice.disputed { hazard *= World.disputedHazardMultiplier }
            invoice.cumulative += hazard
            if !invoice.neverPaid, invoice.cumulative >= invoice.threshold {
                let draw = rng.uniform()
                if draw < World.onAccountPaymentShare {
                    records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: -1, amount: invoice.remaining))
                    closed = true
                } else if draw < World.onAccountPaymentShare + World.partialPaymentShare, invoice.remaining >= 200 {
                    Self.payPart(&invoice, fractions: World.partialPaymentFraction, day: day, customer: customer, rng: &rng,
                                 records: records)
                } else {
                    records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: invoice.record, amount: invoice.remaining))
                    closed = true
                }
            }
            if !closed {
                open[kept] = invoice
                kept += 1
            }
        }
        open.removeLast(open.count - kept)
    }

    /// Pays a part of `invoice` (a fraction drawn from `fractions`, at least 1 minor unit and leaving at least 1) and
    /// restarts its hazard clock with a fresh threshold: the partial payments of both worlds.
    static func payPart(_ invoice: inout OpenInvoice, fractions: ClosedRange<Double>, day: Int, customer: Int32,
                        rng: inout RandomSource, records: ChunkRecords) {
        let fraction = rng.uniform(fractions.lowerBound, fractions.upperBound)
        let amount = min(invoice.remaining - 1, max(1, Int64((Double(invoice.remaining) * fraction).rounded())))
        records.payments.append(PaymentRecord(customer: customer, day: Int32(day), invoice: invoice.record, amount: amount))
        invoice.remaining -= amount
        invoice.cumulative = 0
        invoice.threshold = rng.exponential()
        invoice.partlyPaid = true
    }

    /// Pays `amount` to the oldest non-disputed open invoices; anything left over is paid on account.
    mutating func allocate(_ amount: Int64, day: Int, records: ChunkRecords) {
        let customer = account.local
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
    private func makePromise(day: Int, call: Int32, promisable: Int64, doubtful: Bool,
                             rng: inout RandomSource, records: ChunkRecords) -> ActivePromise {
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
        return ActivePromise(windowEnd: windowEnd, kept: isKept, paymentDay: paymentDay, paymentAmount: paymentAmount,
                             record: Int32(records.promises.count - 1), promisedDay: promised, promisedAmount: amount,
                             keptProbability: keptProbability)
    }
}
