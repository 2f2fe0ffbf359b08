import ArgumentParser

/// `arscore predict`: apply a model file to a table.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a model JSON to a table: one output row per input row, in input order.",
        discussion: "For a logistic model the output column is `p`, the probability of target 1.")

    @Option(help: "Model JSON written by `arscore fit`.")
    var model: String

    @Option(help: "Input table (CSV); needs the model's feature columns and may hold others.")
    var table: String

    @Option(help: "Where to write the predictions CSV.")
    var out: String

    @Option(help: "Comma-separated input columns to copy into the output (e.g. an id).")
    var keep: String?

    @Flag(help: "Print nothing on success.")
    var quiet = false

    func run() throws {
        let keepColumns = keep.map { $0.split(separator: ",").map(String.init) } ?? []
        let rows = try TableModeling.predict(.init(
            modelPath: model, tablePath: table, outputPath: out, keepColumns: keepColumns))
        if !quiet { print("wrote \(rows) predictions -> \(out)") }
    }
}
