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
public struct CallEffectModel: Equatable, Sendable {
    /// The treatment column's name and the prefix of the interaction columns.
    public static let treatmentFeature = "reached"
    public static let interactionPrefix = "reached_x_"

    public let outcome: LogisticRegressionModel
    /// The account features the model reads, in the order of `effects`' input columns.
    public let accountFeatures: [String]

    /// Reads the roles off `outcome`'s feature names.
    /// - Throws: `ModelFileError.malformed` when there is no treatment column or an interaction names a feature the model
    ///   does not read on its own.
    public init(outcome: LogisticRegressionModel, source: String) throws {
        let names = outcome.features
        guard names.contains(Self.treatmentFeature) else {
            throw ModelFileError.malformed(source: source, detail: "a call-effect model needs the treatment feature \"\(Self.treatmentFeature)\"")
        }
        var account: [String] = []
        for name in names where name != Self.treatmentFeature && !name.hasPrefix(Self.interactionPrefix) { account.append(name) }
        for name in names where name.hasPrefix(Self.interactionPrefix) {
            let base = String(name.dropFirst(Self.interactionPrefix.count))
            guard account.contains(base) else {
                throw ModelFileError.malformed(source: source, detail: "interaction \"\(name)\" names \"\(base)\", which the model does not read")
            }
        }
        self.outcome = outcome
        accountFeatures = account
    }

    /// The outcome model's design for `account` (rows × `accountFeatures`) with the treatment set to `treated`.
    public func design(_ account: Matrix, treated: Bool) throws -> Matrix {
        let position = Dictionary(uniqueKeysWithValues: accountFeatures.enumerated().map { ($1, $0) })
        let sources: [Int] = outcome.features.map { name in
            if name == Self.treatmentFeature { return -1 }
            if name.hasPrefix(Self.interactionPrefix) { return -2 - position[String(name.dropFirst(Self.interactionPrefix.count))]! }
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
