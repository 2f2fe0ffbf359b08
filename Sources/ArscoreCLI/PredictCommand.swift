import ArgumentParser
import Foundation
import Jobs

/// `arscore predict`: apply a model file to a table.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a model JSON to a table: one output row per input row, in input order.",
        discussion: """
        For a logistic model the output column is `p`, the probability of target 1. For a Cox model the \
        columns are `linear_predictor` and `p_event_by_T` for each T of --horizons.
        """)

    @Option(help: "Model JSON written by `arscore fit`.")
    var model: String

    @Option(help: "Input table (CSV); needs the model's feature columns and may hold others.")
    var table: String

    @Option(help: "Where to write the predictions CSV.")
    var out: String

    @Option(help: "Comma-separated input columns to copy into the output (e.g. an id).")
    var keep: String?

    @Option(help: "For a Cox model: comma-separated times for P(event by t), in the duration's unit.")
    var horizons: String = "30"

    @Flag(help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        guard !parsedHorizons.isEmpty, parsedHorizons.allSatisfy({ $0 != nil && $0! >= 0 && $0!.isFinite }) else {
            throw ValidationError("--horizons must be a comma-separated list of non-negative numbers, got \"\(horizons)\"")
        }
    }

    private var parsedHorizons: [Double?] { horizons.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        let keepColumns = keep.map { $0.split(separator: ",").map(String.init) } ?? []
        let rows = try TableModeling.predict(.init(
            modelPath: model, tablePath: table, outputPath: out, keepColumns: keepColumns,
            horizons: parsedHorizons.compactMap { $0 }))
        if !quiet { print("wrote \(rows) predictions -> \(out)") }
    }
}
