import CivilTime
import Foundation
@testable import Simulation

/// One CSV file read into memory: the header and the rows (the generator never quotes cells).
struct CSVTable: Sendable {
    let header: [String]
    let rows: [[String]]

    init(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        header = lines.first.map { $0.components(separatedBy: ",") } ?? []
        rows = lines.dropFirst().map { $0.components(separatedBy: ",") }
    }

    func column(_ name: String) -> Int {
        guard let index = header.firstIndex(of: name) else { fatalError("no column \(name) in \(header)") }
        return index
    }

    func values(_ name: String) -> [String] {
        let index = column(name)
        return rows.map { $0[index] }
    }
}

/// A generated export read back: the five CSV files, truth.json and the summary.
struct LoadedExport: Sendable {
    let configuration: GeneratorConfiguration
    let summary: GenerationSummary
    let customers: CSVTable
    let invoices: CSVTable
    let payments: CSVTable
    let calls: CSVTable
    let promises: CSVTable
    let truthText: String
    let start: String
    let end: String

    var truth: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(truthText.utf8))) as? [String: Any] ?? [:]
    }

    var truthCustomers: [[String: Any]] { truth["customers"] as? [[String: Any]] ?? [] }
}

func temporaryFolder(_ label: String) -> String {
    let base = FileManager.default.temporaryDirectory.path
    return base + "/arscore-simulation-\(label)-\(UUID().uuidString)"
}

func readFiles(in folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in OutputFiles.names {
        files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }
    return files
}

func generateAndLoad(_ configuration: GeneratorConfiguration) throws -> LoadedExport {
    let folder = temporaryFolder("fixture")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let summary = try HistoryGenerator.generate(configuration, into: folder)
    let files = try readFiles(in: folder)
    func table(_ name: String) -> CSVTable { CSVTable(text: String(decoding: files[name]!, as: UTF8.self)) }
    let range = try configuration.validatedRange()
    return LoadedExport(
        configuration: configuration, summary: summary,
        customers: table("customers.csv"), invoices: table("invoices.csv"), payments: table("payments.csv"),
        calls: table("calls.csv"), promises: table("promises.csv"),
        truthText: String(decoding: files["truth.json"]!, as: UTF8.self),
        start: CivilDate.format(Int32(range.start)), end: CivilDate.format(Int32(range.end)))
}

/// The shared export most tests read: 2,000 customers over 12 months (generated once per test run).
let sharedExport: LoadedExport = {
    do {
        return try generateAndLoad(GeneratorConfiguration(customers: 2000, months: 12, seed: 20_261_101, end: "2026-11-01"))
    } catch {
        fatalError("cannot generate the shared export: \(error)")
    }
}()

/// Parses `YYYY-MM-DDTHH:MM:SSZ`.
func parseTimestamp(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
          let date = CivilDate.parseExact(String(text.prefix(10))).map(Int.init) else { return nil }
    let parts = text.dropFirst(11).dropLast().split(separator: ":").compactMap { Int($0) }
    guard parts.count == 3, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]), (0..<60).contains(parts[2]) else { return nil }
    let seconds = date * 86_400 + parts[0] * 3600 + parts[1] * 60 + parts[2]
    return Date(timeIntervalSince1970: Double(seconds))
}

/// Pearson correlation.
func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
        sxy += (a - mx) * (b - my)
        sxx += (a - mx) * (a - mx)
        syy += (b - my) * (b - my)
    }
    return sxy / (sxx * syy).squareRoot()
}
