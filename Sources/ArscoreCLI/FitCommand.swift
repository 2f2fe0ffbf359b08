import ArgumentParser
import Foundation
import Jobs
import Models

/// `arscore fit`: fit one model on any feature table.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit one model on a feature table (CSV) and write it as JSON.",
        subcommands: [FitLogisticCommand.self, FitCoxCommand.self])
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

    @Option(help: "0/1 target column.")
    var target: String

    @OptionGroup var common: FitTableOptions

    func run() throws {
        let model = try TableModeling.fitLogistic(.init(
            tablePath: common.table, target: target, features: try common.featureList(), weight: common.weight,
            l2: common.l2, outputPath: common.out))
        if !common.quiet {
            var summary = "fitted logistic model on \(model.fit.rows) rows, \(model.features.count) features, "
                + "\(model.fit.iterations) Newton iterations, log-likelihood \(model.fit.logLikelihood)"
            if let auc = model.trainingMetrics?.auc { summary += ", training AUC \(auc)" }
            if !model.droppedConstantFeatures.isEmpty {
                summary += "; dropped constant columns: " + model.droppedConstantFeatures.joined(separator: ", ")
            }
            print(summary + " -> \(common.out)")
        }
    }
}

/// `arscore fit cox`: Cox proportional hazards by Newton steps (Efron or Breslow ties).
struct FitCoxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cox",
        abstract: "Fit a Cox proportional-hazards model (maximum partial likelihood when --l2 is 0).",
        discussion: """
        Features are standardised as for the logistic fit; the baseline cumulative hazard (Breslow) \
        is stored at the training means. Durations are in any unit (days for arscore's models).
        """)

    @Option(help: "Duration column (time to the event or to censoring, ≥ 0).")
    var duration: String

    @Option(help: "0/1 event column (1 = the event happened at the duration, 0 = censored).")
    var event: String

    @Option(help: "Tie handling: efron or breslow.")
    var ties: String = "efron"

    @OptionGroup var common: FitTableOptions

    func validate() throws {
        guard CoxRegression.Ties(rawValue: ties) != nil else {
            throw ValidationError("--ties must be efron or breslow, got \"\(ties)\"")
        }
    }

    func run() throws {
        let model = try TableModeling.fitCox(.init(
            tablePath: common.table, duration: duration, event: event, features: try common.featureList(),
            weight: common.weight, ties: CoxRegression.Ties(rawValue: ties)!, l2: common.l2, outputPath: common.out))
        if !common.quiet {
            var summary = "fitted Cox model (\(ties) ties) on \(model.fit.rows) rows with \(model.fit.events) events, "
                + "\(model.features.count) features, \(model.fit.iterations) Newton iterations, "
                + "log partial likelihood \(model.fit.logPartialLikelihood)"
            if let concordance = model.concordance { summary += ", concordance \(concordance)" }
            if !model.droppedConstantFeatures.isEmpty {
                summary += "; dropped constant columns: " + model.droppedConstantFeatures.joined(separator: ", ")
            }
            print(summary + " -> \(common.out)")
        }
    }
}

/// The options every `arscore fit` model shares: the table, features, weights, penalty and output.
struct FitTableOptions: ParsableArguments {
    @Option(help: "Input table (CSV with a header row).")
    var table: String

    @Option(help: "Comma-separated feature columns (default: every numeric column but the target, duration, event and weight).")
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

    /// `--features a,b,c` split into names; an empty name is an error.
    func featureList() throws -> [String]? {
        guard let features else { return nil }
        let names = features.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if names.contains(where: \.isEmpty) { throw ValidationError("--features has an empty name: \"\(features)\"") }
        return names
    }
}
