import CivilTime
import CallGrid
import Foundation

/// One customer's static attributes and latent traits (the truth.json entry).
struct CustomerRecord {
    var index: Int
    var segment: Int
    var zone: Int
    var currency: Int
    var doNotCall: Bool
    var creditLimit: Int64
    var payPropensity: Double
    var delayTendency: Int
    var promiseReliability: Double
    var pattern: Int
    var reach: Double
    var bestWindow: Int
    var doubtfulFrom: Int?
    var onboarded: Int
    var invoicingStops: Int?
    var intervalDays: Int
    var defaultTerms: Int
    var typicalInvoice: Int64
    /// Range of this customer's promises in the chunk's promise list.
    var firstPromise: Int
    var promiseEnd: Int
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
struct CustomerSimulator {
    let seed: UInt64
    let start: Int
    let end: Int
    let agentCount: Int
    let tables: TimeTables

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

    private struct ActivePromise {
        var windowEnd: Int
        var kept: Bool
        var paymentDay: Int
        var paymentAmount: Int64
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

    mutating func simulate(customer index: Int, into records: ChunkRecords) {
        var rng = RandomSource(seed: seed, stream: UInt64(index))
        let length = end - start
        let local = Int32(records.customers.count)

        // Static attributes and latent traits.
        let segmentIndex = rng.pick(World.segmentShares)
        let segment = World.segments[segmentIndex]
        let zone = rng.pick(World.zoneShares)
        let currencyIndex = World.zoneCurrency[zone]
        let currency = World.currencies[currencyIndex]
        let minorPerMajor: Int64 = currency.decimals == 0 ? 1 : 100
        let minorPerUSD = currency.perUSD * Double(minorPerMajor)
        let doNotCall = rng.bernoulli(World.doNotCallShare)
        let payPropensity = rounded(rng.normal(mean: segment.payPropensityMean, sd: segment.payPropensitySD), places: 4)
        let delay = min(World.delayRange.upperBound, max(World.delayRange.lowerBound,
                        Int(rng.normal(mean: segment.delayMeanDays, sd: segment.delaySDDays).rounded())))
        let reliability = rounded(logistic(rng.normal(mean: segment.reliabilityLogitMean, sd: segment.reliabilityLogitSD)), places: 4)
        let patternIndex = rng.pick(segment.patternWeights)
        let pattern = World.contactPatterns[patternIndex]
        let reach = rounded(rng.uniform(segment.reach.lowerBound, segment.reach.upperBound), places: 4)

        let windowBase = records.windows.count
        var bestWindow = 0
        var bestProbability = -1.0
        for window in 0..<CallWindows.count {
            let level = pattern.probabilities[window]
            let noise = Foundation.exp(World.windowNoiseSD * rng.normal())
            let probability = rounded(min(World.maximumWindowProbability, level * reach * noise), places: 4)
            records.windows.append(probability)
            if probability > bestProbability {
                bestProbability = probability
                bestWindow = window
            }
        }

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
        let typicalInvoice = max(minorPerMajor, Int64((typicalMajor * Double(minorPerMajor)).rounded()))
        let limitMajor = typicalMajor * World.creditLimitMonths * 30 / Double(interval)
        let creditLimit = Int64((limitMajor / 1000).rounded(.up)) * 1000

        let firstPromise = records.promises.count

        // Day-by-day history.
        let customerFactor = Foundation.exp(payPropensity)
        let minimumPastDue = Int64((World.minimumPastDueUSD * minorPerUSD).rounded())
        let invoicingStopDay = invoicingStops ?? Int.max
        let stopsPayingDay = doubtfulFrom ?? Int.max
        var nextInvoice = onboarded + rng.below(interval)
        var lastRPC = Int.min / 2
        var callHoldUntil = Int.min
        var attempts = (Int.min / 2, Int.min / 2, Int.min / 2)
        var promise: ActivePromise?
        var keptPromises = 0
        var resolvedPromises = 0
        open.removeAll(keepingCapacity: true)

        var day = onboarded
        while day < end {
            if let active = promise, day > active.windowEnd {
                resolvedPromises += 1
                if active.kept { keptPromises += 1 }
                promise = nil
            }

            if day == nextInvoice {
                if day < invoicingStopDay {
                    issueInvoice(day: day, customer: local, typicalInvoice: typicalInvoice, minimum: minorPerMajor,
                                 segment: segment, defaultTerms: defaultTerms, delay: delay, rng: &rng, records: records)
                }
                let gap = Double(interval) * rng.uniform(World.invoiceGapJitter.lowerBound, World.invoiceGapJitter.upperBound)
                nextInvoice = day + max(1, Int(gap.rounded()))
            }

            let paymentsBefore = records.payments.count
            if let active = promise {
                if day == active.paymentDay {
                    allocate(active.paymentAmount, day: day, customer: local, records: records)
                }
            } else if day < stopsPayingDay, !open.isEmpty {
                let recentContact = day - lastRPC >= 1 && day - lastRPC <= World.rpcEffectDays
                let factor = customerFactor * (recentContact ? World.rpcHazardMultiplier : 1)
                accrueHazard(day: day, factor: factor, customer: local, rng: &rng, records: records)
            }

            // The aging policy: at most one attempt per local weekday.
            if !doNotCall, promise == nil, day >= callHoldUntil, records.payments.count == paymentsBefore,
               CivilDate.weekday(Int32(day)) < 5, !open.isEmpty {
                var pastDue: Int64 = 0
                var oldest = 0
                var disputedPastDue = false
                for invoice in open where Int(invoice.due) < day {
                    if invoice.disputed {
                        disputedPastDue = true
                    } else {
                        pastDue += invoice.remaining
                        oldest = max(oldest, day - Int(invoice.due))
                    }
                }
                let recentAttempts = (attempts.0 >= day - 6 ? 1 : 0) + (attempts.1 >= day - 6 ? 1 : 0) + (attempts.2 >= day - 6 ? 1 : 0)
                if pastDue >= minimumPastDue, oldest >= World.minimumDaysPastDue,
                   recentAttempts < World.maximumAttemptsPer7Days,
                   rng.bernoulli(World.callProbability(daysPastDue: oldest)) {
                    let secondOfDay = rng.bernoulli(World.uniformShiftShare)
                        ? 8 * 3600 + rng.below(10 * 3600)
                        : 9 * 3600 + rng.below(3 * 3600)
                    let utc = day * 86_400 + secondOfDay - tables.utcOffset(zone: zone, day: day)
                    if utc >= start * 86_400, utc < end * 86_400 {
                        let window = CallWindows.index(weekday: CivilDate.weekday(Int32(day)), hour: secondOfDay / 3600)
                        let doubtfulNow = day >= stopsPayingDay
                        var outcome: CallOutcome
                        if rng.uniform() < records.windows[windowBase + window] {
                            let pDispute = disputedPastDue ? World.disputeGivenRPCWithOpenDispute : World.disputeGivenRPCOtherwise
                            let pRefused = doubtfulNow ? World.refusedGivenRPCWhenDoubtful : World.refusedGivenRPC
                            let pPromise = (1 - pDispute - pRefused) * (World.promiseBase + World.promiseSlope * reliability)
                            let draw = rng.uniform()
                            if draw < pDispute {
                                outcome = .dispute
                            } else if draw < pDispute + pRefused {
                                outcome = .refused
                            } else if draw < pDispute + pRefused + pPromise {
                                outcome = .promise
                            } else {
                                outcome = .rightParty
                            }
                        } else {
                            switch rng.pick(World.missWeights) {
                            case 0: outcome = .noAnswer
                            case 1: outcome = .voicemail
                            default: outcome = .wrongParty
                            }
                        }
                        let callIndex = Int32(records.calls.count)
                        records.calls.append(CallRecord(
                            customer: local, outcome: outcome.rawValue, agent: Int32(rng.below(agentCount)),
                            duration: Int32(Self.duration(of: outcome, rng: &rng)), utcSeconds: Int64(utc)))
                        attempts = (attempts.1, attempts.2, day)
                        if outcome.isRightPartyContact { lastRPC = day }
                        switch outcome {
                        case .rightParty, .refused:
                            callHoldUntil = day + World.rpcCooldownDays
                        case .dispute:
                            callHoldUntil = day + World.disputeHoldDays
                        case .promise:
                            promise = makePromise(day: day, call: callIndex, customer: local, promisable: pastDue,
                                                  minorPerMajor: minorPerMajor, reliability: reliability,
                                                  kept: keptPromises, resolved: resolvedPromises, doubtful: doubtfulNow,
                                                  rng: &rng, records: records)
                        default:
                            break
                        }
                    }
                }
            }
            day += 1
            // Nothing happens to a customer without open invoices or an open promise until the next invoice.
            if open.isEmpty, promise == nil {
                if day >= invoicingStopDay { break }
                day = max(day, nextInvoice)
            }
        }

        records.customers.append(CustomerRecord(
            index: index, segment: segmentIndex, zone: zone, currency: currencyIndex, doNotCall: doNotCall,
            creditLimit: creditLimit, payPropensity: payPropensity, delayTendency: delay,
            promiseReliability: reliability, pattern: patternIndex, reach: reach, bestWindow: bestWindow,
            doubtfulFrom: doubtfulFrom, onboarded: onboarded, invoicingStops: invoicingStops,
            intervalDays: interval, defaultTerms: defaultTerms, typicalInvoice: typicalInvoice,
            firstPromise: firstPromise, promiseEnd: records.promises.count))
    }

    private mutating func issueInvoice(day: Int, customer: Int32, typicalInvoice: Int64, minimum: Int64,
                                       segment: World.Segment, defaultTerms: Int, delay: Int,
                                       rng: inout RandomSource, records: ChunkRecords) {
        let terms = rng.bernoulli(World.otherTermsShare) ? World.terms[rng.below(World.terms.count)] : defaultTerms
        let amount = max(minimum, Int64((Double(typicalInvoice) * Foundation.exp(segment.invoiceAmountSigma * rng.normal())).rounded()))
        let disputed = rng.bernoulli(World.disputedInvoiceShare)
        let neverPaid = disputed && rng.bernoulli(World.disputedNeverPaidShare)
        let due = day + terms
        records.invoices.append(InvoiceRecord(customer: customer, issued: Int32(day), due: Int32(due), disputed: disputed, amount: amount))
        let entry = OpenInvoice(
            record: Int32(records.invoices.count - 1), due: Int32(due), shiftedDue: Int32(due + delay),
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

    private func makePromise(day: Int, call: Int32, customer: Int32, promisable: Int64, minorPerMajor: Int64,
                             reliability: Double, kept: Int, resolved: Int, doubtful: Bool,
                             rng: inout RandomSource, records: ChunkRecords) -> ActivePromise {
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
            let history = Double(kept + 1) / Double(resolved + 2) - 0.5
            let logit = World.promiseIntercept + World.promiseReliabilityCoefficient * reliability
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
            customer: customer, created: Int32(day), promised: Int32(promised), call: call,
            kept: isKept, amount: amount, keptProbability: keptProbability))
        return ActivePromise(windowEnd: windowEnd, kept: isKept, paymentDay: paymentDay, paymentAmount: paymentAmount)
    }

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
