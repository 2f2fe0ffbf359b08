/// Total weight of each class after validation.
struct ClassWeights {
    /// Sum of the weights of rows labelled `true`.
    var positive: Double
    /// Sum of the weights of rows labelled `false`.
    var negative: Double
    /// `positive + negative`.
    var total: Double { positive + negative }
}

extension ClassificationMetrics {
    /// Whether the values being validated are arbitrary scores or probabilities in `[0, 1]`.
    enum ValueKind {
        case score
        case probability
    }

    /// Checks inputs in the order documented on ``MetricsError`` and returns the class weights.
    ///
    /// - Parameters:
    ///   - requireBothClasses: throw ``MetricsError/singleClass`` when a class has zero weight.
    static func validate(
        _ values: [Double],
        kind: ValueKind,
        labels: [Bool],
        weights: [Double]?,
        requireBothClasses: Bool
    ) throws -> ClassWeights {
        let n = values.count
        guard labels.count == n else {
            throw MetricsError.lengthMismatch(argument: "labels", expected: n, actual: labels.count)
        }
        if let weights, weights.count != n {
            throw MetricsError.lengthMismatch(argument: "weights", expected: n, actual: weights.count)
        }
        guard n > 0 else { throw MetricsError.empty }

        var positive = CompensatedSum()
        var negative = CompensatedSum()
        for i in 0..<n {
            let v = values[i]
            guard v.isFinite else { throw MetricsError.nonFinite(index: i) }
            if kind == .probability, !(v >= 0 && v <= 1) {
                throw MetricsError.probabilityOutOfRange(index: i)
            }
            let w = weights?[i] ?? 1
            guard w.isFinite else { throw MetricsError.nonFinite(index: i) }
            guard w >= 0 else { throw MetricsError.negativeWeight(index: i) }
            if labels[i] { positive.add(w) } else { negative.add(w) }
        }
        let result = ClassWeights(positive: positive.value, negative: negative.value)
        guard result.total > 0 else { throw MetricsError.empty }
        if requireBothClasses, !(result.positive > 0 && result.negative > 0) {
            throw MetricsError.singleClass
        }
        return result
    }
}
