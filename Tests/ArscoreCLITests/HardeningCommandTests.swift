import Foundation
import Jobs
import Testing
import TestSupport
@testable import ArscoreCLI

/// Issue 16 at the command level: bad bundles, non-finite scores, as-of bounds, output folders, neutralised features.
@Suite("Command hardening") struct HardeningCommandTests {
    /// A change to a copy of Models/demo/v1 and the text the one-line error must contain.
    struct BundleDamage: Sendable, CustomStringConvertible {
        let name: String
        let file: String
        let expected: String
        let edit: @Sendable (inout [String: Any]) -> Void

        var description: String { name }

        func apply(to version: String) throws {
            let path = version + "/" + file
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            edit(&object)
            try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                .write(to: URL(fileURLWithPath: path))
        }
    }

    static func nested(_ object: inout [String: Any], _ keys: [String], _ value: Any?) {
        guard let first = keys.first else { return }
        if keys.count == 1 { object[first] = value; return }
        var inner = object[first] as! [String: Any]
        nested(&inner, Array(keys.dropFirst()), value)
        object[first] = inner
    }

    static let damages: [BundleDamage] = [
        .init(name: "wrong kind in the manifest", file: "bundle.json", expected: "key \"models.pay_likelihood.kind\"") {
            nested(&$0, ["models", "pay_likelihood", "kind"], "cox") },
        .init(name: "feature count", file: "bundle.json", expected: "key \"models.pay_likelihood.features\"") {
            nested(&$0, ["models", "pay_likelihood", "features"], 3) },
        .init(name: "horizon 0", file: "bundle.json", expected: "key \"training.horizon_days\" is 0") {
            nested(&$0, ["training", "horizon_days"], 0) },
        .init(name: "horizon negative", file: "bundle.json", expected: "key \"training.horizon_days\" is -5") {
            nested(&$0, ["training", "horizon_days"], -5) },
        .init(name: "horizon 1e9", file: "bundle.json", expected: "key \"training.horizon_days\" is 1000000000") {
            nested(&$0, ["training", "horizon_days"], 1_000_000_000) },
        .init(name: "unknown fallback", file: "bundle.json", expected: "key \"fallbacks\" holds an unknown fallback") {
            $0["fallbacks"] = ["mystery: something"] },
        .init(name: "version", file: "bundle.json", expected: "key \"version\" is \"v7\"") { $0["version"] = "v7" },
        .init(name: "unsorted edges", file: "bundle.json", expected: "key \"score_distribution\": \"edges\"") {
            var distribution = $0["score_distribution"] as! [String: Any]
            distribution["edges"] = ((distribution["edges"] as! [Double]).reversed() as [Double])
            $0["score_distribution"] = distribution },
        .init(name: "shares length", file: "bundle.json", expected: "key \"score_distribution\": \"shares\" has") {
            var distribution = $0["score_distribution"] as! [String: Any]
            distribution["shares"] = Array((distribution["shares"] as! [Double]).dropLast())
            $0["score_distribution"] = distribution },
        .init(name: "missing key", file: "pay_likelihood.json", expected: "missing key \"intercept\"") { $0["intercept"] = nil },
        .init(name: "sd 0", file: "pay_likelihood.json", expected: "must have a finite mean and a positive sd") {
            var scales = $0["standardization"] as! [String: Any]
            let first = scales.keys.sorted()[0]
            scales[first] = ["mean": 1.0, "sd": 0.0]
            $0["standardization"] = scales },
        .init(name: "sd missing", file: "pay_likelihood.json", expected: "missing key \"standardization.") {
            var scales = $0["standardization"] as! [String: Any]
            scales[scales.keys.sorted()[0]] = nil
            $0["standardization"] = scales },
        .init(name: "overflowing scores", file: "pay_likelihood.json", expected: "P(pay) is not a finite number") {
            var coefficients = $0["coefficients"] as! [String: Double]
            for (k, name) in coefficients.keys.sorted().enumerated() { coefficients[name] = k % 2 == 0 ? 1e308 : -1e308 }
            $0["coefficients"] = coefficients },
    ]

    /// Scores a hand-built export once (so a folder is published), then with the damaged bundle.
    func scoreWithDamagedBundle(_ apply: (String) throws -> Void) throws -> (message: String?, out: String, folder: TemporaryFolder) {
        let folder = try TemporaryFolder()
        let data = try writeExport(baselineExport(), in: folder), out = folder.path + "/queues"
        #expect(runCommand(scoreArguments(data: data, out: out, asOf: "2026-06-17")) == nil)
        let bundle = folder.path + "/Models/broken"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: demoModelPath + "/v1", toPath: bundle + "/v1")
        try apply(bundle + "/v1")
        return (runCommand(scoreArguments(data: data, model: bundle, out: out, asOf: "2026-06-18")), out, folder)
    }

    @Test("each bundle inconsistency is a one-line error naming the file and the key; nothing is published",
          arguments: damages)
    func bundleValidation(_ damage: BundleDamage) throws {
        let (message, out, folder) = try scoreWithDamagedBundle { try damage.apply(to: $0) }
        defer { withExtendedLifetime(folder) {} }
        let text = try #require(message)
        #expect(text.contains(damage.file) && text.contains(damage.expected) && !text.contains("\n"), "\(text)")
        #expect(entries(out) == ["2026-06-17", "latest"])
    }

    @Test("a promise-kept model whose coefficients overflow fails the run naming promise_kept.json")
    func nonFinitePromiseKept() throws {
        let folder = try TemporaryFolder()
        var hand = baselineExport(asOf: "2026-06-18")
        _ = hand.invoice("R-NYC", issued: -45, amount: 900)
        hand.promise("R-NYC", created: -3, due: 2, amount: 300)
        let data = try writeExport(hand, in: folder), out = folder.path + "/queues"
        let bundle = folder.path + "/Models/broken"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: demoModelPath + "/v1", toPath: bundle + "/v1")
        try BundleDamage(name: "promise", file: "promise_kept.json", expected: "") { object in
            var coefficients = object["coefficients"] as! [String: Double]
            for (k, name) in coefficients.keys.sorted().enumerated() { coefficients[name] = k % 2 == 0 ? 1e308 : -1e308 }
            object["coefficients"] = coefficients
        }.apply(to: bundle + "/v1")
        #expect(runCommand(scoreArguments(data: data, out: out, asOf: "2026-06-18")) == nil)
        let message = try #require(runCommand(scoreArguments(data: data, model: bundle, out: out, asOf: "2026-06-18")))
        #expect(message.contains("broken/v1/promise_kept.json: P(kept) is not a finite number"), "\(message)")
    }

    @Test("a duplicate JSON key in a model file or bundle.json is an error, not first-wins")
    func duplicateKeys() throws {
        for file in ["pay_likelihood.json", "bundle.json"] {
            let (message, _, _) = try scoreWithDamagedBundle { version in
                let path = version + "/" + file
                let text = try String(contentsOfFile: path, encoding: .utf8)
                let key = file == "bundle.json" ? "\"name\" : \"x\",\n  " : "\"intercept\" : 5,\n  "
                let doubled = text.replacingOccurrences(of: "{\n  ", with: "{\n  " + key, options: [], range: text.range(of: "{\n  "))
                try Data(doubled.utf8).write(to: URL(fileURLWithPath: path))
            }
            let text = try #require(message)
            #expect(text.contains(file) && text.contains("duplicate key"), "\(text)")
        }
    }

    @Test("control characters a hostile bundle puts into a message are escaped before they reach stderr")
    func controlCharactersInMessages() throws {
        let (message, _, _) = try scoreWithDamagedBundle { version in
            let path = version + "/pay_likelihood.json"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("\"attempts_30d\""))
            try Data(text.replacingOccurrences(of: "\"attempts_30d\"", with: "\"evil\\u001b[2J\"").utf8)
                .write(to: URL(fileURLWithPath: path))
        }
        let text = try #require(message)
        #expect(text.contains("evil\\u{1b}[2J") && !text.contains("\u{1b}"), "\(text)")
    }

    @Test("--as-of outside the supported dates or far from the export's data is refused; nothing is published")
    func asOfBounds() throws {
        let folder = try TemporaryFolder()
        let out = folder.path + "/queues"
        for asOf in ["1970-01-01", "9999-12-31"] {
            let message = try #require(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: asOf)))
            #expect(message.contains("outside the supported dates 1990-01-01 … 2100-12-31"), "\(message)")
        }
        let late = try #require(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: "2028-01-01")))
        #expect(late.contains("days after the export's newest row"), "\(late)")
        let early = try #require(runCommand(scoreArguments(data: demoDataPath, out: out, asOf: "2024-01-01")))
        #expect(early.contains("is not after the export's first invoice"), "\(early)")
        #expect(entries(out).isEmpty)
    }

    @Test("a replay of an older day publishes its folder and its report says latest stayed")
    func replayReport() throws {
        let folder = try TemporaryFolder()
        let out = folder.path + "/queues"
        func run(_ day: String) throws -> NightlyScoring.Report {
            try NightlyScoring.run(.init(exportFolder: demoDataPath, modelPath: demoModelPath, outFolder: out,
                                         asOf: Int32(Days.number(day))))
        }
        let newest = try run("2026-11-02")
        #expect(newest.movedLatest && !newest.summary.contains("latest stays"))
        let replay = try run("2026-10-15")
        #expect(!replay.movedLatest && replay.latestAsOf == "2026-11-02")
        #expect(replay.summary.hasSuffix("; latest stays on 2026-11-02 (this replay of an older day does not move it)"))
        #expect(latestTarget(out) == "2026-11-02" && entries(out) == ["2026-10-15", "2026-11-02", "latest"])
    }

    @Test("train --out naming a file or an unwritable folder prints a plain message naming the path")
    func trainOutputFolder() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("taken", "x")
        let message = try #require(runCommand(["train", "--data", demoDataPath, "--out", file + "/demo", "--quiet"]))
        #expect(message == "arscore: \(file): exists and is not a folder", "\(message)")
        // A Foundation error reaching the command line is mapped to path: reason, never a UserInfo dump.
        let cocoa = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteFileExistsError, userInfo: [NSFilePathErrorKey: file])
        #expect(ArscoreMain.oneLineMessage(for: cocoa) == "arscore: \(file): a file with this name already exists (expected a folder or nothing)")
    }

    @Test("arscore features neutralises ids like every CSV arscore writes")
    func featuresNeutralised() throws {
        let folder = try TemporaryFolder()
        var hand = baselineExport()
        hand.customer("=HYPERLINK(1)", zone: "UTC")
        _ = hand.invoice("=HYPERLINK(1)", issued: -60, amount: 500)
        let data = try writeExport(hand, in: folder), out = folder.path + "/features.csv"
        #expect(runCommand(["features", "--data", data, "--as-of", "2026-06-17", "--out", out]) == nil)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("\n\"'=HYPERLINK(1)\",") || text.contains("\n'=HYPERLINK(1),"), "\(text.prefix(400))")
        #expect(!text.contains("\n=HYPERLINK"))
    }
}
