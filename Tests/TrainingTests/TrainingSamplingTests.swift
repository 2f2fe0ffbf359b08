import Bundles
import Features
import Foundation
import Metrics
import Models
import Testing
@testable import Training

/// Training in bounded memory: above `maxTrainingRows` the training snapshots are sampled (`SnapshotRowSampling`) and
/// every kept row carries the weight 1/π into every snapshot-based fit; at or below it nothing changes.
@Suite("Training row sampling")
struct TrainingSamplingTests {
    /// A third of the recovery export's training rows.
    static let budget = recoveryTraining.bundle.manifest.training.trainingRows / 3

    static func options(budget: Int, seed: UInt64 = TrainingOptions.defaultSamplingSeed) -> TrainingOptions {
        var options = TrainingOptions()
        options.maxTrainingRows = budget
        options.samplingSeed = seed
        return options
    }

    static let sampled: BundleTrainer.Result = {
        do { return try trainBundle(recoveryHistory.export, options: options(budget: budget)) } catch {
            fatalError("cannot train the sampled bundle: \(error)")
        }
    }()

    /// bundle.json and the model card say how the rows were sampled; the holdout is the complete one.
    @Test func theSamplingIsRecordedAndTheHoldoutIsComplete() throws {
        let full = recoveryTraining.bundle.manifest, manifest = Self.sampled.bundle.manifest
        #expect(full.training.sampling == nil)
        let sampling = try #require(manifest.training.sampling)
        #expect(sampling.rowBudget == Self.budget)
        #expect(sampling.seed == TrainingOptions.defaultSamplingSeed)
        #expect(sampling.rowsSeen >= full.training.trainingRows)
        #expect(abs(sampling.keepProbability - Double(Self.budget) / Double(sampling.rowsSeen)) < 1e-15)
        #expect(abs(sampling.rowWeight * sampling.keepProbability - 1) < 1e-12)
        // The kept count is binomial(rows seen, π): within 5 standard deviations of π × rows seen.
        let sd = (Double(sampling.rowsSeen) * sampling.keepProbability * (1 - sampling.keepProbability)).squareRoot()
        #expect(abs(Double(sampling.rowsKept) - sampling.keepProbability * Double(sampling.rowsSeen)) <= 5 * sd)
        #expect(manifest.training.trainingRows <= sampling.rowsKept)
        #expect(manifest.training.holdoutRows == full.training.holdoutRows)
        #expect(manifest.training.holdoutDates == full.training.holdoutDates)
        #expect(manifest.training.snapshotDates == full.training.snapshotDates)
        #expect(Self.sampled.bundle.card.contains("Row sampling: \(sampling.rowsKept) of \(sampling.rowsSeen)"))
        #expect(!recoveryTraining.bundle.card.contains("Row sampling"))
    }

    /// Each fit's total weight is its kept rows times 1/π (the balance weights of the cash share average 1), so
    /// the weights reached the pay, cash-share, Cox and call-effect fits; the full fits have weight 1 per row.
    @Test func theWeightsReachEveryFit() throws {
        let bundle = Self.sampled.bundle, full = recoveryTraining.bundle
        let w = try #require(bundle.manifest.training.sampling).rowWeight
        let rows = Double(bundle.manifest.training.trainingRows)
        #expect(abs(bundle.payLikelihood.fit.weightSum - rows * w) <= 1e-9 * rows * w)
        #expect(full.payLikelihood.fit.weightSum == Double(full.manifest.training.trainingRows))
        #expect(abs(bundle.timeToPay.fit.weightSum - rows * w) <= 1e-9 * rows * w)
        #expect(full.timeToPay.fit.weightSum == Double(full.manifest.training.trainingRows))
        let cash = try #require(bundle.cashShare)
        #expect(abs(cash.fit.weightSum - Double(cash.fit.rows) * w) <= 1e-9 * Double(cash.fit.rows) * w)
        // The call effect's stabilised inverse-propensity weights average about 1 per row before the 1/π factor.
        let effect = try #require(bundle.callEffect).outcome.fit, fullEffect = try #require(full.callEffect).outcome.fit
        let perRow = effect.weightSum / Double(effect.rows), fullPerRow = fullEffect.weightSum / Double(fullEffect.rows)
        #expect(abs(perRow / fullPerRow - w) < 0.25 * w, "weight per row \(perRow) sampled, \(fullPerRow) full, 1/π = \(w)")
    }

    /// Two thirds of the rows, weighted, give holdout metrics within noise of the full fit (the cash share, weighted
    /// by balances a few large accounts dominate, needs that many rows here; at 300,000 customers a third is enough,
    /// Benchmarks/README.md).
    @Test func theSampledFitApproximatesTheFullFit() throws {
        let rows = recoveryTraining.bundle.manifest.training.trainingRows
        let bundle = try trainBundle(recoveryHistory.export, options: Self.options(budget: rows * 2 / 3)).bundle
        let sampled = bundle.manifest.holdoutMetrics, full = recoveryTraining.bundle.manifest.holdoutMetrics
        let pay = try #require(sampled.payLikelihood), fullPay = try #require(full.payLikelihood)
        #expect(abs(pay.auc - fullPay.auc) < 0.015, "AUC \(pay.auc) sampled vs \(fullPay.auc) full")
        #expect(abs(pay.logLoss - fullPay.logLoss) < 0.01, "log-loss \(pay.logLoss) vs \(fullPay.logLoss)")
        let time = try #require(sampled.timeToPay), fullTime = try #require(full.timeToPay)
        let concordance = try #require(time.concordance), fullConcordance = try #require(fullTime.concordance)
        #expect(abs(concordance - fullConcordance) < 0.015, "C \(concordance) sampled vs \(fullConcordance) full")
        let cash = try #require(sampled.cashShare), fullCash = try #require(full.cashShare)
        #expect(abs(cash.weightedLogLoss - fullCash.weightedLogLoss) < 0.10 * fullCash.weightedLogLoss,
                "cash share log-loss \(cash.weightedLogLoss) sampled vs \(fullCash.weightedLogLoss) full")
        #expect(cash.rows == fullCash.rows)
        // The Cox baseline (weight / risk-set sum) is scale-free in the weights: P(pay within H) stays calibrated.
        #expect(abs(time.meanPredictedWithinHorizon - fullTime.meanPredictedWithinHorizon) < 0.02)
    }

    /// A budget that covers every row changes nothing at all: the same bundle as without a budget, whatever the seed.
    @Test func aBudgetAboveTheRowCountLeavesTheBundleUnchanged() throws {
        let rows = recoveryTraining.bundle.manifest.training.trainingRows
        let result = try trainBundle(recoveryHistory.export, options: Self.options(budget: 50 * rows, seed: 99)).bundle
        let full = recoveryTraining.bundle
        // Exact where nothing goes through a multithreaded BLAS call (see `theSameSeedGivesTheSameBundle`); the
        // release binary's bundles are compared byte for byte in Benchmarks/README.md, "Training in bounded memory".
        #expect(result.manifest.training == full.manifest.training && result.manifest.training.sampling == nil)
        #expect(result.payLikelihood.fit == full.payLikelihood.fit)
        #expect(result.timeToPay.fit == full.timeToPay.fit)
        Self.expectClose(result.payLikelihood.coefficients, full.payLikelihood.coefficients, "pay")
        Self.expectClose(result.timeToPay.coefficients, full.timeToPay.coefficients, "Cox")
        Self.expectClose(try #require(result.cashShare).coefficients, try #require(full.cashShare).coefficients, "cash share")
    }

    /// The same seed keeps the same rows and gives the same fits; another seed keeps other rows. (Run alone, the two
    /// bundles are equal byte for byte, as two `arscore train` runs are; here other tests share the process and its
    /// OpenBLAS thread state, which moves multithreaded GEMV sums in the last bits, so the fits are compared to 1e-9.)
    @Test func theSameSeedGivesTheSameBundle() throws {
        let again = try trainBundle(recoveryHistory.export, options: Self.options(budget: Self.budget)).bundle
        let first = Self.sampled.bundle
        #expect(again.manifest.training == first.manifest.training)
        Self.expectClose(again.payLikelihood.coefficients, first.payLikelihood.coefficients, "pay")
        Self.expectClose(again.timeToPay.coefficients, first.timeToPay.coefficients, "Cox")
        Self.expectClose(try #require(again.cashShare).coefficients, try #require(first.cashShare).coefficients, "cash share")
        Self.expectClose(try #require(again.callEffect).outcome.coefficients, try #require(first.callEffect).outcome.coefficients,
                         "call effect")
        let pay = try #require(again.manifest.holdoutMetrics.payLikelihood), firstPay = try #require(first.manifest.holdoutMetrics.payLikelihood)
        #expect(abs(pay.auc - firstPay.auc) < 1e-9)
        let other = try trainBundle(recoveryHistory.export, options: Self.options(budget: Self.budget, seed: 16))
        #expect(other.bundle.payLikelihood.coefficients != Self.sampled.bundle.payLikelihood.coefficients)
        #expect(other.bundle.manifest.training.sampling?.seed == 16)
        #expect(other.bundle.manifest.training.sampling?.rowsKept != first.manifest.training.sampling?.rowsKept
            || other.bundle.manifest.training.trainingRows != first.manifest.training.trainingRows
            || other.bundle.payLikelihood.intercept != first.payLikelihood.intercept)
    }

    static func expectClose(_ a: [String: Double], _ b: [String: Double], _ model: String) {
        #expect(Set(a.keys) == Set(b.keys), "\(model) features")
        for (name, value) in b {
            guard let other = a[name] else { continue }
            #expect(abs(other - value) <= 1e-9 * max(1, abs(value)), "\(model) \(name): \(other) vs \(value)")
        }
    }

    /// The budget must be at least `minimumTrainingRowBudget`.
    @Test func theBudgetIsValidated() throws {
        #expect(throws: TrainingError.self) { try Self.options(budget: TrainingOptions.minimumTrainingRowBudget - 1).validate() }
        #expect(throws: TrainingError.self) { try Self.options(budget: 0).validate() }
        try Self.options(budget: TrainingOptions.minimumTrainingRowBudget).validate()
        let error = #expect(throws: TrainingError.self) {
            try trainBundle(recoveryHistory.export, options: Self.options(budget: 10))
        }
        #expect(error?.description.contains("at least \(TrainingOptions.minimumTrainingRowBudget), got 10") == true)
    }
}
