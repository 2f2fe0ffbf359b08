import Bundles
import Evaluation
import Foundation
import Models
import Receivables
import TestSupport
import Testing
import Training

/// A small export for the failure and fallback cases (300 customers, 12 months).
let smallHistory: GeneratedHistory = {
    do { return try GeneratedHistory(customers: 300, months: 12, seed: 5) } catch {
        fatalError("cannot generate the small export: \(error)")
    }
}()

@Suite("Training: bad inputs and fallbacks")
struct TrainingFailureTests {
    @Test func historyTooShortForTheHoldoutIsNamed() throws {
        let short = try GeneratedHistory(customers: 120, months: 5, seed: 9)
        #expect {
            try trainBundle(short.export, options: TrainingOptions(holdoutSnapshots: 2))
        } throws: { error in
            guard case HoldoutError.historyTooShort(let detail) = error else { return false }
            return detail.contains("--holdout 2") && detail.contains("snapshot")
        }
        // A long enough history with a holdout that eats it all is refused the same way.
        #expect(throws: HoldoutError.self) {
            try trainBundle(smallHistory.export, options: TrainingOptions(holdoutSnapshots: 9))
        }
    }

    @Test func anAbsentClassIsNamed() throws {
        // Nobody ever pays: "paid within 30 days" is 0 at every training snapshot.
        let folder = try smallHistory.copy(rewriting: ["payments.csv": "payment_id,customer_id,payment_date,amount,invoice_id\n"])
        let export = try ExportLoader.load(folder: folder.path)
        #expect {
            try trainBundle(export)
        } throws: { error in
            guard case TrainingError.singleClass(let model, let detail) = error else { return false }
            return model == "pay_likelihood" && detail.contains("both outcomes")
        }
    }

    @Test func aFitThatDoesNotConvergeIsReported() throws {
        var options = TrainingOptions()
        options.newton.maxIterations = 1
        #expect {
            try trainBundle(smallHistory.export, options: options)
        } throws: { error in
            guard case TrainingError.fitFailed(let model, let reason) = error else { return false }
            return model == "pay_likelihood" && reason.contains("did not converge")
        }
    }

    @Test func noCallLogAndNoPromisesFallBackAndSaySo() throws {
        let folder = try smallHistory.copy(dropping: ["calls.csv", "promises.csv"])
        let export = try ExportLoader.load(folder: folder.path)
        let result = try trainBundle(export)
        let bundle = result.bundle
        #expect(bundle.callWindow.fallback?.contains("no call attempts") == true)
        guard case .populationRate(let rate) = bundle.promiseKept else {
            Issue.record("expected the population-rate promise model")
            return
        }
        #expect(rate.rate == 0.5 && rate.reason.contains("no promises.csv"))
        #expect(bundle.manifest.fallbacks.count == 4)
        #expect(bundle.manifest.fallbacks.contains { $0.hasPrefix("call_window:") })
        // No call log, no call effect: the bundle says so and scoring by incremental_cash falls back to expected cash.
        #expect(bundle.callEffect == nil && bundle.manifest.models.callEffect == nil && bundle.manifest.callEffect == nil)
        #expect(bundle.manifest.fallbacks.contains { $0.hasPrefix("call_effect:") && $0.contains("no calls.csv") })
        #expect(bundle.manifest.fallbacks.contains { $0.hasPrefix("promise_kept:") })
        #expect(bundle.card.contains("## Fallbacks") && bundle.card.contains("no promises.csv"))
        // The pay and time-to-pay models still train and are evaluated.
        #expect(bundle.manifest.holdoutMetrics.payLikelihood != nil)
        #expect(bundle.manifest.holdoutMetrics.timeToPay?.concordance != nil)
        // A window model without history gives everyone the same flat rate.
        let flat = try bundle.callWindow.contactProbabilities(attempts: .init(rows: 1, columns: 25), contacts: .init(rows: 1, columns: 25))
        #expect(Set(flat.storage).count == 1)
    }

    @Test func theBundleRoundTripsAndAnExistingVersionIsNeverOverwritten() throws {
        let bundle = try trainBundle(smallHistory.export).bundle
        let models = try TemporaryFolder("bundle")
        let version = models.path + "/demo/v1"
        try FileManager.default.createDirectory(atPath: models.path + "/demo", withIntermediateDirectories: true)
        try bundle.write(to: version)
        let loaded = try ModelBundle.load(path: models.path + "/demo")
        #expect(loaded.manifest == bundle.manifest)
        #expect(loaded.payLikelihood == bundle.payLikelihood)
        #expect(loaded.timeToPay == bundle.timeToPay)
        #expect(loaded.callWindow == bundle.callWindow)
        #expect(loaded.promiseKept == bundle.promiseKept)
        #expect(loaded.cashShare != nil && loaded.cashShare == bundle.cashShare)
        #expect(models.contents("demo") == ["v1"])
        // Writing the same version again fails and leaves the first untouched.
        let before = try Data(contentsOf: URL(fileURLWithPath: version + "/bundle.json"))
        #expect(throws: BundleError.versionExists(version)) { try bundle.write(to: version) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: version + "/bundle.json")) == before)
        #expect(models.contents("demo") == ["v1"])
        #expect(ModelBundle.nextVersion(in: models.path + "/demo") == "v2")
    }

    @Test func aCorruptOrHostileBundleIsAClearError() throws {
        let bundle = try trainBundle(smallHistory.export).bundle
        func corrupted(_ edit: (String) throws -> Void) throws -> String {
            let folder = try TemporaryFolder("corrupt")
            let version = folder.path + "/v1"
            try bundle.write(to: version)
            try edit(version)
            do {
                _ = try ModelBundle.load(path: version)
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        func replace(_ file: String, _ old: String, _ new: String) -> (String) throws -> Void {
            { version in
                let path = version + "/" + file
                let text = try String(contentsOfFile: path, encoding: .utf8)
                #expect(text.contains(old), "fixture text missing in \(file)")
                try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: URL(fileURLWithPath: path))
            }
        }
        let missing = try corrupted { try FileManager.default.removeItem(atPath: $0 + "/call_window.json") }
        #expect(missing.contains("call_window.json") && missing.contains("missing"))
        let escaping = try corrupted(replace("bundle.json", "\"file\" : \"time_to_pay.json\"", "\"file\" : \"../../etc/passwd\""))
        #expect(escaping.contains("models.time_to_pay.file"))
        let notJSON = try corrupted(replace("pay_likelihood.json", "\"kind\" : \"logistic\"", "\"kind\" : "))
        #expect(notJSON.contains("pay_likelihood.json"))
        let wrongKind = try corrupted(replace("time_to_pay.json", "\"kind\" : \"cox\"", "\"kind\" : \"logistic\""))
        #expect(wrongKind.contains("time_to_pay.json") && wrongKind.contains("cox"))
        let badRate = try corrupted(replace("call_window.json", "\"format_version\" : 2", "\"format_version\" : 7"))
        #expect(badRate.contains("call_window.json") && badRate.contains("format_version 7"))
        #expect(try corrupted { _ in } == "loaded")
    }

    @Test func theNewestVersionIsUsedWhenNoneIsNamed() throws {
        let bundle = try trainBundle(smallHistory.export).bundle
        let folder = try TemporaryFolder("versions")
        for version in ["v1", "v2", "v10"] {
            var copy = bundle
            copy.manifest.version = version
            try copy.write(to: folder.path + "/" + version)
        }
        try FileManager.default.createDirectory(atPath: folder.path + "/v11-notes", withIntermediateDirectories: true)
        #expect(try ModelBundle.resolveVersionFolder(folder.path) == folder.path + "/v10")
        #expect(try ModelBundle.load(path: folder.path).manifest.version == "v10")
        #expect(throws: BundleError.self) { try ModelBundle.load(path: folder.path + "/v3") }
    }
}
