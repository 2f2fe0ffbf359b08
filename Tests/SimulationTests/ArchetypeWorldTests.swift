import CivilTime
import FileSafety
import Foundation
import Receivables
import Testing
@testable import Simulation

/// The shared archetypes-world export: 3,000 customers over 12 months (generated once per test run).
let sharedArchetypeExport: LoadedExport = {
    do {
        return try generateAndLoad(GeneratorConfiguration(customers: 3000, months: 12, seed: 5, end: "2026-11-01", world: .archetypes))
    } catch {
        fatalError("cannot generate the archetypes export: \(error)")
    }
}()

/// Day number of a `YYYY-MM-DD` date (or of the date part of a timestamp).
private func dayNumber(_ text: String) -> Int { Int(CivilDate.parseExact(String(text.prefix(10)))!) }

@Suite("Two worlds")
struct WorldSelectionTests {
    /// sha256 of each file of `arscore generate --out X --customers 1500 --months 6 --seed 11` before the second world.
    static let liftDigests = [
        "calls.csv": "8a5d445cf15387e606a8b8733f3402334ca0883e9127c4d043552ca66c6c1685",
        "customers.csv": "3b6d3ca56013ef1de5747c9352ca5179347136d2a4d7db885936b004bca910a4",
        "invoices.csv": "3e699ff8452dc35e8351b288531ac06bca1f841ee7bf1d482a6fd673018264c6",
        "payments.csv": "05eb53a298865a4dacb613f5622c801c2611c8c79088f21e6f16254073a1f389",
        "promises.csv": "c980aef78228f1831372150806d43cd536f322f3fa0858cefefb12bc9afe7aa7",
        "truth.json": "3901445759614e2712ab1a23836ffbd7a61697a0d99b8fccd5b4d7601d08da20",
    ]

    @Test func liftOutputIsByteIdenticalToTheOneWorldGenerator() throws {
        let folder = temporaryFolder("lift-digest")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try HistoryGenerator.generate(GeneratorConfiguration(customers: 1500, months: 6, seed: 11), into: folder)
        for (name, digest) in Self.liftDigests {
            #expect(try SHA256.hash(fileAt: folder + "/" + name) == digest, "\(name) changed in the lift world")
        }
    }

    @Test func archetypesOutputIsDeterministicAndIndependentOfChunking() throws {
        let configuration = GeneratorConfiguration(customers: 250, months: 4, seed: 3, end: "2026-03-31", world: .archetypes)
        var outputs: [[String: Data]] = []
        for (workers, chunkSize) in [(1, 1000), (3, 7), (2, 64)] {
            let folder = temporaryFolder("archetypes-determinism")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            _ = try HistoryGenerator.run(configuration, into: folder, workers: workers, chunkSize: chunkSize, progress: nil)
            outputs.append(try readFiles(in: folder))
        }
        for other in outputs.dropFirst() {
            for (name, data) in outputs[0] { #expect(other[name] == data, "\(name) depends on the chunking") }
        }
        let liftFolder = temporaryFolder("lift-versus-archetypes")
        defer { try? FileManager.default.removeItem(atPath: liftFolder) }
        _ = try HistoryGenerator.generate(GeneratorConfiguration(customers: 250, months: 4, seed: 3, end: "2026-03-31"), into: liftFolder)
        let lift = try readFiles(in: liftFolder)
        for name in ["customers.csv", "payments.csv", "calls.csv", "truth.json"] {
            #expect(lift[name] != outputs[0][name], "\(name) is the same in both worlds")
        }
    }

    @Test func archetypesExportLoadsWithoutQuarantine() throws {
        let folder = temporaryFolder("archetypes-loader")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let summary = try HistoryGenerator.generate(
            GeneratorConfiguration(customers: 600, months: 8, seed: 21, world: .archetypes), into: folder)
        let export = try ExportLoader.load(folder: folder)
        #expect(export.quarantine.isEmpty, "\(export.quarantine.prefix(3))")
        #expect(export.customers.count == summary.customers)
        #expect(export.invoices.count == summary.invoices)
        #expect(export.payments.count == summary.payments)
        #expect(export.calls.count == summary.calls)
        #expect(export.promises.count == summary.promises)
    }

    @Test func theConfigurationDecodesWithoutAWorldAsLift() throws {
        let old = #"{"customers": 10, "months": 2, "seed": 4, "end": "2026-01-01"}"#
        let decoded = try JSONDecoder().decode(GeneratorConfiguration.self, from: Data(old.utf8))
        #expect(decoded == GeneratorConfiguration(customers: 10, months: 2, seed: 4, end: "2026-01-01"))
        #expect(decoded.world == .lift)
        let archetypes = GeneratorConfiguration(customers: 10, world: .archetypes)
        let roundTrip = try JSONDecoder().decode(GeneratorConfiguration.self, from: JSONEncoder().encode(archetypes))
        #expect(roundTrip == archetypes)
        #expect(WorldKind(name: "archetypes") == .archetypes && WorldKind(name: "flat") == nil)
    }

    @Test func truthNamesTheWorldAndItsParameters() throws {
        let truth = sharedArchetypeExport.truth
        let configuration = try #require(truth["configuration"] as? [String: Any])
        #expect(configuration["world"] as? String == "archetypes")
        let parameters = try #require(truth["parameters"] as? [String: Any])
        #expect(parameters["archetype_order"] as? [String] == ["self_payer", "call_responsive", "promise_driven", "lost"])
        for key in ["archetypes", "hazard", "disputes", "outcomes", "promise_model", "contact_model", "call_policy",
                    "segments", "timezones", "currencies", "customers"] {
            #expect(parameters[key] != nil, "parameters.\(key)")
        }
        let lift = sharedExport.truth["configuration"] as? [String: Any]
        #expect(lift?["world"] == nil)
    }
}
