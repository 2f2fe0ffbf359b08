import Foundation
import Metrics
import Reports

/// Hand-built, realistic `Reports.ComparisonResult` values for report tests (no training, fully deterministic).
///
/// `ReportFixtures.comparison()` has three bundles:
/// - 0 `collections/v1`: everything present, with backtest.
/// - 1 `collections/v2`: the best pay model; no promise model (`promise == nil`); with backtest.
/// - 2 `<script>alert("x")</script> & v3`: a hostile label; nil Harrell's C, no backtest, gains without cash values,
///   a fallback call-window model, no stored feature distributions, no survival bands.
/// The contact-rate grid has nil cells (Mon 08–10, Fri 16–18). Paired tests cover every pair.
enum ReportFixtures {
    static let labels = ["collections/v1", "collections/v2", "<script>alert(\"x\")</script> & v3"]
    static let hostileFolder = "/data/exports/<b>acme</b> & co/2024-06"

    static func comparison(backtest: Bool = true, bundleCount: Int = 3) -> Reports.ComparisonResult {
        let specs: [BundleSpec] = [
            BundleSpec(label: labels[0], auc: 0.731, shape: 0.37, bias: 0.03, concordance: 0.684, promise: true, backtest: backtest,
                       cashValues: true, windowFallback: nil, featurePSI: featurePSI(seed: 1, count: 14), bands: true,
                       scorePSI: 0.043),
            BundleSpec(label: labels[1], auc: 0.748, shape: 0.335, bias: -0.01, concordance: 0.702, promise: false, backtest: backtest,
                       cashValues: true, windowFallback: nil, featurePSI: featurePSI(seed: 2, count: 8), bands: true,
                       scorePSI: 0.128),
            BundleSpec(label: labels[2], auc: 0.702, shape: 0.425, bias: 0.06, concordance: nil, promise: true, backtest: false,
                       cashValues: false, windowFallback: "fewer than 200 attempts per window in training: global contact rates",
                       featurePSI: nil, bands: false, scorePSI: nil),
        ]
        let bundles = specs.prefix(bundleCount).enumerated().map { bundle($0.element, index: $0.offset) }
        var paired: [Reports.ComparisonResult.PairedComparison] = []
        for a in 0..<bundles.count {
            for b in (a + 1)..<bundles.count {
                paired.append(Reports.ComparisonResult.PairedComparison(a: a, b: b, test: pairedTest(bundles[a].pay.auc.auc, bundles[b].pay.auc.auc)))
            }
        }
        return Reports.ComparisonResult(data: holdoutData(), bundles: bundles, pairedTests: paired)
    }

    static func holdoutData() -> Reports.ComparisonResult.HoldoutData {
        let rates: [[Double?]] = [
            [nil, 0.214, 0.198, 0.231, 0.262],
            [0.187, 0.226, 0.205, 0.244, 0.281],
            [0.179, 0.219, 0.201, 0.238, 0.274],
            [0.171, 0.208, 0.193, 0.229, 0.266],
            [0.158, 0.191, 0.176, 0.204, nil],
        ]
        let attempts: [[Int]] = [
            [0, 1_412, 1_288, 1_351, 977],
            [642, 1_530, 1_301, 1_402, 1_024],
            [611, 1_498, 1_277, 1_388, 1_011],
            [590, 1_455, 1_250, 1_342, 989],
            [533, 1_302, 1_148, 1_187, 0],
        ]
        return Reports.ComparisonResult.HoldoutData(
            folder: hostileFolder,
            fingerprint: "9f3c2a71be04d8e5c6a1f0b29d7e4c3a8b5f6e1d2c3b4a5968778695a4b3c2d1",
            horizonDays: 30,
            schedule: "every-7-days",
            holdoutDates: ["2024-05-06", "2024-05-13", "2024-05-20", "2024-05-27", "2024-06-03"],
            accounts: 48_213,
            paidShare: 0.3127,
            cash: 18_734_512.37,
            promises: 3_904,
            attempts: attempts.joined().reduce(0, +),
            contactRate: rates,
            contactAttempts: attempts
        )
    }

    struct BundleSpec {
        var label: String
        var auc: Double
        /// ROC power-curve exponent k (TPR = FPR^k); gains use a similar concave curve.
        var shape: Double
        /// Calibration bias: observed = predicted × (1 − bias).
        var bias: Double
        var concordance: Double?
        var promise: Bool
        var backtest: Bool
        var cashValues: Bool
        var windowFallback: String?
        var featurePSI: [String: Double]?
        var bands: Bool
        var scorePSI: Double?
    }

    static func bundle(_ spec: BundleSpec, index: Int) -> Reports.ComparisonResult.BundleEvaluation {
        let se = 0.0042 + 0.0003 * Double(index)
        let auc = AUCInference(auc: spec.auc, standardError: se, lower95: spec.auc - 1.96 * se, upper95: spec.auc + 1.96 * se,
                               positives: 15_076, negatives: 33_137)
        // ROC: TPR = FPR^k, 101 points.
        let roc = (0...100).map { i -> ROCPoint in
            let fpr = Double(i) / 100
            return ROCPoint(falsePositiveRate: fpr, truePositiveRate: pow(fpr, spec.shape), threshold: i == 0 ? .infinity : 1 - fpr)
        }
        let calibration = (0..<10).map { i -> CalibrationBin in
            let predicted = 0.04 + 0.083 * Double(i) + 0.002 * Double(index)
            let observed = min(1, max(0, predicted * (1 - spec.bias) + 0.006 * sin(Double(i + index))))
            return CalibrationBin(index: i, count: 4_821, weight: 4_821, meanPredicted: predicted, observedRate: observed,
                                  minPredicted: predicted - 0.03, maxPredicted: predicted + 0.03)
        }
        let paidShare = 0.3127
        // Gains: captured(s) = 1 − (1 − s)^c, so lift(s) = captured(s)/s falls from c at the very top to 1 at s = 1.
        let power = 1 / spec.shape
        func liftPoint(_ share: Double) -> LiftPoint {
            let captured = 1 - pow(1 - share, power)
            let rows = Int((share * 48_213).rounded(.up))
            let rate = captured * paidShare / share
            let valueShare = 1 - pow(1 - share, power + 0.4)
            return LiftPoint(share: share, rows: rows, positiveRate: rate, lift: rate / paidShare, capturedPositives: captured,
                             capturedValue: spec.cashValues ? valueShare : nil, value: spec.cashValues ? valueShare * 18_734_512.37 : nil)
        }
        let lift = [0.05, 0.10, 0.20].map(liftPoint)
        let gains = (1...50).map { liftPoint(Double($0) / 50) }
        let bands: [Reports.ComparisonResult.SurvivalBand] = spec.bands ? [
            survivalBand("slowest third (lowest score)", accounts: 16_071, hazard: 0.0031, drift: 1.12),
            survivalBand("middle third", accounts: 16_071, hazard: 0.0095 + 0.0005 * Double(index), drift: 1.04),
            survivalBand("fastest third (highest score)", accounts: 16_071, hazard: 0.021 + 0.001 * Double(index), drift: 0.97),
        ] : []
        let coxCalibration = calibration.map { bin -> CalibrationBin in
            var copy = bin
            copy.meanPredicted = min(1, bin.meanPredicted * 1.05)
            return copy
        }
        let window = Reports.ComparisonResult.WindowMetrics(
            attempts: 27_510, auc: spec.windowFallback == nil ? 0.612 + 0.011 * Double(index) : nil,
            logLoss: spec.windowFallback == nil ? 0.5012 - 0.004 * Double(index) : nil,
            rpcRateInChosenWindow: spec.windowFallback == nil ? 0.251 + 0.012 * Double(index) : 0.219,
            attemptsInChosenWindow: 6_204 + 311 * index,
            rpcRateInOtherWindows: spec.windowFallback == nil ? 0.196 - 0.003 * Double(index) : 0.211,
            fallback: spec.windowFallback
        )
        let promise: Reports.ComparisonResult.PromiseMetrics? = spec.promise
            ? Reports.ComparisonResult.PromiseMetrics(
                promises: 3_904,
                auc: AUCInference(auc: 0.664 - 0.02 * Double(index), standardError: 0.0093, lower95: 0.646 - 0.02 * Double(index),
                                  upper95: 0.682 - 0.02 * Double(index), positives: 2_381, negatives: 1_523),
                brier: 0.2214 + 0.004 * Double(index), fallback: nil)
            : nil
        var notes: [String] = []
        if index == 2 { notes.append("Trained on data up to 2024-05-20, which overlaps the holdout period.") }
        return Reports.ComparisonResult.BundleEvaluation(
            label: spec.label,
            path: "/srv/arscore/bundles/\(spec.label)",
            trainedAt: "2024-0\(4 + min(index, 1))-2\(index)T09:1\(index):00Z",
            notes: notes,
            pay: Reports.ComparisonResult.PayMetrics(
                auc: auc, ks: 0.342 + 0.02 * (spec.auc - 0.73) * 10, gini: 2 * spec.auc - 1,
                logLoss: 0.5521 - (spec.auc - 0.73) * 0.4, brier: 0.1862 - (spec.auc - 0.73) * 0.15,
                calibration: calibration, lift: lift, roc: roc, gains: gains
            ),
            timeToPay: Reports.ComparisonResult.TimeToPayMetrics(concordance: spec.concordance, calibration: spec.bands ? coxCalibration : [],
                                                         bands: bands),
            callWindow: window,
            promise: promise,
            stability: Reports.ComparisonResult.StabilityMetrics(scorePSI: spec.scorePSI, featurePSI: spec.featurePSI),
            backtest: spec.backtest ? backtestDays(uplift: 1.18 + 0.07 * Double(index)) : []
        )
    }

    /// A Kaplan–Meier-like step curve (event every 3 days) and a smooth mean predicted curve, days 0…90.
    static func survivalBand(_ label: String, accounts: Int, hazard: Double, drift: Double) -> Reports.ComparisonResult.SurvivalBand {
        var observed = [SurvivalPoint(time: 0, survival: 1, atRisk: accounts)]
        for day in stride(from: 3, through: 87, by: 3) {
            let s = exp(-hazard * Double(day) * drift)
            observed.append(SurvivalPoint(time: Double(day), survival: s, atRisk: Int(Double(accounts) * s)))
        }
        let predicted = (0...90).map { exp(-hazard * Double($0)) }
        return Reports.ComparisonResult.SurvivalBand(label: label, accounts: accounts, observed: observed, predicted: predicted)
    }

    static func backtestDays(uplift: Double) -> [Reports.ComparisonResult.BacktestDay] {
        let dates = ["2024-05-06", "2024-05-07", "2024-05-08", "2024-05-09", "2024-05-10",
                     "2024-05-13", "2024-05-14", "2024-05-15", "2024-05-16", "2024-05-17"]
        return dates.enumerated().map { i, date in
            let base = 41_000 + 2_500 * sin(Double(i))
            return Reports.ComparisonResult.BacktestDay(asOf: date, calls: 240, queueCash: base * uplift, agingCash: base,
                                                randomCash: base * 0.74)
        }
    }

    static func featurePSI(seed: Int, count: Int) -> [String: Double] {
        let names = ["days_past_due", "open_balance", "invoice_count", "avg_days_to_pay_12m", "promises_broken_90d",
                     "last_payment_amount", "days_since_last_payment", "credit_limit_utilisation", "dispute_count",
                     "contact_rate_30d", "industry_code", "region", "account_age_days", "partial_payments_6m"]
        var result: [String: Double] = [:]
        for (i, name) in names.prefix(count).enumerated() {
            let x = Double((i * 37 + seed * 11) % 29) / 29
            result[name] = 0.004 + 0.32 * x * x
        }
        return result
    }

    /// A paired test with `difference = aucA − aucB` (the `DeLong.pairedTest` convention).
    static func pairedTest(_ aucA: Double, _ aucB: Double) -> PairedAUCTest {
        let difference = aucA - aucB
        let se = 0.0061
        let z = difference / se
        let p = erfc(abs(z) / 2.0.squareRoot())
        return PairedAUCTest(aucA: aucA, aucB: aucB, difference: difference, standardError: se, z: z, pValue: p,
                             lower95: difference - 1.959964 * se, upper95: difference + 1.959964 * se)
    }
}
