import Foundation
import Receivables
import Simulation

/// A synthetic history (Simulation's `HistoryGenerator`) loaded through `ExportLoader`, with its files also kept in
/// memory.
///
/// By default the folder it was generated in stays on disk while the value lives: training reads the export's files
/// again (to fingerprint them). Shared histories are globals, which live until the process ends, when no
/// deinitialiser runs, so their folders are left behind; a history only read through `export` and `files` can pass
/// `keepFolder: false` to have the folder removed as soon as it is loaded.
public final class GeneratedHistory: Sendable {
    /// The five export files, in the order the loader reads them.
    public static let fileNames = ["customers.csv", "invoices.csv", "payments.csv", "calls.csv", "promises.csv"]

    public let configuration: GeneratorConfiguration
    public let export: ReceivablesExport
    /// The five CSV files' text, by file name.
    public let files: [String: String]
    /// truth.json, as written.
    public let truthText: String
    /// The folder `export` was loaded from; nil when it was not kept.
    public let folder: TemporaryFolder?

    public init(customers: Int, months: Int, seed: UInt64, end: String = "2026-11-01", keepFolder: Bool = true) throws {
        configuration = GeneratorConfiguration(customers: customers, months: months, seed: seed, end: end)
        let folder = try TemporaryFolder("generated")
        _ = try HistoryGenerator.generate(configuration, into: folder.path)
        export = try ExportLoader.load(folder: folder.path)
        var files: [String: String] = [:]
        for name in Self.fileNames { files[name] = try folder.read(name) }
        self.files = files
        truthText = try folder.read("truth.json")
        self.folder = keepFolder ? folder : nil
    }

    /// truth.json, parsed.
    public func truth() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(truthText.utf8)) as? [String: Any] ?? [:]
    }

    /// truth.json's per-customer objects, by customer id (empty when truth.json cannot be parsed).
    public var truthCustomers: [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for case let customer as [String: Any] in (try? truth())?["customers"] as? [Any] ?? [] {
            result[customer["customer_id"] as? String ?? ""] = customer
        }
        return result
    }

    /// The export's files in a new temporary folder, without `files` and with `rewrite`'s text for the files it names.
    public func copy(dropping files: Set<String> = [], rewriting rewrite: [String: String] = [:]) throws -> TemporaryFolder {
        let target = try TemporaryFolder("copy")
        for name in Self.fileNames where !files.contains(name) {
            try target.write(name, rewrite[name] ?? self.files[name]!)
        }
        return target
    }
}
