/// The simulator's true value of another policy's call decisions on the logged days: the check of an off-policy
/// estimate (`arscore compare` from selections.csv) against what the world would have paid.
///
/// While the loop runs, the queue policy records every call candidate's state at the start of each calling day
/// (`logCandidates`) and, for each shadow policy, the calls it would have made that day on the same export
/// (`logShadowCalls`). Afterwards, for each candidate day (d, c), the cash c pays in [d, d + H) is the logged cash when
/// the shadow's decision for c on d equals the logged one, and otherwise a replay of c from its day-d state with the
/// decision flipped: the same random streams as the loop (one per customer, day and purpose), the loop's own calls to
/// c on the later days. Customers do not interact in the world, so this is exactly the cash of the world in which
/// only that one decision changed. The true value is the mean over candidate days (US dollars): the estimand of SNIPS
/// over the logged rows.
extension ClosedLoopWorld {
    /// Records `calls` (customer, second of the day) as what the shadow policy `name` would have called today.
    public func logShadowCalls(_ name: String, calls: [PlannedCall]) {
        shadowCalls[name, default: [:]][day] = Dictionary(calls.map { ($0.customer, $0.secondOfDay) }, uniquingKeysWith: { a, _ in a })
    }

    /// The true value of each shadow policy's decisions over the logged candidate days whose window ends by the loop's
    /// end, by name.
    public func shadowValues(horizonDays: Int) -> [String: CandidateDayValue] {
        let actual = actualCash(horizonDays: horizonDays)
        var values: [String: CandidateDayValue] = [:]
        for (name, byDay) in shadowCalls {
            var cash: [Double] = []
            for (index, candidate) in candidateLog.enumerated() where candidate.day + horizonDays <= end {
                let logged = placedCalls[candidate.customer]?[candidate.day]
                let shadow = byDay[candidate.day]?[candidate.customer]
                if (logged == nil) == (shadow == nil) {
                    cash.append(actual[index])
                } else {
                    cash.append(replayCash(customer: candidate.customer, from: candidate.day, state: candidateStates[index],
                                           callToday: shadow, horizonDays: horizonDays))
                }
            }
            values[name] = CandidateDayValue(cash, horizonDays: horizonDays)
        }
        return values
    }

    /// Per logged candidate day: the cash (US dollars) the customer actually paid in [day, day + `horizonDays`).
    func actualCash(horizonDays: Int) -> [Double] {
        var paymentsByCustomer = [[(day: Int32, usd: Double)]](repeating: [], count: customers.count)
        for payment in records.payments[paymentsBeforeLoop...] {
            let usd = Double(payment.amount) / customers[Int(payment.customer)].account.minorPerUSD
            paymentsByCustomer[Int(payment.customer)].append((payment.day, usd))
        }
        return candidateLog.map { candidate in
            paymentsByCustomer[candidate.customer].reduce(0) { sum, payment in
                sum + (Int(payment.day) >= candidate.day && Int(payment.day) < candidate.day + horizonDays ? payment.usd : 0)
            }
        }
    }

    /// The cash (US dollars) `customer` pays in [day, day + `horizonDays`) when run from `state` (its state at the
    /// start of `day`) with a call today at `callToday` (nil: none) and the loop's own calls on the later days, on the
    /// loop's random streams.
    public func replayCash(customer: Int, from day: Int, state: CustomerWorldState, callToday: Int?, horizonDays: Int) -> Double {
        let scratch = ChunkRecords()
        scratch.windows = records.windows
        scratch.invoiceRecordBase = records.invoices.count
        var world = state.world
        for replayDay in day..<min(end, day + horizonDays) {
            var rng = RandomSource(seed: loopSeed, customer: customer, day: replayDay, purpose: 0)
            _ = world.beginDay(replayDay, rng: &rng, records: scratch)
            let second = replayDay == day ? callToday : placedCalls[customer]?[replayDay]
            if let second {
                var callRng = RandomSource(seed: loopSeed, customer: customer, day: replayDay, purpose: 1)
                world.placeCall(on: replayDay, secondOfDay: second, context: context, rng: &callRng, records: scratch)
            }
        }
        return Double(scratch.payments.reduce(Int64(0)) { $0 + $1.amount }) / state.world.account.minorPerUSD
    }
}

/// A customer's world at the start of a logged candidate day (kept for the counterfactual replays).
public struct CustomerWorldState {
    let world: CustomerWorld
}

extension CandidateDayValue {
    /// The mean and its standard error of `cash` (one value per candidate day); at least two values.
    init(_ cash: [Double], horizonDays: Int) {
        let mean = cash.reduce(0, +) / Double(max(1, cash.count))
        let variance = cash.count > 1 ? cash.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(cash.count - 1) : 0
        self.init(horizonDays: horizonDays, candidateDays: cash.count, meanCashUSD: mean,
                  standardErrorUSD: (variance / Double(max(1, cash.count))).squareRoot())
    }
}
