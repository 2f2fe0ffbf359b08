import Foundation
import Receivables

/// Times loading and validating one export folder (no peer; the side-by-side run adds pandas).
func runIngestProfile(folder: String) throws {
    let (seconds, export) = try measureSeconds { try ExportLoader.load(folder: folder) }
    let bytes = ExportFile.allCases.reduce(0) { total, file in
        let attributes = try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(file.fileName)")
        return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
    }
    print("ingest \(folder): \(format(seconds)) s, \(format(Double(bytes) / seconds / 1e6, 0)) MB/s; "
        + "\(export.customers.count) customers, \(export.invoices.count) invoices, \(export.payments.count) payments, "
        + "\(export.calls.count) calls, \(export.promises.count) promises, \(export.quarantine.count) quarantined")
}

/// Times the id index alone.
func runIDIndexProfile(count: Int) {
    let ids = (0..<count).map { "CALL" + String(repeating: "0", count: max(0, 8 - String($0).count)) + String($0) }
    let (seconds, index) = measureSeconds { () -> IDIndex in
        var index = IDIndex()
        for id in ids { index.insert(id) }
        return index
    }
    let (findSeconds, found) = measureSeconds { ids.reduce(0) { $0 + (index.find($1) != nil ? 1 : 0) } }
    print("IDIndex: insert \(count) in \(format(seconds)) s, find in \(format(findSeconds)) s (\(found) found)")
}
