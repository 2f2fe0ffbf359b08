// TEMPORARY compile shim until the Metrics module lands; deleted then.
public struct BinaryClassificationSummary: Codable, Equatable, Sendable {
    public var auc: Double
    public static func evaluate(probabilities: [Double], labels: [Bool], weights: [Double]?) throws -> Self { .init(auc: 0) }
}
