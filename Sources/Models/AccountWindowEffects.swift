import LinearAlgebra

/// The account level of the pooled call-window model: an account's own deviations from its group's rates, each
/// shrunk by how much history supports it.
///
/// Starting from the group prediction `P_w = g·M_w + (1 − g)·Π_w` (the account's posterior profile mix M blended
/// with the population mix Π by the group weight g), with the account's attempts `n_w`
/// and right-party contacts `r_w`, rates are multiplied by ratios with gamma(κ, κ) priors of mean 1, so a ratio is
/// `(observed contacts + κ) / (expected contacts + κ)`:
/// 1. overall `ν = (Σ r + κ_A) / (Σ n·P + κ_A)` (how reachable the account is at all);
/// 2. weekday `ρ_d` and hour block `σ_b`, alternately (`sweeps` times):
///    `ρ_d = (Σ_{w∈d} r_w + κ_D) / (Σ_{w∈d} n_w·ν·P_w·σ_b(w) + κ_D)`, and the same for `σ_b` given `ρ`;
/// 3. the window interaction, binomial: `p_w = (r_w + m·q_w) / (n_w + m)` with `q_w = ν·P_w·ρ_d(w)·σ_b(w)`, kept in
///    [1e-6, 0.99].
/// A level whose strength is nil is left out (ratio 1, or no interaction). κ are pseudo expected contacts, m
/// pseudo-attempts; an account without history gets `P_w` unchanged. The strengths are estimated from held-out
/// likelihood inside the training history (`CallWindowShrinkageTuner`). Cost: a few passes over accounts × windows.
public struct AccountWindowEffects: Codable, Equatable, Sendable {
    /// How windows group into weekdays and hour blocks.
    public var layout: CallWindowLayout
    /// g in [0, 1]: weight of the account's posterior profile mix against the population mix (1: groups only).
    public var groupWeight: Double
    /// κ_A, pseudo expected contacts of the overall ratio (nil: no overall level).
    public var overallStrength: Double?
    /// κ_D of each weekday ratio (nil: no weekday level).
    public var weekdayStrength: Double?
    /// κ_B of each hour-block ratio (nil: no hour level).
    public var hourStrength: Double?
    /// m, pseudo-attempts of the window interaction (nil: no interaction).
    public var windowStrength: Double?
    /// Alternating weekday / hour-block updates.
    public var sweeps: Int

    public init(layout: CallWindowLayout, groupWeight: Double = 1, overallStrength: Double?, weekdayStrength: Double?, hourStrength: Double?,
                windowStrength: Double?, sweeps: Int = 2) {
        self.layout = layout
        self.groupWeight = groupWeight
        self.overallStrength = overallStrength
        self.weekdayStrength = weekdayStrength
        self.hourStrength = hourStrength
        self.windowStrength = windowStrength
        self.sweeps = sweeps
    }

    /// Why the effects do not fit a model of `windows` windows, or nil.
    func problem(windows: Int) -> String? {
        if let layoutProblem = layout.problem(windows: windows) { return "account_effects: " + layoutProblem }
        for (name, strength) in [("overall_strength", overallStrength), ("weekday_strength", weekdayStrength),
                                 ("hour_strength", hourStrength), ("window_strength", windowStrength)] {
            if let value = strength, !(value.isFinite && value > 0) { return "account_effects: \(name) must be finite and > 0" }
        }
        guard groupWeight >= 0 && groupWeight <= 1 else { return "account_effects: group_weight must be in [0, 1]" }
        guard (1...10).contains(sweeps) else { return "account_effects: sweeps must be 1 … 10" }
        return nil
    }

    /// Applies the account level to the posterior profile mixes `prior` (row-major accounts × windows, changed in
    /// place), blending each row with `population` (the no-history mix, one rate per window) first.
    func apply(to prior: inout Matrix, population: [Double], attempts: Matrix, contacts: Matrix) {
        let w = prior.columns, g = groupWeight, days = layout.weekdays, blocks = layout.hourBlocks
        let weekday = layout.weekdayOfWindow, block = layout.hourBlockOfWindow
        prior.storage.withUnsafeMutableBufferPointer { out in
            attempts.storage.withUnsafeBufferPointer { tries in
                contacts.storage.withUnsafeBufferPointer { hits in
                    var rho = [Double](repeating: 1, count: days), sigma = [Double](repeating: 1, count: blocks)
                    var dayHits = rho, blockHits = sigma, expected = [Double](repeating: 0, count: max(days, blocks))
                    for row in 0..<prior.rows {
                        let base = row * w
                        if g < 1 { for window in 0..<w { out[base + window] = g * out[base + window] + (1 - g) * population[window] } }
                        var allTries = 0.0
                        for window in 0..<w { allTries += tries[base + window] }
                        guard allTries > 0 else { continue }
                        // 1. Overall reach.
                        if let kappa = overallStrength {
                            var observed = 0.0, predicted = 0.0
                            for window in 0..<w {
                                observed += hits[base + window]
                                predicted += tries[base + window] * out[base + window]
                            }
                            let nu = (observed + kappa) / (predicted + kappa)
                            for window in 0..<w { out[base + window] *= nu }
                        }
                        // 2. Weekday and hour-block ratios, alternately.
                        for index in 0..<days { rho[index] = 1; dayHits[index] = 0 }
                        for index in 0..<blocks { sigma[index] = 1; blockHits[index] = 0 }
                        for window in 0..<w {
                            dayHits[weekday[window]] += hits[base + window]
                            blockHits[block[window]] += hits[base + window]
                        }
                        for _ in 0..<sweeps {
                            if let kappa = weekdayStrength {
                                for index in 0..<days { expected[index] = 0 }
                                for window in 0..<w {
                                    expected[weekday[window]] += tries[base + window] * out[base + window] * sigma[block[window]]
                                }
                                for index in 0..<days { rho[index] = (dayHits[index] + kappa) / (expected[index] + kappa) }
                            }
                            if let kappa = hourStrength {
                                for index in 0..<blocks { expected[index] = 0 }
                                for window in 0..<w {
                                    expected[block[window]] += tries[base + window] * out[base + window] * rho[weekday[window]]
                                }
                                for index in 0..<blocks { sigma[index] = (blockHits[index] + kappa) / (expected[index] + kappa) }
                            }
                        }
                        // 3. The shrunk window interaction.
                        for window in 0..<w {
                            let q = min(max(out[base + window] * rho[weekday[window]] * sigma[block[window]], 1e-6), 0.99)
                            if let m = windowStrength {
                                out[base + window] = (hits[base + window] + m * q) / (tries[base + window] + m)
                            } else {
                                out[base + window] = q
                            }
                        }
                    }
                }
            }
        }
    }
}
