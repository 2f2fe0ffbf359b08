import Foundation
import LinearAlgebra
import Models

/// The promise-kept model of a bundle: a logistic regression on promise records, or, when the history has too
/// few promises (or only one outcome) to fit one, the population rate with the reason.
public enum PromiseKeptModel: Equatable, Sendable {
    case logistic(LogisticRegressionModel)
    case populationRate(PopulationRate)

    /// A constant P(kept) for every promise, and why no fitted model is used.
    public struct PopulationRate: Codable, Equatable, Sendable {
        public var formatVersion: Int = 1
        /// Always `"population_rate"`.
        public var kind: String = PopulationRate.kind
        /// P(kept) given to every promise, in [0, 1].
        public var rate: Double
        /// Promises with a known outcome behind the rate (0 when there were none and the rate is a neutral 0.5).
        public var promises: Int
        /// Why the fitted model is not available.
        public var reason: String

        public init(rate: Double, promises: Int, reason: String) {
            self.rate = rate
            self.promises = promises
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case kind, rate, promises, reason
            case formatVersion = "format_version"
        }
    }

    /// Feature names the model reads (empty for the population rate).
    public var features: [String] {
        switch self {
        case .logistic(let model): return model.features
        case .populationRate: return []
        }
    }

    /// Why this is a fallback, or nil for a fitted model.
    public var fallback: String? {
        if case .populationRate(let rate) = self { return rate.reason }
        return nil
    }

    /// P(kept) for each row of raw features (row-major, columns in `features` order; ignored for the rate).
    public func probabilities(_ rawFeatures: Matrix) throws -> [Double] {
        switch self {
        case .logistic(let model): return try model.probabilities(rawFeatures)
        case .populationRate(let rate): return [Double](repeating: rate.rate, count: rawFeatures.rows)
        }
    }

    /// The model file's JSON.
    public func jsonData() throws -> Data {
        switch self {
        case .logistic(let model): return try model.jsonData()
        case .populationRate(let rate): return try rate.jsonData()
        }
    }

    /// Reads either form, by its `kind`; `source` names the file in errors.
    public static func load(jsonData: Data, source: String) throws -> PromiseKeptModel {
        let kind = try ModelKind.field(of: jsonData, source: source)
        switch kind {
        case LogisticRegressionModel.kind:
            return .logistic(try LogisticRegressionModel.load(jsonData: jsonData, source: source))
        case PopulationRate.kind:
            return .populationRate(try PopulationRate.load(jsonData: jsonData, source: source))
        default:
            throw ModelFileError.wrongKind(source: source, expected: "logistic or population_rate", found: kind)
        }
    }
}

extension PromiseKeptModel.PopulationRate: ModelFile {
    /// The `kind` of population-rate files.
    public static let kind = "population_rate"
    /// The JSON names are the `CodingKeys` as written.
    public static let jsonKeys = ModelFileKeys.codingKeys

    /// Checks that the rate is a probability.
    public func validateContents(source: String) throws {
        guard rate >= 0, rate <= 1 else {
            throw ModelFileError.malformed(source: source, detail: "\"rate\" must be in [0, 1]")
        }
    }
}
