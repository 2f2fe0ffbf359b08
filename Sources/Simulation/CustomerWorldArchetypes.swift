import CallGrid
import Foundation

/// The `archetypes` world's day steps (`ArchetypeWorld`): the archetype's hazard with the contact bump, call outcomes
/// that can raise a dispute on an open invoice, and instalment promises paid on their promised date.
extension CustomerWorld {
    /// Adds one day of the archetype's hazard to every open invoice and pays those whose clock reaches its threshold.
    ///
    /// h(t) = h0(u) · exp(pay_propensity) · unaided multiplier (0 once more than the archetype's cutoff past due)
    /// + the contact bump (call-responsive, past-due invoices, the days after a right-party contact); × the disputed
    /// multiplier for a disputed invoice.
    mutating func accrueArchetypeHazard(day: Int, rng: inout RandomSource, records: ChunkRecords) {
        let customer = account.local
        let cutoff = account.unaidedCutoffDaysPastDue
        let daysSinceContact = account.contactBump ? day - state.lastRPC : 0
        var kept = 0
        for position in 0..<open.count {
            var invoice = open[position]
            var closed = false
            let daysPastDue = day - Int(invoice.due)
            var hazard = daysPastDue > cutoff ? 0 : ArchetypeWorld.baseline(day - Int(invoice.shiftedDue)) * account.hazardFactor
            if daysSinceContact > 0 {
                hazard += ArchetypeWorld.contactBump(daysPastDue: daysPastDue, daysSinceContact: daysSinceContact)
            }
            if invoice.disputed { hazard *= ArchetypeWorld.disputedHazardMultiplier }
            invoice.cumulative += hazard
            if hazard > 0, invoice.cumulative >= invoice.threshold {
                if rng.uniform() < ArchetypeWorld.partialPaymentShare, invoice.remaining >= 200 {
                    Self.payPart(&invoice, fractions: ArchetypeWorld.partialPaymentFraction, day: day, customer: customer,
                                 rng: &rng, records: records)
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

    /// A call's outcome in the archetypes world, and whether the customer raises a new dispute on it.
    ///
    /// The right party answers with the window's probability; then it disputes (again, when a disputed invoice is past
    /// due; or newly, on one of its past-due invoices, with the archetype's probability), refuses, promises or talks.
    func drawArchetypeOutcome(rpcProbability: Double, pastDue: PastDue, rng: inout RandomSource) -> (CallOutcome, Bool) {
        guard rng.uniform() < rpcProbability else {
            switch rng.pick(World.missWeights) {
            case 0: return (.noAnswer, false)
            case 1: return (.voicemail, false)
            default: return (.wrongParty, false)
            }
        }
        let rules = ArchetypeWorld.rules[Int(account.archetype.rawValue)]
        let pAgain = pastDue.hasDisputed ? ArchetypeWorld.disputeGivenRPCWithOpenDispute : 0
        let pRaise = pastDue.balance > 0 ? (1 - pAgain) * rules.raiseDisputeGivenRPC : 0
        let pRefused = (1 - pAgain - pRaise) * rules.refusedGivenRPC
        let pPromise = (1 - pAgain - pRaise - pRefused) * rules.promiseGivenRPC
        let draw = rng.uniform()
        if draw < pAgain { return (.dispute, false) }
        if draw < pAgain + pRaise { return (.dispute, true) }
        if draw < pAgain + pRaise + pRefused { return (.refused, false) }
        if draw < pAgain + pRaise + pRefused + pPromise { return (.promise, false) }
        return (.rightParty, false)
    }

    /// Disputes one of the non-disputed past-due open invoices, drawn uniformly: from `day` on it is disputed (its
    /// hazard falls, promises skip it, and the export's `disputed` flag shows it), and the dispute is recorded.
    mutating func raiseDispute(on day: Int, rng: inout RandomSource, records: ChunkRecords) {
        var candidates = 0
        for invoice in open where Int(invoice.due) < day && !invoice.disputed { candidates += 1 }
        guard candidates > 0 else { return }
        var pick = rng.below(candidates)
        for position in open.indices where Int(open[position].due) < day && !open[position].disputed {
            if pick == 0 {
                open[position].disputed = true
                let record = open[position].record
                let row = Int(record) - records.invoiceRecordBase
                if row >= 0 { records.invoices[row].disputed = true }
                records.disputes.append(DisputeRecord(customer: account.local, invoice: record, day: Int32(day)))
                return
            }
            pick -= 1
        }
    }

    /// Records an instalment promise made on `call` — the past-due balance divided by k (k drawn from the archetype's
    /// range; whole below the instalment minimum), due 2–10 days later — and returns what the day loop needs of it.
    ///
    /// P(kept) = keptBase + keptSlope · promise_reliability − penalty · min(broken streak, cap), clamped; a kept
    /// promise pays its amount on the promised date (oldest non-disputed invoices first), a broken one pays nothing.
    func makeInstalmentPromise(day: Int, call: Int32, promisable: Int64, rng: inout RandomSource,
                               records: ChunkRecords) -> ActivePromise {
        let rules = ArchetypeWorld.rules[Int(account.archetype.rawValue)]
        let minorPerMajor = account.minorPerMajor
        let horizon = rng.integer(ArchetypeWorld.promiseHorizonDays.lowerBound, ArchetypeWorld.promiseHorizonDays.upperBound)
        let promised = day + horizon
        let parts = rng.integer(rules.instalments.lowerBound, rules.instalments.upperBound)
        var amount = promisable
        if parts > 1, promisable >= account.instalmentMinimum {
            let whole = promisable / Int64(parts) / minorPerMajor * minorPerMajor
            amount = min(promisable, max(minorPerMajor, whole))
        }
        let streak = Double(min(state.brokenStreak, ArchetypeWorld.brokenStreakCap))
        let range = ArchetypeWorld.keptProbabilityRange
        let raw = rules.keptBase + rules.keptSlope * account.reliability - ArchetypeWorld.brokenStreakPenalty * streak
        let keptProbability = rounded(min(range.upperBound, max(range.lowerBound, raw)), places: 4)
        let isKept = rng.uniform() < keptProbability
        records.promises.append(PromiseRecord(
            customer: account.local, created: Int32(day), promised: Int32(promised), call: call,
            kept: isKept, amount: amount, keptProbability: keptProbability))
        return ActivePromise(windowEnd: promised + ArchetypeWorld.promiseGraceDays, kept: isKept,
                             paymentDay: isKept ? promised : Int.min, paymentAmount: isKept ? amount : 0,
                             record: Int32(records.promises.count - 1), promisedDay: promised, promisedAmount: amount,
                             keptProbability: keptProbability)
    }
}
