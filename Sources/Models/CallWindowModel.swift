import Foundation
import LinearAlgebra
import StableJSON

/// Probability of a right-party contact (RPC) for each account in each call window: a pooled (hierarchical) model.
///
/// Levels: the population (the mixture's mean), learnt groups of similar accounts (the profiles), and the account's
/// own overall, weekday, hour-block and window deviations (`accountEffects`, each shrunk by how much history supports
/// it, with strengths estimated from held-out likelihood at fit time). The population is described by `K` contact profiles (a probability per window each) mixed with weights
/// `mixingWeights`, fitted by `CallWindowFitter` (EM over a mixture of binomials). An account's own history,
/// its attempts `n_w` and right-party contacts `r_w` per window, gives its posterior over profiles
/// `γ_k ∝ π_k · Π_w p_kw^r_w (1 − p_kw)^(n_w − r_w)`; the profile mix `P_w = Σ_k γ_k p_kw` is then shrunk towards
/// the account's own history by `accountEffects` (format version 2; see `AccountWindowEffects`), or, in version-1
/// files, towards its own rate in each window, `p̂_w = (r_w + m·P_w) / (n_w + m)` with `m = historyPriorStrength`.
/// An account without history gets the population mix `Σ_k π_k p_kw`. All accounts × all windows are scored
/// with two GEMMs (log-likelihoods of the profiles, then the profile mix) and a few elementwise passes.
///
/// Windows are whatever the caller counts attempts in (arscore: Mon–Fri × 08–10 … 16–18 customer-local time).
public struct CallWindowModel: Codable, Equatable, Sendable {
    /// File format version: 2 (1, without `accountEffects`, is still read).
    public var formatVersion: Int = 2
    /// Always `"call_window"`.
    public var kind: String = CallWindowModel.kind
    /// Window names, in column order of the count matrices.
    public var windows: [String]
    /// `K` profiles, each the RPC probability per window (in (0, 1)), ordered by mixing weight, largest first.
    public var profiles: [[Double]]
    /// Mixing weights `π_k` (sum 1).
    public var mixingWeights: [Double]
    /// Pooled RPC rate per window over the training attempts (attempt-weighted).
    public var populationRates: [Double]
    /// Pseudo-attempts `m` of the profile mix when shrinking towards the account's own per-window rate
    /// (nil: no shrinkage, the profile mix is the answer).
    public var historyPriorStrength: Double?
    /// The account level: own deviations shrunk by their history (nil: profile mix, then `historyPriorStrength`).
    public var accountEffects: AccountWindowEffects?
    /// How the fit went.
    public var fit: FitDiagnostics
    /// Why the model is a fallback (no call log, too few attempts), or nil for a fitted model.
    public var fallback: String?

    /// Diagnostics of the EM fit.
    public struct FitDiagnostics: Codable, Equatable, Sendable {
        /// EM iterations of the best start.
        public var iterations: Int
        /// Whether the best start met the tolerance.
        public var converged: Bool
        /// Log-likelihood of the training histories under the mixture (binomial coefficients omitted).
        public var logLikelihood: Double
        /// Accounts with at least one attempt used in the fit.
        public var accounts: Int
        /// Attempts and right-party contacts in the fit.
        public var attempts: Int
        public var rightPartyContacts: Int
        /// Random starts tried.
        public var starts: Int

        public init(iterations: Int, converged: Bool, logLikelihood: Double, accounts: Int, attempts: Int,
                    rightPartyContacts: Int, starts: Int) {
            self.iterations = iterations
            self.converged = converged
            self.logLikelihood = logLikelihood
            self.accounts = accounts
            self.attempts = attempts
            self.rightPartyContacts = rightPartyContacts
            self.starts = starts
        }
    }

    public init(windows: [String], profiles: [[Double]], mixingWeights: [Double], populationRates: [Double],
                historyPriorStrength: Double?, accountEffects: AccountWindowEffects? = nil, fit: FitDiagnostics,
                fallback: String? = nil) {
        self.windows = windows
        self.profiles = profiles
        self.mixingWeights = mixingWeights
        self.populationRates = populationRates
        self.historyPriorStrength = historyPriorStrength
        self.accountEffects = accountEffects
        self.fit = fit
        self.fallback = fallback
    }

    /// A one-profile model that gives every account the same rate per window (used when there is no call log
    /// or too little of it to fit profiles); `reason` is recorded in `fallback`.
    public static func populationOnly(windows: [String], rates: [Double], attempts: Int, rightPartyContacts: Int,
                                      reason: String) -> CallWindowModel {
        CallWindowModel(windows: windows, profiles: [rates], mixingWeights: [1], populationRates: rates,
                        historyPriorStrength: nil,
                        fit: FitDiagnostics(iterations: 0, converged: true, logLikelihood: 0, accounts: 0,
                                            attempts: attempts, rightPartyContacts: rightPartyContacts, starts: 0),
                        fallback: reason)
    }

    public var windowCount: Int { windows.count }
    public var profileCount: Int { profiles.count }

    /// RPC probabilities of each account in each window (row-major accounts × windows).
    ///
    /// - Parameters:
    ///   - attempts: past attempts per account and window (row-major accounts × windows, counts ≥ 0).
    ///   - contacts: past right-party contacts, same shape, each ≤ its attempts.
    public func contactProbabilities(attempts: Matrix, contacts: Matrix) throws -> Matrix {
        let mix = try profileMix(attempts: attempts, contacts: contacts)
        if let effects = accountEffects {
            var result = mix
            effects.apply(to: &result, population: populationMix, attempts: attempts, contacts: contacts)
            return result
        }
        guard let m = historyPriorStrength else { return mix }
        var result = mix
        result.storage.withUnsafeMutableBufferPointer { out in
            attempts.storage.withUnsafeBufferPointer { n in
                contacts.storage.withUnsafeBufferPointer { r in
                    for i in 0..<out.count { out[i] = (r[i] + m * out[i]) / (n[i] + m) }
                }
            }
        }
        return result
    }

    /// The posterior profile mix `P = Γ · profiles` (no own-window shrinkage), row-major accounts × windows.
    public func profileMix(attempts: Matrix, contacts: Matrix) throws -> Matrix {
        let gamma = try posteriors(attempts: attempts, contacts: contacts)
        return try BLAS.multiply(gamma, profileMatrix)
    }

    /// Posterior probabilities of the profiles for each account (row-major accounts × K).
    public func posteriors(attempts: Matrix, contacts: Matrix) throws -> Matrix {
        let w = windowCount
        guard attempts.columns == w, contacts.columns == w, attempts.rows == contacts.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                "call-window model has \(w) windows; attempts are \(attempts.rows)×\(attempts.columns), "
                    + "contacts \(contacts.rows)×\(contacts.columns)")
        }
        let history = CallWindowHistory(attempts: attempts, contacts: contacts)
        return try Self.posteriors(history: history, profiles: profileMatrix, mixingWeights: mixingWeights).gamma
    }

    /// The mix of an account without history, `Σ_k π_k p_kw`, one rate per window.
    public var populationMix: [Double] {
        (0..<windowCount).map { window in zip(mixingWeights, profiles).reduce(0) { $0 + $1.0 * $1.1[window] } }
    }

    /// Profiles as a K × W matrix.
    var profileMatrix: Matrix {
        Matrix(rows: profiles.count, columns: windowCount, repeating: 0).replacingStorage(profiles.flatMap { $0 })
    }

    /// E-step: posteriors `γ` (n × K) and the total log-likelihood, from the stacked history [R | N − R]
    /// (n × 2W) times [log P | log(1 − P)]ᵀ (2W × K), one GEMM.
    static func posteriors(history: CallWindowHistory, profiles: Matrix, mixingWeights: [Double]) throws
        -> (gamma: Matrix, logLikelihood: Double) {
        let k = profiles.rows, w = profiles.columns
        var logProfiles = Matrix(rows: k, columns: 2 * w)
        for profile in 0..<k {
            for window in 0..<w {
                let p = profiles[profile, window]
                logProfiles.storage[profile * 2 * w + window] = log(p)
                logProfiles.storage[profile * 2 * w + w + window] = log1p(-p)
            }
        }
        var gamma = try BLAS.multiply(history.stacked, logProfiles, transposeB: true)
        let logWeights = mixingWeights.map { $0 > 0 ? log($0) : -Double.infinity }
        var total = 0.0
        gamma.storage.withUnsafeMutableBufferPointer { values in
            for row in 0..<history.stacked.rows {
                let base = row * k
                var peak = -Double.infinity
                for profile in 0..<k {
                    values[base + profile] += logWeights[profile]
                    peak = max(peak, values[base + profile])
                }
                var sum = 0.0
                for profile in 0..<k {
                    let e = exp(values[base + profile] - peak)
                    values[base + profile] = e
                    sum += e
                }
                for profile in 0..<k { values[base + profile] /= sum }
                total += peak + log(sum)
            }
        }
        return (gamma, total)
    }
}

extension CallWindowModel: ModelFile {
    /// The `kind` of call-window model files.
    public static let kind = "call_window"
    /// The JSON names are StableJSON's snake_case of the property names.
    public static let jsonKeys = ModelFileKeys.snakeCase
    /// Version 2 adds `account_effects`; version-1 files still load.
    public static let readableFormatVersions: ClosedRange<Int> = 1...2

    /// Checks shapes and ranges, so a corrupt or hostile file fails here and not while scoring.
    public func validateContents(source: String) throws {
        func fail(_ reason: String) -> ModelFileError { .malformed(source: source, detail: reason) }
        guard !windows.isEmpty, windows.count <= 10_000, Set(windows).count == windows.count else {
            throw fail("windows must be 1 to 10000 distinct names")
        }
        guard !profiles.isEmpty, profiles.count <= 1000, mixingWeights.count == profiles.count else {
            throw fail("\(profiles.count) profiles and \(mixingWeights.count) mixing weights (need 1 to 1000, equal)")
        }
        for (index, profile) in profiles.enumerated() {
            guard profile.count == windows.count else {
                throw fail("profile \(index) has \(profile.count) rates for \(windows.count) windows")
            }
            guard profile.allSatisfy({ $0 > 0 && $0 < 1 }) else { throw fail("profile \(index) has a rate outside (0, 1)") }
        }
        guard mixingWeights.allSatisfy({ $0.isFinite && $0 >= 0 }),
              abs(mixingWeights.reduce(0, +) - 1) < 1e-6 else { throw fail("mixing weights must be ≥ 0 and sum to 1") }
        guard populationRates.count == windows.count, populationRates.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw fail("population rates must be one value in [0, 1] per window")
        }
        if let m = historyPriorStrength, !(m.isFinite && m > 0) { throw fail("history prior strength must be finite and > 0") }
        if let effects = accountEffects {
            guard formatVersion >= 2 else { throw fail("account_effects needs format_version 2") }
            if let problem = effects.problem(windows: windows.count) { throw fail(problem) }
        }
    }
}

/// Per-window history of n accounts stacked as [R | N − R] (n × 2W): contacts, then misses.
struct CallWindowHistory {
    var stacked: Matrix

    init(attempts: Matrix, contacts: Matrix) {
        let n = attempts.rows, w = attempts.columns
        var stacked = Matrix(rows: n, columns: 2 * w)
        stacked.storage.withUnsafeMutableBufferPointer { out in
            attempts.storage.withUnsafeBufferPointer { tries in
                contacts.storage.withUnsafeBufferPointer { hits in
                    for row in 0..<n {
                        for window in 0..<w {
                            let r = hits[row * w + window]
                            out[row * 2 * w + window] = r
                            out[row * 2 * w + w + window] = max(0, tries[row * w + window] - r)
                        }
                    }
                }
            }
        }
        self.stacked = stacked
    }
}

extension Matrix {
    /// The same shape with `storage` replaced (sizes must match).
    func replacingStorage(_ values: [Double]) -> Matrix {
        precondition(values.count == rows * columns)
        var copy = self
        copy.storage = values
        return copy
    }
}
