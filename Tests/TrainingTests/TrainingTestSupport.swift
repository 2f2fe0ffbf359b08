import Bundles
import Foundation
import Receivables
import Simulation
import TestSupport
import Training

/// A generated export folder with its truth, kept on disk for the whole test run.
final class GeneratedHistory: @unchecked Sendable {
    let folder: TemporaryFolder
    let export: ReceivablesExport
    let truth: [String: Any]

    init(customers: Int, months: Int, seed: UInt64, end: String = "2026-11-01") throws {
        folder = try TemporaryFolder("export")
        _ = try HistoryGenerator.generate(GeneratorConfiguration(customers: customers, months: months, seed: seed, end: end),
                                          into: folder.path)
        export = try ExportLoader.load(folder: folder.path)
        let text = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/truth.json"))
        truth = try JSONSerialization.jsonObject(with: text) as? [String: Any] ?? [:]
    }

    /// truth.json's per-customer objects, by customer id.
    var truthCustomers: [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for case let customer as [String: Any] in truth["customers"] as? [Any] ?? [] {
            result[customer["customer_id"] as? String ?? ""] = customer
        }
        return result
    }

    /// A copy of the export folder without `files`, in a new temporary folder.
    func copy(dropping files: Set<String> = [], rewriting rewrite: [String: String] = [:]) throws -> TemporaryFolder {
        let target = try TemporaryFolder("copy")
        for name in ["customers.csv", "invoices.csv", "payments.csv", "calls.csv", "promises.csv"] where !files.contains(name) {
            if let text = rewrite[name] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: target.path + "/" + name))
            } else {
                try FileManager.default.copyItem(atPath: folder.path + "/" + name, toPath: target.path + "/" + name)
            }
        }
        return target
    }
}

/// Trains on a loaded export with fixed metadata.
func trainBundle(_ export: ReceivablesExport, options: TrainingOptions = TrainingOptions()) throws -> BundleTrainer.Result {
    let data = try ExportFingerprint.summarise(export)
    return try BundleTrainer(options: options).train(export: export, data: data, name: "test", version: "v1",
                                                     createdAt: "2026-11-23T00:00:00Z", arscoreVersion: "test")
}

/// The shared recovery export: 4,000 customers over 12 months, trained once.
let recoveryHistory: GeneratedHistory = {
    do { return try GeneratedHistory(customers: 4000, months: 12, seed: 4242) } catch {
        fatalError("cannot generate the recovery export: \(error)")
    }
}()

let recoveryTraining: BundleTrainer.Result = {
    do { return try trainBundle(recoveryHistory.export) } catch { fatalError("cannot train on the recovery export: \(error)") }
}()
