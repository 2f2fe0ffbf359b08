import Bundles
import CallGrid
import Evaluation
import Features
import Foundation
import LinearAlgebra
import Metrics
import Models
import Receivables
import TestSupport
import Testing
import Training

/// On generated data with known truth, the trained models recover what the generator put in.
@Suite("Recovery of the generator's truth")
struct RecoveryTests {
    /// The chosen window matches truth.json's best window for ≥ 80% of customers with ≥ 10 past attempts, and
    /// reaches the right party clearly more often than the single best global window.
    @Test func chosenWindowMatchesTheTruth() throws {
        let history = recoveryHistory
        let builder = FeatureBuilder(export: history.export)
        let customers = (0..<Int32(history.export.customers.count)).map { $0 }
        let table = builder.features(of: customers, asOf: builder.dataEnd)
        let counts = table.windowCountMatrices()
        let model = recoveryTraining.bundle.callWindow
        #expect(model.fallback == nil)
        let probabilities = try model.contactProbabilities(attempts: counts.attempts, contacts: counts.contacts)
        let chosen = CallWindowModel.chosenWindows(probabilities)
        let global = model.populationRates.indices.max { model.populationRates[$0] < model.populationRates[$1] }!
        let truth = history.truthCustomers
        var eligible = 0, matches = 0, globalMatches = 0
        var truthAtChosen = 0.0, truthAtGlobal = 0.0, truthAtBest = 0.0
        for row in 0..<table.rowCount {
            let attempts = (0..<CallWindows.count).reduce(0.0) { $0 + counts.attempts[row, $1] }
            guard attempts >= 10 else { continue }
            let id = history.export.customers.ids.id(Int(table.customers[row]))
            let customer = try #require(truth[id])
            let best = try #require(CallWindows.names.firstIndex(of: customer["best_window"] as? String ?? ""))
            let rates = try #require(customer["window_rpc_probability"] as? [Double])
            eligible += 1
            if chosen[row] == best { matches += 1 }
            if global == best { globalMatches += 1 }
            truthAtChosen += rates[chosen[row]]
            truthAtGlobal += rates[global]
            truthAtBest += rates[best]
        }
        #expect(eligible >= 500, "too few customers with 10+ attempts to judge: \(eligible)")
        let matchRate = Double(matches) / Double(eligible)
        print("call window: \(eligible) customers with ≥ 10 attempts; chosen = truth best for \(matchRate); "
            + "global window \(CallWindows.names[global]) for \(Double(globalMatches) / Double(eligible)); "
            + "mean true P(RPC) chosen \(truthAtChosen / Double(eligible)), global \(truthAtGlobal / Double(eligible)), "
            + "best \(truthAtBest / Double(eligible))")
        #expect(matchRate >= 0.80)
        #expect(Double(matches) >= 2 * Double(globalMatches))
        #expect(truthAtChosen >= 1.3 * truthAtGlobal)
    }

    /// The pay model ranks the holdout about as well as the generator's own latent pay propensity does.
    @Test func payModelRanksCloseToTheTruth() throws {
        let history = recoveryHistory
        let result = recoveryTraining
        let builder = FeatureBuilder(export: history.export)
        let table = builder.snapshots(asOf: result.holdoutDates)
        let labels = builder.labels(for: table, horizonDays: 30)
        let model = result.bundle.payLikelihood
        let probabilities = try model.probabilities(try table.matrix(columns: model.features))
        let truth = history.truthCustomers
        let truthScores = try (0..<table.rowCount).map { row -> Double in
            let customer = try #require(truth[history.export.customers.ids.id(Int(table.customers[row]))])
            return customer["pay_propensity"] as? Double ?? 0
        }
        let paid = labels.paidWithinHorizon.map { $0 == 1 }
        let modelAUC = try ClassificationMetrics.rocAUC(scores: probabilities, labels: paid)
        let truthAUC = try ClassificationMetrics.rocAUC(scores: truthScores, labels: paid)
        print("pay within 30 days on the holdout: model AUC \(modelAUC), truth pay_propensity AUC \(truthAUC)")
        #expect(modelAUC >= truthAUC - 0.03)
        #expect(modelAUC > 0.65)
        // The bundle's own holdout metric is the same evaluation.
        let recorded = try #require(result.bundle.manifest.holdoutMetrics.payLikelihood?.auc)
        #expect(abs(recorded - modelAUC) < 1e-12)
    }

    /// The promise model ranks held-out promises within a stated margin of the truth's own P(kept).
    @Test func promiseModelRanksCloseToTheTruth() throws {
        let history = recoveryHistory
        let result = recoveryTraining
        guard case .logistic(let model) = result.bundle.promiseKept else {
            Issue.record("the recovery export has promises; expected a fitted model")
            return
        }
        let builder = FeatureBuilder(export: history.export)
        let records = builder.promiseRecords()
        let start = result.holdoutDates[0]
        let rows = (0..<records.count).filter { records.createdDate[$0] >= start && records.known[$0] }
        var truthKept: [String: Double] = [:]
        for customer in history.truthCustomers.values {
            for case let promise as [String: Any] in customer["promises"] as? [Any] ?? [] {
                truthKept[promise["promise_id"] as? String ?? ""] = promise["p_kept"] as? Double
            }
        }
        let truthScores = try rows.map { row in
            try #require(truthKept[history.export.promises.ids.id(Int(records.promises[row]))])
        }
        let kept = rows.map { records.kept[$0] == 1 }
        let probabilities = try model.probabilities(try records.features.matrix(columns: model.features, rows: rows))
        let modelAUC = try ClassificationMetrics.rocAUC(scores: probabilities, labels: kept)
        let truthAUC = try ClassificationMetrics.rocAUC(scores: truthScores, labels: kept)
        print("promise kept on the holdout (\(rows.count) promises): model AUC \(modelAUC), truth p_kept AUC \(truthAUC)")
        #expect(rows.count >= 300)
        #expect(modelAUC >= truthAUC - 0.10)
    }

    /// The Cox hazard ratios point the way the generator's effects do: disputes and a 91+ day backlog slow the first
    /// payment, more open invoices (each with its own payment hazard) speed it up, a history of late payment slows it.
    @Test func coxEffectsHaveTheGeneratorsSigns() throws {
        let cox = recoveryTraining.bundle.timeToPay
        let beta = cox.coefficients
        let dispute = try #require(beta["has_dispute"])
        // A disputed invoice's hazard is 0.15× in the generator; an account flag mixes disputed and clean invoices.
        #expect(exp(dispute) > 0.15 && exp(dispute) < 0.95)
        #expect(try #require(beta["share_91_plus"]) < 0)
        #expect(try #require(beta["open_invoice_count"]) > 0)
        #expect(try #require(beta["average_days_late"]) < 0)
        #expect(cox.fit.converged)
        let c = try #require(recoveryTraining.bundle.manifest.holdoutMetrics.timeToPay?.concordance)
        #expect(c > 0.6)
    }
}

/// The trained call-window model is the pooled one and its holdout metrics sit beside the smoothed-rate baseline's.
@Suite("Pooled call-window model in training")
struct PooledCallWindowTrainingTests {
    @Test func theBundleCarriesTheAccountLevelAndTheBaselineMetrics() throws {
        let bundle = recoveryTraining.bundle
        let effects = try #require(bundle.callWindow.accountEffects)
        #expect(effects.layout == .grid(weekdays: CallWindows.weekdays, blocksPerDay: CallWindows.windowsPerDay))
        let metrics = try #require(bundle.manifest.holdoutMetrics.callWindow)
        let auc = try #require(metrics.auc), baselineAuc = try #require(metrics.baselineAuc)
        let logLoss = try #require(metrics.logLoss), baselineLogLoss = try #require(metrics.baselineLogLoss)
        // On the generator's own world the pooled model predicts held-out attempts better than the baseline.
        #expect(auc > baselineAuc)
        #expect(logLoss < baselineLogLoss)
        #expect(bundle.card.contains("smoothed-rate baseline: AUC / log-loss"))
    }
}

/// A bundle whose call_window.json has a broken account level does not load, and the error names the file and field.
@Suite("Call-window file in a bundle")
struct CallWindowBundleFileTests {
    @Test func aMalformedAccountLevelIsRejectedWithTheFileAndField() throws {
        let bundle = recoveryTraining.bundle
        let models = try TemporaryFolder("bundle")
        let version = models.path + "/demo/v1"
        try FileManager.default.createDirectory(atPath: models.path + "/demo", withIntermediateDirectories: true)
        try bundle.write(to: version)
        var broken = bundle.callWindow
        broken.accountEffects?.layout.hourBlockOfWindow = [0, 1]
        try broken.jsonData().write(to: URL(fileURLWithPath: version + "/" + ModelBundle.FileName.callWindow))
        do {
            _ = try ModelBundle.load(path: models.path + "/demo")
            Issue.record("a malformed call_window.json loaded")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("call_window.json"))
            #expect(message.contains("hour_block_of_window has 2 entries for 25 windows"))
        }
    }
}
