import Bundles
import Foundation
import Receivables
import TestSupport
import Training

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
