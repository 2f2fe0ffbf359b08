import ArgumentParser
import Models

/// `arscore fit`: fit one model on any feature table.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit one model on a feature table (CSV) and write it as JSON.",
        subcommands: [FitLogisticCommand.self])
}

/// `arscore fit logistic`: L2 logistic regression by Newton/IRLS.
struct FitLogisticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logistic",
        abstract: "Fit an L2 logistic regression (maximum likelihood when --l2 is 0).",
        discussion: """
        Features are standardised (weighted mean, population standard deviation); constant \
        columns are dropped and reported. The objective is the sum of weighted log-losses \
        plus (l2/2)·‖β‖² on the standardised coefficients; the intercept is not penalised.
        """)

    @Option(help: "Input table (CSV with a header row).")
    var table: String

    @Option(help: "0/1 target column.")
    var target: String

    @Option(help: "Comma-separated feature columns (default: every numeric column but the target and weight).")
    var features: String?

    @Option(help: "Column of non-negative sample weights.")
    var weight: String?

    @Option(help: "L2 penalty on standardised coefficients.")
    var l2: Double = 0

    @Option(help: "Where to write the model JSON.")
    var out: String

    @Flag(help: "Print nothing on success.")
    var quiet = false

    func validate() throws {
        guard l2.isFinite, l2 >= 0 else { throw ValidationError("--l2 must be a non-negative number") }
    }

    func run() throws {
        let featureList = features.map { list in
            list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let featureList, featureList.contains(where: \.isEmpty) {
            throw ValidationError("--features has an empty name: \"\(features ?? "")\"")
        }
        let model = try TableModeling.fitLogistic(.init(
            tablePath: table, target: target, features: featureList, weight: weight, l2: l2, outputPath: out))
        if !quiet {
            var summary = "fitted logistic model on \(model.fit.rows) rows, \(model.features.count) features, "
                + "\(model.fit.iterations) Newton iterations, log-likelihood \(model.fit.logLikelihood)"
            if let auc = model.trainingMetrics?.auc { summary += ", training AUC \(auc)" }
            if !model.droppedConstantFeatures.isEmpty {
                summary += "; dropped constant columns: " + model.droppedConstantFeatures.joined(separator: ", ")
            }
            print(summary + " -> \(out)")
        }
    }
}

import Foundation
