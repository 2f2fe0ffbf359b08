import LinearAlgebra

/// The call-effect model: how much more of its past-due balance an account pays within H when the right party is
/// reached in the next days than when it is not.
///
/// A fractional logistic model of the collected share on the account features x, a treatment column `reached` (1 when
/// a right-party contact happened in the days after the snapshot) and treatment interactions `reached_x_<feature>`:
///
///     share(x, t) = σ(β₀ + βᵀx + t · (γ₀ + γᵀz)),   z ⊆ x
///     effect(x)   = share(x, 1) − share(x, 0)            (a share of the past-due balance, in [−1, 1])
///
/// The stored model is an ordinary `LogisticRegressionModel` whose feature names carry the roles, so the file is
/// self-describing; `effects` builds the two designs from the account features alone.
///
/// The treatment is one of two (`Treatment`): `reached` (learnt from the history's calls, adjusted by a propensity
/// model: the effect of a right-party contact, so a call's value is the effect × P(contact)), or `called` (learnt from
/// the queue's logged random selections, selections.csv: the effect of placing the call, contact or not).
public struct CallEffectModel: Equatable, Sendable {
    /// What the treatment column says happened after the snapshot.
    public enum Treatment: String, CaseIterable, Sendable {
        /// A right-party contact in the days after the snapshot.
        case reached
        /// The queue selected the account for a call that day (a pick by rank or an explore pick, against held out).
        case called

        /// The treatment column's name and the prefix of its interaction columns.
        public var feature: String { rawValue }
        public var interactionPrefix: String { rawValue + "_x_" }
    }

    /// The names of the `reached` treatment (kept for the files written before `called` existed).
    public static let treatmentFeature = Treatment.reached.feature
    public static let interactionPrefix = Treatment.reached.interactionPrefix

    public let outcome: LogisticRegressionModel
    public let treatment: Treatment
    /// The account features the model reads, in the order of `effects`' input columns.
    public let accountFeatures: [String]

    /// Reads the roles off `outcome`'s feature names.
    /// - Throws: `ModelFileError.malformed` when there is not exactly one treatment column, or an interaction names a
    ///   feature the model does not read on its own or belongs to the other treatment.
    public init(outcome: LogisticRegressionModel, source: String) throws {
        let names = outcome.features
        let treatments = Treatment.allCases.filter { names.contains($0.feature) }
        guard treatments.count == 1, let treatment = treatments.first else {
            throw ModelFileError.malformed(source: source, detail: "a call-effect model needs exactly one treatment feature "
                + "(\"reached\" or \"called\"); found \(treatments.count)")
        }
        let isRole = { (name: String) in Treatment.allCases.contains { name == $0.feature || name.hasPrefix($0.interactionPrefix) } }
        let account = names.filter { !isRole($0) }
        for name in names where isRole(name) && name != treatment.feature {
            guard name.hasPrefix(treatment.interactionPrefix) else {
                throw ModelFileError.malformed(source: source, detail: "interaction \"\(name)\" is not of the treatment \"\(treatment.feature)\"")
            }
            let base = String(name.dropFirst(treatment.interactionPrefix.count))
            guard account.contains(base) else {
                throw ModelFileError.malformed(source: source, detail: "interaction \"\(name)\" names \"\(base)\", which the model does not read")
            }
        }
        self.outcome = outcome
        self.treatment = treatment
        accountFeatures = account
    }

    /// Whether an effect is per call placed (`called`) rather than per right-party contact (`reached`).
    public var effectIsPerCall: Bool { treatment == .called }

    /// The outcome model's design for `account` (rows × `accountFeatures`) with the treatment set to `treated`.
    public func design(_ account: Matrix, treated: Bool) throws -> Matrix {
        let position = Dictionary(uniqueKeysWithValues: accountFeatures.enumerated().map { ($1, $0) })
        let prefix = treatment.interactionPrefix
        let sources: [Int] = outcome.features.map { name in
            if name == treatment.feature { return -1 }
            if name.hasPrefix(prefix) { return -2 - position[String(name.dropFirst(prefix.count))]! }
            return position[name]!
        }
        let t = treated ? 1.0 : 0.0
        var storage = [Double](repeating: 0, count: account.rows * sources.count)
        for row in 0..<account.rows {
            let base = row * account.columns, out = row * sources.count
            for (column, source) in sources.enumerated() {
                storage[out + column] = source >= 0 ? account.storage[base + source] : source == -1 ? t : t * account.storage[base - 2 - source]
            }
        }
        return try Matrix(rows: account.rows, columns: sources.count, rowMajor: storage)
    }

    /// effect(x) = share(x, reached) − share(x, not reached) for every row of `account` (rows × `accountFeatures`).
    public func effects(_ account: Matrix) throws -> [Double] {
        let reached = try outcome.probabilities(try design(account, treated: true))
        let unreached = try outcome.probabilities(try design(account, treated: false))
        return zip(reached, unreached).map { $0 - $1 }
    }
}
