import Bundles

/// The check that no score arscore publishes is NaN or infinite.
///
/// A bundle whose coefficients overflow on today's features (coefficients of ±1e308, a corrupt file) gives NaN or
/// infinite scores; written as CSV they became empty cells and broke the ranking silently. Every score column is
/// checked right after it is computed, and the run fails naming the model file. Any command that writes scores
/// (`arscore score`, `arscore predict`) calls `FiniteScores.check` before writing.
public enum FiniteScores {
    /// Throws when any of `values` is NaN or infinite.
    /// - Parameters:
    ///   - values: the scores, one per row.
    ///   - what: the score's name in collector words, e.g. "P(pay)".
    ///   - modelFile: the model file that produced it (a path, or `<bundle>/<version>/<file>`).
    /// - Throws: `NonFiniteScoreError` naming the model file, the score, how many rows and the first row.
    public static func check(_ values: [Double], what: String, modelFile: String) throws {
        guard let first = values.firstIndex(where: { !$0.isFinite }) else { return }
        let count = values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        throw NonFiniteScoreError(modelFile: modelFile, what: what, rows: count, totalRows: values.count,
                                  firstRow: first, firstValue: values[first])
    }

    /// The path of a bundle's model file for messages: `<folder>/<file>`, or `<name>/<version>/<file>` for a
    /// bundle built in memory.
    public static func modelFile(_ bundle: ModelBundle, _ file: String) -> String {
        (bundle.folder ?? bundle.manifest.name + "/" + bundle.manifest.version) + "/" + file
    }
}

/// Scores that are NaN or infinite: the model file, the score and where.
public struct NonFiniteScoreError: Error, CustomStringConvertible, Equatable, Sendable {
    public let modelFile: String
    public let what: String
    public let rows: Int
    public let totalRows: Int
    /// 0-based row of the first non-finite value, and the value.
    public let firstRow: Int
    public let firstValue: Double

    public var description: String {
        "\(modelFile): \(what) is not a finite number for \(rows) of \(totalRows) rows (first: row \(firstRow + 1), "
            + "\(firstValue)): the model's coefficients overflow on these features; nothing was published: "
            + "retrain or fix the bundle"
    }
}
