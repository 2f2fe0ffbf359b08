import Bundles
import Features
import Foundation
import Receivables
import Scoring
import TestSupport
import Testing

/// The cash-share model in the bundle: round trip, strict validation when listed, the P(pay) fallback of an older
/// bundle without it, and `ScoredAccounts.cashShare`.
struct CashShareBundleTests {
    /// Writes the demo bundle into a scratch folder and returns the version folder's path.
    func writtenDemoBundle(_ folder: TemporaryFolder) throws -> String {
        let path = folder.path("demo/v1")
        try demoBundle.write(to: path)
        return path
    }

    /// Rewrites the `models` object of the bundle.json at `path` with `edit`.
    func editManifest(_ path: String, _ edit: (inout [String: Any]) -> Void) throws {
        let file = path + "/bundle.json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        var models = try #require(object["models"] as? [String: Any])
        edit(&models)
        object["models"] = models
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
    }

    @Test func theDemoBundleCarriesACashShareModel() throws {
        let cash = try #require(demoBundle.cashShare)
        #expect(demoBundle.manifest.models.cashShare?.file == "cash_share.json")
        #expect(cash.l2 == demoBundle.payLikelihood.l2)
        #expect(!demoBundle.manifest.fallbacks.contains(ModelBundle.cashShareFallback))
        #expect(demoBundle.manifest.holdoutMetrics.cashShare?.shareModel == "cash_share")
    }

    @Test func aBundleWithTheCashShareModelRoundTrips() throws {
        let folder = try TemporaryFolder("cash-bundle")
        let path = try writtenDemoBundle(folder)
        #expect(folder.exists("demo/v1/cash_share.json"))
        let loaded = try ModelBundle.load(path: path)
        #expect(loaded.cashShare == demoBundle.cashShare && loaded.manifest == demoBundle.manifest)
        // Byte for byte: writing the loaded committed bundle reproduces its files.
        for file in ["bundle.json", "cash_share.json", "pay_likelihood.json"] {
            let committed = try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Models/demo/v1/" + file))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/" + file)) == committed, "\(file) differs")
        }
    }

    @Test func anOlderBundleWithoutItLoadsWithAFallbackNoteAndScoresWithPPay() throws {
        let folder = try TemporaryFolder("cash-bundle")
        let path = try writtenDemoBundle(folder)
        try folder.remove("demo/v1/cash_share.json")
        try editManifest(path) { $0["cash_share"] = nil }
        let old = try ModelBundle.load(path: path)
        #expect(old.cashShare == nil)
        #expect(old.manifest.models.cashShare == nil)
        #expect(old.manifest.fallbacks.last == ModelBundle.cashShareFallback)
        #expect(old.cashShareSource == "pay_likelihood")

        let export = try ExportLoader.load(folder: packageRoot + "/Datasets/demo")
        let table = FeatureBuilder(export: export).snapshot(asOf: cashShareDemoAsOf)
        let scoredOld = try AccountScorer.score(table, bundle: old, expectedDaysHorizon: 30)
        #expect(scoredOld.cashShare == scoredOld.pPay)
        let scored = try AccountScorer.score(table, bundle: demoBundle, expectedDaysHorizon: 30)
        #expect(scored.cashShare.count == scored.count)
        #expect(scored.cashShare.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(scored.cashShare != scored.pPay)
    }

    @Test func aListedButMissingFileIsAnErrorNamingTheFileAndKey() throws {
        let folder = try TemporaryFolder("cash-bundle")
        let path = try writtenDemoBundle(folder)
        try folder.remove("demo/v1/cash_share.json")
        let error = #expect(throws: BundleError.self) { try ModelBundle.load(path: path) }
        let text = error?.description ?? ""
        #expect(text.contains(path + "/cash_share.json") && text.contains("models.cash_share.file"), "\(text)")
    }

    @Test func aCorruptFileIsAnErrorNamingTheFile() throws {
        let folder = try TemporaryFolder("cash-bundle")
        let path = try writtenDemoBundle(folder)
        try folder.write("demo/v1/cash_share.json", "{\"kind\": \"logistic\"")
        let error = #expect(throws: BundleError.self) { try ModelBundle.load(path: path) }
        #expect(error?.description.contains("cash_share.json") == true, "\(error?.description ?? "")")
    }

    @Test func aWrongFileNameInTheManifestIsAnErrorNamingTheKey() throws {
        let folder = try TemporaryFolder("cash-bundle")
        let path = try writtenDemoBundle(folder)
        try editManifest(path) { models in
            var entry = models["cash_share"] as? [String: Any] ?? [:]
            entry["file"] = "share.json"
            models["cash_share"] = entry
        }
        let error = #expect(throws: BundleError.self) { try ModelBundle.load(path: path) }
        #expect(error?.description.contains("models.cash_share.file is \"share.json\"") == true)
    }
}

/// The as-of date the demo queue is scored on (the day after the demo export ends, 2026-11-02), as a day number.
private let cashShareDemoAsOf: Int32 = 20_759
