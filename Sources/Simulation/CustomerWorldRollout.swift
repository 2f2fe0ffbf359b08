import Foundation

extension CustomerWorld {
    /// A copy whose already-drawn but not yet revealed randomness is drawn afresh from `rng`, for a policy that knows
    /// the world's rules and the customer's traits but not the random numbers the world has yet to reveal.
    ///
    /// Both worlds: each open invoice's hazard threshold becomes its accrued hazard plus an Exp(1) draw (the hazard clock
    /// is memoryless, so this is the threshold's distribution given that the invoice is still open).
    /// - `lift`: a disputed invoice's never-paid mark is redrawn from its probability given that it is still open,
    ///   s / (s + (1 − s) · exp(−accrued hazard)), s = `World.disputedNeverPaidShare` (known when it was partly paid:
    ///   then it is payable). An open promise keeps its drawn outcome (its payment day and amount are spread over the
    ///   promise window, so what is revealed depends on the day; no policy calls an account while a promise is open).
    /// - `archetypes`: an open promise whose promised date has not yet come has its outcome redrawn with its P(kept)
    ///   (a kept promise pays on its promised date, so nothing about the outcome is revealed before).
    /// Same `rng` state, same copy.
    func forgettingRealizedDraws(rng: inout RandomSource) -> CustomerWorld {
        var copy = self
        for position in copy.open.indices {
            copy.open[position].threshold = copy.open[position].cumulative + rng.exponential()
        }
        switch account.world {
        case .lift: copy.redrawNeverPaid(rng: &rng)
        case .archetypes: copy.redrawInstalmentOutcome(rng: &rng)
        }
        return copy
    }

    /// Redraws the never-paid mark of every open disputed invoice not yet partly paid, given that it is still open.
    private mutating func redrawNeverPaid(rng: inout RandomSource) {
        let share = World.disputedNeverPaidShare
        for position in open.indices where open[position].disputed && !open[position].partlyPaid {
            let payableStillOpen = (1 - share) * Foundation.exp(-open[position].cumulative)
            open[position].neverPaid = rng.uniform() < share / (share + payableStillOpen)
        }
    }

    /// Redraws the open promise's outcome when its promised date (its only payment day) is still to come.
    private mutating func redrawInstalmentOutcome(rng: inout RandomSource) {
        guard var active = state.promise, state.lastDay < active.promisedDay else { return }
        active.kept = rng.uniform() < active.keptProbability
        active.paymentDay = active.kept ? active.promisedDay : Int.min
        active.paymentAmount = active.kept ? active.promisedAmount : 0
        state.promise = active
    }
}
