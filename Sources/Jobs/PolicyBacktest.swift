import Bundles
import CivilTime
import Features
import Foundation
import Receivables
import Scoring
import StableJSON
import Tabular

/// The library side of `arscore backtest`.
public enum PolicyBacktest {
    public struct Request: Sendable {
        public var exportFolder: String
        public var modelPath: String
        public var from: Int32
        public var to: Int32
        public var capacity: Int
        public var stepDays: Int
        public var horizonDays: Int
        public var policyPath: String?
        public var badRowThreshold: Double

        public init(exportFolder: String, modelPath: String, from: Int32, to: Int32, capacity: Int, stepDays: Int = 1,
                    horizonDays: Int = 30, policyPath: String? = nil, badRowThreshold: Double = 0.01) {
            self.exportFolder = exportFolder
            self.modelPath = modelPath
            self.from = from
            self.to = to
            self.capacity = capacity
            self.stepDays = stepDays
            self.horizonDays = horizonDays
            self.policyPath = policyPath
            self.badRowThreshold = badRowThreshold
        }
    }

    /// Per-day and total cash of the three ways of choosing whom to call: the cash the chosen accounts paid, not the
    /// cash the calls caused (`measure`; `arscore simulate` measures that).
    public struct Report: Codable, Sendable {
        /// What the cash figures are (`Backtest.measure`), written into the JSON and the text.
        public var measure: String
        public var model: String
        public var capacity: Int
        public var horizonDays: Int
        public var days: [Day]
        public var total: Day
        /// Total queue cash over total aging-heuristic cash, and over random choice.
        public var queueOverAging: Double?
        public var queueOverRandom: Double?
        /// Days whose horizon runs past the end of the data (their cash is incomplete).
        public var incompleteDays: Int

        public struct Day: Codable, Sendable {
            public var asOf: String
            public var candidates: Int
            public var calls: Int
            public var queueCash: Double
            public var agingCash: Double
            public var randomCash: Double
            public var complete: Bool
        }

        public func jsonData() throws -> Data {
            try StableJSON.encoder(allowingNonFinite: true).encode(self)
        }

        public func csv() -> Data {
            var writer = CSVWriter(header: ["as_of", "candidates", "calls", "queue_cash", "aging_cash", "random_cash", "complete",
                                            "measure"])
            for day in days + [total] {
                writer.appendCell(day.asOf)
                writer.appendCell(day.candidates)
                writer.appendCell(day.calls)
                writer.appendCell(day.queueCash, decimals: 2)
                writer.appendCell(day.agingCash, decimals: 2)
                writer.appendCell(day.randomCash, decimals: 2)
                writer.appendCell(day.complete ? 1 : 0)
                writer.appendCell(Self.csvMeasure)
                writer.endRow()
            }
            return writer.data
        }

        /// The `measure` cell of every CSV row: the cash paid by the called accounts (not caused by the calls).
        public static let csvMeasure = "paid_by_called_accounts"

        public var text: String {
            func money(_ value: Double) -> String { String(format: "%.2f", value) }
            let header = ["as_of", "calls", "queue_cash", "aging_cash", "random_cash", "queue/aging"]
            let rows = (days + [total]).map { day -> [String] in
                [day.asOf + (day.complete ? "" : "*"), String(day.calls), money(day.queueCash), money(day.agingCash),
                 money(day.randomCash), day.agingCash > 0 ? String(format: "%.2f", day.queueCash / day.agingCash) : "–"]
            }
            var widths = header.map(\.count)
            for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, cell in
                    let pad = String(repeating: " ", count: widths[i] - cell.count)
                    return i == 0 ? cell + pad : pad + cell
                }.joined(separator: "  ")
            }
            var lines = ["backtest of \(model): \(capacity) calls a day, cash paid within \(horizonDays) days by the accounts called",
                         "(a passive measure, not the cash the calls caused: arscore simulate measures that)", "", line(header)]
            lines.append(line(widths.map { String(repeating: "-", count: $0) }))
            for row in rows.dropLast() { lines.append(line(row)) }
            lines.append(line(widths.map { String(repeating: "-", count: $0) }))
            lines.append(line(rows.last!))
            if let ratio = queueOverAging { lines.append(""); lines.append(String(format: "queue / aging heuristic: %.2f×", ratio)) }
            if let ratio = queueOverRandom { lines.append(String(format: "queue / random choice:   %.2f×", ratio)) }
            if incompleteDays > 0 { lines.append("* \(incompleteDays) day(s) whose \(horizonDays)-day window runs past the data end: cash incomplete") }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> Report {
        let folder = try ModelBundle.resolveVersionFolder(request.modelPath)
        let bundle = try ModelBundle.load(path: folder)
        try AccountScorer.checkFeatures(of: bundle, source: folder)
        let policy = try request.policyPath.map(QueuePolicy.load(path:)) ?? QueuePolicy()
        progress("loading \(request.exportFolder)")
        var export = try ExportLoader.load(folder: request.exportFolder,
                                           options: ExportLoadOptions(badRowThreshold: request.badRowThreshold))
        let builder = FeatureBuilder(releasingRowTablesOf: &export)
        let backtest = Backtest(export: export, builder: builder, bundle: bundle, policy: policy, horizonDays: request.horizonDays)
        var days: [Report.Day] = []
        for t in stride(from: request.from, through: request.to, by: request.stepDays) {
            progress("replaying \(CivilDate.format(t))")
            let day = try backtest.replay(asOf: t, capacity: request.capacity)
            days.append(.init(asOf: CivilDate.format(t), candidates: day.candidates, calls: day.calls, queueCash: day.queueCash,
                              agingCash: day.agingCash, randomCash: day.randomCash, complete: day.complete))
        }
        let total = Report.Day(asOf: "total", candidates: days.reduce(0) { $0 + $1.candidates }, calls: days.reduce(0) { $0 + $1.calls },
                               queueCash: days.reduce(0) { $0 + $1.queueCash }, agingCash: days.reduce(0) { $0 + $1.agingCash },
                               randomCash: days.reduce(0) { $0 + $1.randomCash }, complete: days.allSatisfy(\.complete))
        return Report(measure: Backtest.measure, model: bundle.manifest.name + "/" + bundle.manifest.version,
                      capacity: request.capacity,
                      horizonDays: request.horizonDays, days: days, total: total,
                      queueOverAging: total.agingCash > 0 ? total.queueCash / total.agingCash : nil,
                      queueOverRandom: total.randomCash > 0 ? total.queueCash / total.randomCash : nil,
                      incompleteDays: days.filter { !$0.complete }.count)
    }
}
