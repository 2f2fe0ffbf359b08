import Foundation
import LinearAlgebra
import Parallelism

/// Fits a `CallWindowModel`: a mixture of K contact profiles over call windows, by expectation–maximisation.
///
/// Each account's history is its attempts `n_w` and right-party contacts `r_w` per window; given profile k the
/// contacts are binomial(n_w, p_kw). EM alternates posteriors `γ_ak` (E-step, one GEMM) and
/// `p_kw = (Σ_a γ_ak r_aw + α·q_w) / (Σ_a γ_ak n_aw + α)`, `π_k = mean_a γ_ak` (M-step, GEMMs), where `q_w` is the
/// pooled population rate and `α` (`profilePriorAttempts`) keeps thin profiles near it and away from 0 and 1.
/// Several seeded random starts are run and the one of highest likelihood kept, so results are deterministic.
///
/// The population rates pool every account; EM and the account-level tuner run on a sample of at most
/// `maximumAccounts` accounts with attempts, the first of them in the caller's sample order. Everything the fit reads
/// is a `CallWindowStatistics` (population sums + the sample rows in order), so shards' statistics added and merged
/// give the one-machine model (`fit(statistics:windowNames:options:)`).
public enum CallWindowFitter {
    /// Fitting options.
    public struct Options: Sendable, Equatable {
        /// Number of profiles K.
        public var profiles: Int
        /// Random starts; the best likelihood wins.
        public var starts: Int
        /// EM iteration limit per start.
        public var maximumIterations: Int
        /// Stop when the log-likelihood improves by less than this, relative to its size.
        public var relativeTolerance: Double
        /// Pseudo-attempts at the population rate added to every profile and window (α).
        public var profilePriorAttempts: Double
        /// Reach levels: each profile shape q_k appears once per level s as the component s·q_k, so accounts that
        /// share a pattern of good windows but differ in how often they answer at all share one shape.
        public var reachLevels: [Double]
        /// Pseudo-attempts m of the profile mix when shrinking towards an account's own window rates (nil: none);
        /// used only when `estimatesAccountEffects` is false.
        public var historyPriorStrength: Double?
        /// Whether to add the account level (`AccountWindowEffects`) with strengths estimated by held-out likelihood.
        public var estimatesAccountEffects: Bool
        /// Weekday and hour-block groups of the windows for the account level (nil: overall and window levels only).
        public var layout: CallWindowLayout?
        /// At most this many accounts (those with attempts, the first in the caller's sample order) enter EM; the
        /// rest count in the population rates and are scored only.
        public var maximumAccounts: Int
        /// Seed of the random starts.
        public var seed: UInt64

        public init(profiles: Int = 8, starts: Int = 4, maximumIterations: Int = 500, relativeTolerance: Double = 1e-7,
                    profilePriorAttempts: Double = 2, reachLevels: [Double] = [0.4, 0.55, 0.7, 0.85, 1.0],
                    historyPriorStrength: Double? = nil, estimatesAccountEffects: Bool = true, layout: CallWindowLayout? = nil,
                    maximumAccounts: Int = 10_000, seed: UInt64 = 20_261_123) {
            self.profiles = profiles
            self.starts = starts
            self.maximumIterations = maximumIterations
            self.relativeTolerance = relativeTolerance
            self.profilePriorAttempts = profilePriorAttempts
            self.reachLevels = reachLevels
            self.historyPriorStrength = historyPriorStrength
            self.estimatesAccountEffects = estimatesAccountEffects
            self.layout = layout
            self.maximumAccounts = maximumAccounts
            self.seed = seed
        }
    }

    /// Fits the mixture to per-account histories.
    ///
    /// - Parameters:
    ///   - attempts: attempts per account and window (row-major accounts × windows; counts ≥ 0).
    ///   - contacts: right-party contacts, same shape, each between 0 and its attempts.
    ///   - windowNames: one name per column.
    ///   - sampleOrder: the order in which accounts enter the EM sample (row indices, each at most once; nil = row
    ///     order): the first `options.maximumAccounts` of them with at least one attempt are sampled. The population
    ///     rates pool every row whatever the order.
    /// - Returns: the fitted model; a population-only model (with `fallback` saying why) when there are no attempts
    ///   or no right-party contacts at all.
    /// - Throws: `ModelFitError` for mismatched shapes, negative or inconsistent counts, or invalid options.
    public static func fit(attempts: Matrix, contacts: Matrix, windowNames: [String], options: Options = Options(),
                           sampleOrder: [Int]? = nil) throws -> CallWindowModel {
        try FitInputValidator.checkCallWindowInputs(attempts: attempts, contacts: contacts, windows: windowNames.count,
                                                    options: options)
        if let order = sampleOrder { try checkSampleOrder(order, rows: attempts.rows) }
        let statistics = CallWindowStatistics(attempts: attempts, contacts: contacts, sampleOrder: sampleOrder,
                                              maximumAccounts: options.maximumAccounts)
        return try fitChecked(statistics: statistics, windowNames: windowNames, options: options)
    }

    /// Fits the mixture from its sufficient statistics: the population sums and the sampled accounts' rows in sample
    /// order (what `fit(attempts:...)` computes from the full history, or a driver from shards' statistics).
    ///
    /// - Throws: `ModelFitError` for mismatched shapes, negative or inconsistent counts, a sample larger than
    ///   `options.maximumAccounts`, no sampled account while the population has attempts, or invalid options.
    public static func fit(statistics: CallWindowStatistics, windowNames: [String], options: Options = Options()) throws
        -> CallWindowModel {
        try FitInputValidator.checkCallWindowInputs(attempts: statistics.sampleAttempts, contacts: statistics.sampleContacts,
                                                    windows: windowNames.count, options: options)
        try checkPopulation(statistics, windows: windowNames.count, maximumAccounts: options.maximumAccounts)
        return try fitChecked(statistics: statistics, windowNames: windowNames, options: options)
    }

    /// The fit proper, on statistics already checked.
    private static func fitChecked(statistics: CallWindowStatistics, windowNames: [String], options: Options) throws
        -> CallWindowModel {
        let pooled = PooledHistory(totalAttempts: statistics.populationAttempts, totalContacts: statistics.populationContacts)
        if let reason = pooled.fallbackReason {
            return .populationOnly(windows: windowNames, rates: pooled.flatRates, attempts: Int(pooled.allAttempts),
                                   rightPartyContacts: Int(pooled.allContacts), reason: reason)
        }
        guard statistics.sampledAccounts > 0 else {
            throw ModelFitError.shapeMismatch("\(Int(pooled.allAttempts)) attempts in the population but no sampled account")
        }
        let population = pooled.populationRates
        let sampleAttempts = statistics.sampleAttempts, sampleContacts = statistics.sampleContacts
        let k = min(options.profiles, statistics.sampledAccounts) * options.reachLevels.count
        let fitted = try bestStart(attempts: sampleAttempts, contacts: sampleContacts,
                                   population: population, components: k, options: options)
        // Largest profile first (ties by the profile's rates, so the order never depends on the start).
        let order = (0..<k).sorted { a, b in
            if fitted.weights[a] != fitted.weights[b] { return fitted.weights[a] > fitted.weights[b] }
            return Array(fitted.profiles.row(a)).lexicographicallyPrecedes(Array(fitted.profiles.row(b)))
        }
        var model = CallWindowModel(
            windows: windowNames, profiles: order.map { Array(fitted.profiles.row($0)) },
            mixingWeights: order.map { fitted.weights[$0] }, populationRates: population,
            historyPriorStrength: options.estimatesAccountEffects ? nil : options.historyPriorStrength,
            fit: .init(iterations: fitted.iterations, converged: fitted.converged, logLikelihood: fitted.logLikelihood,
                       accounts: statistics.sampledAccounts, attempts: Int(pooled.allAttempts),
                       rightPartyContacts: Int(pooled.allContacts), starts: options.starts))
        if options.estimatesAccountEffects {
            model.accountEffects = try CallWindowShrinkageTuner.tune(
                model: model, layout: options.layout, attempts: sampleAttempts, contacts: sampleContacts, seed: options.seed)
        }
        return model
    }

    /// Refuses a sample order with a row outside `0 ..< rows` or a row listed twice.
    private static func checkSampleOrder(_ order: [Int], rows: Int) throws {
        var seen = [Bool](repeating: false, count: rows)
        for row in order {
            guard row >= 0, row < rows, !seen[row] else {
                throw ModelFitError.shapeMismatch("sample order: row \(row) is outside 0..<\(rows) or listed twice")
            }
            seen[row] = true
        }
    }

    /// Refuses population sums of the wrong length, negative or non-whole, or with more contacts than attempts, and a
    /// sample larger than the options allow.
    private static func checkPopulation(_ statistics: CallWindowStatistics, windows: Int, maximumAccounts: Int) throws {
        guard statistics.populationAttempts.count == windows, statistics.populationContacts.count == windows else {
            throw ModelFitError.shapeMismatch("\(windows) windows; population sums of \(statistics.populationAttempts.count) "
                + "and \(statistics.populationContacts.count) windows")
        }
        for window in 0..<windows {
            let n = statistics.populationAttempts[window], r = statistics.populationContacts[window]
            guard n.isFinite, r.isFinite, n >= 0, r >= 0, r <= n, n.rounded() == n, r.rounded() == r else {
                throw ModelFitError.invalidOption("population window \(window): \(r) contacts of \(n) attempts are not "
                    + "whole counts with 0 ≤ contacts ≤ attempts")
            }
        }
        guard statistics.sampledAccounts <= maximumAccounts else {
            throw ModelFitError.invalidOption("\(statistics.sampledAccounts) sampled accounts, more than the maximum \(maximumAccounts)")
        }
    }

    /// The training history pooled over accounts: the totals per window.
    struct PooledHistory {
        /// Attempts and right-party contacts per window, and over all windows.
        var totalAttempts: [Double]
        var totalContacts: [Double]
        let allAttempts: Double
        let allContacts: Double
        /// The overall contact rate (0 without attempts).
        let overall: Double

        init(totalAttempts: [Double], totalContacts: [Double]) {
            self.totalAttempts = totalAttempts
            self.totalContacts = totalContacts
            allAttempts = totalAttempts.reduce(0, +)
            allContacts = totalContacts.reduce(0, +)
            overall = allAttempts > 0 ? allContacts / allAttempts : 0
        }

        /// Why no profiles can be fitted (no attempts, or no contacts or no misses among them), or nil.
        var fallbackReason: String? {
            if allAttempts > 0, allContacts > 0, allContacts < allAttempts { return nil }
            return allAttempts == 0 ? "no call attempts in the training history"
                : "no right-party contacts (or no misses) among \(Int(allAttempts)) attempts"
        }

        /// The fallback's rate in every window: the overall rate, kept inside [0.001, 0.999].
        var flatRates: [Double] {
            [Double](repeating: min(max(overall, 1e-3), 1 - 1e-3), count: totalAttempts.count)
        }

        /// Population rate per window, itself shrunk to the overall rate where a window has few attempts.
        var populationRates: [Double] {
            (0..<totalAttempts.count).map { (totalContacts[$0] + 10 * overall) / (totalAttempts[$0] + 10) }
        }
    }

    /// Runs the EM starts and returns the one of highest likelihood (the lowest start index on ties, so the result
    /// does not depend on scheduling). Starts are independent: they run on all cores, BLAS single-threaded meanwhile.
    private static func bestStart(attempts: Matrix, contacts: Matrix, population: [Double], components k: Int,
                                  options: Options) throws -> EMOutcome {
        let history = CallWindowHistory(attempts: attempts, contacts: contacts)
        let outcomes = StartOutcomes(count: options.starts)
        let runStart: @Sendable (Int) -> Void = { start in
            outcomes.set(start, Result {
                try runEM(start: start, history: history, attempts: attempts, contacts: contacts,
                          population: population, components: k, options: options)
            })
        }
        if options.starts > 1 && ProcessInfo.processInfo.activeProcessorCount > 1 {
            BLAS.withSingleThreaded {
                Parallel.perform(options.starts) { runStart($0) }
            }
        } else {
            for start in 0..<options.starts { runStart(start) }
        }
        var best: EMOutcome?
        for start in 0..<options.starts {
            let outcome = try outcomes.get(start).get()
            if best == nil || outcome.logLikelihood > best!.logLikelihood { best = outcome }
        }
        return best!
    }

    /// The result of one EM start.
    struct EMOutcome {
        var profiles: Matrix
        var weights: [Double]
        var logLikelihood: Double
        var iterations: Int
        var converged: Bool
    }

    /// EM from the random start `start` until the likelihood stops improving or the iteration limit.
    private static func runEM(start: Int, history: CallWindowHistory, attempts: Matrix, contacts: Matrix, population: [Double],
                              components k: Int, options: Options) throws -> EMOutcome {
        var random = SplitMix64(seed: options.seed &+ UInt64(start) &* 0x9E37_79B9_7F4A_7C15)
        // Random soft assignments, then an M-step, give the starting profiles.
        let n = attempts.rows
        var gamma = Matrix(rows: n, columns: k)
        for row in 0..<n {
            var sum = 0.0
            for profile in 0..<k {
                let e = -log(max(random.nextUnit(), 1e-300))
                gamma.storage[row * k + profile] = e
                sum += e
            }
            for profile in 0..<k { gamma.storage[row * k + profile] /= sum }
        }
        var (profiles, weights) = try maximise(gamma: gamma, attempts: attempts, contacts: contacts, population: population,
                                               alpha: options.profilePriorAttempts, reachLevels: options.reachLevels)
        var previous = -Double.infinity, logLikelihood = -Double.infinity
        var iterations = 0, converged = false
        while iterations < options.maximumIterations {
            iterations += 1
            let step = try CallWindowModel.posteriors(history: history, profiles: profiles, mixingWeights: weights)
            logLikelihood = step.logLikelihood
            (profiles, weights) = try maximise(gamma: step.gamma, attempts: attempts, contacts: contacts, population: population,
                                               alpha: options.profilePriorAttempts, reachLevels: options.reachLevels)
            if logLikelihood - previous <= options.relativeTolerance * abs(logLikelihood) {
                converged = true
                break
            }
            previous = logLikelihood
        }
        return EMOutcome(profiles: profiles, weights: weights, logLikelihood: logLikelihood, iterations: iterations,
                         converged: converged)
    }

    /// M-step. Component c = (shape k, reach level l) has rates `s_l·q_kw`; the shape is
    /// `q_kw = (Σ_l (Γᵀ R)_(k,l),w + α q_w) / (Σ_l s_l (Γᵀ N)_(k,l),w + α)` (the Poisson form of the binomial M-step,
    /// exact for one level at s = 1 and close while rates are moderate), capped so every rate stays below 0.98;
    /// weights are `mean(Γ)`.
    private static func maximise(gamma: Matrix, attempts: Matrix, contacts: Matrix, population: [Double], alpha: Double,
                                 reachLevels: [Double]) throws -> (Matrix, [Double]) {
        let k = gamma.columns, w = attempts.columns, levels = reachLevels.count
        let shapes = k / levels
        let hits = try BLAS.multiply(gamma, transposeA: true, contacts)
        let tries = try BLAS.multiply(gamma, transposeA: true, attempts)
        var profiles = Matrix(rows: k, columns: w)
        for shape in 0..<shapes {
            for window in 0..<w {
                var numerator = alpha * population[window], denominator = alpha
                for level in 0..<levels {
                    let index = (shape * levels + level) * w + window
                    numerator += hits.storage[index]
                    denominator += reachLevels[level] * tries.storage[index]
                }
                let rate = numerator / denominator
                for level in 0..<levels {
                    profiles.storage[(shape * levels + level) * w + window] = min(max(reachLevels[level] * rate, 1e-6), 0.98)
                }
            }
        }
        var weights = [Double](repeating: 0, count: k)
        for row in 0..<gamma.rows { for profile in 0..<k { weights[profile] += gamma.storage[row * k + profile] } }
        let total = weights.reduce(0, +)
        // A small floor keeps an emptied component from locking at weight 0.
        weights = weights.map { max($0 / total, 1e-9) }
        let renormalised = weights.reduce(0, +)
        return (profiles, weights.map { $0 / renormalised })
    }
}

/// Results of the EM starts, filled in by worker threads.
private final class StartOutcomes: @unchecked Sendable {
    private var results: [Result<CallWindowFitter.EMOutcome, Error>]
    private let lock = NSLock()

    init(count: Int) {
        results = Array(repeating: .failure(ModelFitError.noData), count: count)
    }

    func set(_ index: Int, _ result: Result<CallWindowFitter.EMOutcome, Error>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func get(_ index: Int) -> Result<CallWindowFitter.EMOutcome, Error> {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}

/// SplitMix64: a small, fast, seedable generator for reproducible random starts.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
