import Bundles
import CallGrid
import Features
import Foundation
import LinearAlgebra
import Models

/// Every account's scores as of one date: P(pay within H), the cash share, time to pay, and P(right-party contact)
/// per window.
public struct ScoredAccounts: Sendable {
    /// The snapshot (accounts with an open balance, in customer order) the scores belong to.
    public var table: FeatureTable
    /// P(pay within H days) from the pay-likelihood model.
    public var pPay: [Double]
    /// Expected share of the past-due balance collected within H days, in [0, 1]: the bundle's cash-share model, or
    /// `pPay` for a bundle without one (its manifest's fallbacks say so). Expected cash = past_due_balance × cashShare.
    public var cashShare: [Double]
    /// The call-effect model's effect(x) = share if treated − share if not (a share of the past-due balance), or nil
    /// for a bundle without the model.
    public var callEffect: [Double]? = nil
    /// Whether `callEffect` is per call placed (a model learnt from logged selections) rather than per right-party
    /// contact, so a call's incremental cash is past due × effect, not past due × effect × P(contact).
    public var callEffectIsPerCall = false
    /// Cox linear predictor and restricted mean days to the first payment up to the policy's horizon.
    public var coxLinearPredictor: [Double]
    public var expectedDaysToPay: [Double]
    /// The chosen window (0 … 24) and its P(right-party contact).
    public var chosenWindow: [Int]
    public var pContact: [Double]
    /// P(right-party contact) per account and window, row-major accounts × 25 (`CallWindows` order), for today's plan.
    public var windowContact: [Double] = []
    /// The pay model's design (row-major accounts × its features), kept for reason codes.
    public var payDesign: Matrix

    public var count: Int { table.rowCount }

    /// P(contact) per window of one row: `windowContact`'s, or, for scores made without the matrix, the chosen
    /// window's P(contact) and 0 elsewhere.
    public func windowContact(ofRow row: Int) -> [Double] {
        let windows = CallWindows.count
        guard windowContact.count == count * windows else {
            var only = [Double](repeating: 0, count: windows)
            only[chosenWindow[row]] = pContact[row]
            return only
        }
        return Array(windowContact[(row * windows)..<((row + 1) * windows)])
    }
}

/// Scores a snapshot with a bundle's models: one GEMV per linear model (pay likelihood, cash share, Cox), one GEMM
/// for all accounts × windows.
public enum AccountScorer {
    /// Checks that every feature the bundle's models read is one this build computes.
    /// - Throws: `BundleError.invalid` naming the model and the feature.
    public static func checkFeatures(of bundle: ModelBundle, source: String) throws {
        let accountColumns = Set(Feature.names)
        let promiseColumns = accountColumns.union(PromiseFeature.names)
        let cashShare = bundle.cashShare.map { [(ModelBundle.FileName.cashShare, $0.features, accountColumns)] } ?? []
        let callEffect = bundle.callEffect.map { [(ModelBundle.FileName.callEffect, $0.accountFeatures, accountColumns)] } ?? []
        for (file, features, known) in [(ModelBundle.FileName.payLikelihood, bundle.payLikelihood.features, accountColumns),
                                        (ModelBundle.FileName.timeToPay, bundle.timeToPay.features, accountColumns),
                                        (ModelBundle.FileName.promiseKept, bundle.promiseKept.features, promiseColumns)]
            + cashShare + callEffect {
            if let unknown = features.first(where: { !known.contains($0) }) {
                throw BundleError.invalid(source + "/" + file, reason: "reads feature \"\(unknown)\", which this arscore does not compute")
            }
        }
        guard bundle.callWindow.windows == CallWindows.names else {
            throw BundleError.invalid(source + "/" + ModelBundle.FileName.callWindow,
                                      reason: "windows differ from Mon–Fri × 08–10 … 16–18")
        }
    }

    /// Fails naming the model file when any score is NaN or infinite (`FiniteScores`).
    static func checkFinite(_ bundle: ModelBundle, pPay: [Double], cashShare: [Double], callEffect: [Double]?,
                            expectedDays: [Double], pContact: [Double]) throws {
        typealias File = ModelBundle.FileName
        try FiniteScores.check(pPay, what: "P(pay)", modelFile: FiniteScores.modelFile(bundle, File.payLikelihood))
        if bundle.cashShare != nil {
            try FiniteScores.check(cashShare, what: "the cash share", modelFile: FiniteScores.modelFile(bundle, File.cashShare))
        }
        if let callEffect {
            try FiniteScores.check(callEffect, what: "the call effect", modelFile: FiniteScores.modelFile(bundle, File.callEffect))
        }
        try FiniteScores.check(expectedDays, what: "the expected days to pay", modelFile: FiniteScores.modelFile(bundle, File.timeToPay))
        try FiniteScores.check(pContact, what: "P(contact)", modelFile: FiniteScores.modelFile(bundle, File.callWindow))
    }

    /// Scores every row of `table` with `bundle`; every score is checked finite.
    /// - Throws: `NonFiniteScoreError` naming the model file when a score is NaN or infinite.
    public static func score(_ table: FeatureTable, bundle: ModelBundle, expectedDaysHorizon: Int) throws -> ScoredAccounts {
        let pay = bundle.payLikelihood
        let payDesign = try table.matrix(columns: pay.features)
        let pPay = try pay.probabilities(payDesign)
        let cashShare = try bundle.cashShare.map { model in
            try model.probabilities(model.features == pay.features ? payDesign : try table.matrix(columns: model.features))
        } ?? pPay
        let callEffect = try bundle.callEffect.map { model in
            try model.effects(model.accountFeatures == pay.features ? payDesign : try table.matrix(columns: model.accountFeatures))
        }
        let cox = bundle.timeToPay
        let linear = try cox.linearPredictors(try table.matrix(columns: cox.features))
        let expectedDays = cox.restrictedMeanTimes(linearPredictors: linear, horizon: Double(expectedDaysHorizon))
        // Windows in blocks of rows: the same two GEMMs per block, without holding n × 25 matrices of counts,
        // posteriors and probabilities for the whole book at once.
        var chosen = [Int](repeating: 0, count: table.rowCount), pContact = [Double](repeating: 0, count: table.rowCount)
        var windowContact = [Double](repeating: 0, count: table.rowCount * CallWindows.count)
        let block = 65_536
        for start in stride(from: 0, to: table.rowCount, by: block) {
            let rows = Array(start..<min(table.rowCount, start + block))
            let counts = table.windowCountMatrices(rows: rows)
            let probabilities = try bundle.callWindow.contactProbabilities(attempts: counts.attempts, contacts: counts.contacts)
            let best = CallWindowModel.chosenWindows(probabilities)
            let w = probabilities.columns
            for (i, window) in best.enumerated() {
                chosen[start + i] = window
                pContact[start + i] = probabilities.storage[i * w + window]
                for column in 0..<min(w, CallWindows.count) {
                    windowContact[(start + i) * CallWindows.count + column] = probabilities.storage[i * w + column]
                }
            }
        }
        try checkFinite(bundle, pPay: pPay, cashShare: cashShare, callEffect: callEffect, expectedDays: expectedDays,
                        pContact: pContact)
        var scored = ScoredAccounts(table: table, pPay: pPay, cashShare: cashShare, callEffect: callEffect,
                                    callEffectIsPerCall: bundle.callEffect?.effectIsPerCall ?? false, coxLinearPredictor: linear,
                                    expectedDaysToPay: expectedDays, chosenWindow: chosen, pContact: pContact, payDesign: payDesign)
        scored.windowContact = windowContact
        return scored
    }
}
