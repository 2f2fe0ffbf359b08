extension CustomerWorld {
    /// A copy whose already-drawn but not yet revealed randomness is drawn afresh from `rng`: each open invoice's
    /// hazard threshold becomes its accrued hazard plus an Exp(1) draw (the hazard clock is memoryless, so this is
    /// the threshold's distribution given that the invoice is still open). An open promise keeps its drawn outcome.
    func forgettingRealizedDraws(rng: inout RandomSource) -> CustomerWorld {
        var copy = self
        for position in copy.open.indices {
            copy.open[position].threshold = copy.open[position].cumulative + rng.exponential()
        }
        return copy
    }
}
