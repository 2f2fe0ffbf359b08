import FileSafety
import Foundation
import LinearAlgebra
import Models
import Tabular

/// Fitting and applying single models on any feature table (CSV): the library side of `arscore fit` / `predict`.
///
/// Reads the table with the fast numeric reader, checks every cell, and turns model errors
/// that concern a row into messages naming the file, line and column.
public enum TableModeling {
    /// What `arscore fit logistic` needs.
    public struct LogisticFitRequest: Sendable {
        public var tablePath: String
        public var target: String
        /// Feature columns; nil means every numeric column but the target and the weight.
        public var features: [String]?
        public var weight: String?
        public var l2: Double
        public var outputPath: String

        public init(tablePath: String, target: String, features: [String]? = nil, weight: String? = nil,
                    l2: Double = 0, outputPath: String) {
            self.tablePath = tablePath
            self.target = target
            self.features = features
            self.weight = weight
            self.l2 = l2
            self.outputPath = outputPath
        }
    }

    /// Fits a logistic regression on a CSV table and writes the model JSON atomically.
    /// - Returns: the fitted model (also written to `request.outputPath`).
    /// - Throws: `ArscoreError` or `CSVError` with file, line and column.
    @discardableResult
    public static func fitLogistic(_ request: LogisticFitRequest) throws -> LogisticRegressionModel {
        let path = request.tablePath
        let input = try readFitTable(path: path, features: request.features,
                                     roles: [("--target", request.target)] + (request.weight.map { [("--weight", $0)] } ?? []))
        let labels = Array(input.table.column(request.target)!)
        let weights = request.weight.map { Array(input.table.column($0)!) }
        let model: LogisticRegressionModel
        do {
            model = try LogisticRegression.fit(
                features: input.features, featureNames: input.featureNames, labels: labels, weights: weights,
                options: .init(l2: request.l2))
        } catch let error as ModelFitError {
            throw locate(error, path: path, lines: input.table.lines,
                         columns: ["target": request.target, "weight": request.weight ?? "weight"])
        }
        try AtomicFile.write(model.jsonData(), to: request.outputPath)
        return model
    }

    /// What `arscore fit cox` needs.
    public struct CoxFitRequest: Sendable {
        public var tablePath: String
        public var duration: String
        public var event: String
        /// Feature columns; nil means every numeric column but the duration, event and weight.
        public var features: [String]?
        public var weight: String?
        public var ties: CoxRegression.Ties
        public var l2: Double
        public var outputPath: String

        public init(tablePath: String, duration: String, event: String, features: [String]? = nil,
                    weight: String? = nil, ties: CoxRegression.Ties = .efron, l2: Double = 0, outputPath: String) {
            self.tablePath = tablePath
            self.duration = duration
            self.event = event
            self.features = features
            self.weight = weight
            self.ties = ties
            self.l2 = l2
            self.outputPath = outputPath
        }
    }

    /// Fits a Cox proportional-hazards model on a CSV table and writes the model JSON atomically.
    @discardableResult
    public static func fitCox(_ request: CoxFitRequest) throws -> CoxModel {
        let path = request.tablePath
        let roles = [("--duration", request.duration), ("--event", request.event)]
            + (request.weight.map { [("--weight", $0)] } ?? [])
        let input = try readFitTable(path: path, features: request.features, roles: roles)
        let model: CoxModel
        do {
            model = try CoxRegression.fit(
                features: input.features, featureNames: input.featureNames,
                durations: Array(input.table.column(request.duration)!), events: Array(input.table.column(request.event)!),
                weights: request.weight.map { Array(input.table.column($0)!) },
                options: .init(ties: request.ties, l2: request.l2))
        } catch let error as ModelFitError {
            throw locate(error, path: path, lines: input.table.lines,
                         columns: ["duration": request.duration, "event": request.event, "weight": request.weight ?? "weight"])
        }
        try AtomicFile.write(model.jsonData(), to: request.outputPath)
        return model
    }

    /// The numeric columns a fit needs: features (given, or every numeric column but the role columns) and role columns.
    static func readFitTable(
        path: String, features requested: [String]?, roles: [(option: String, column: String)]
    ) throws -> (table: NumericTable, features: Matrix, featureNames: [String]) {
        let roleColumns = roles.map(\.column)
        if let duplicate = firstDuplicate(roleColumns) {
            let options = roles.filter { $0.column == duplicate }.map(\.option).joined(separator: " and ")
            throw ArscoreError("\(options) name the same column \"\(duplicate)\"")
        }
        let featureNames: [String]
        let table: NumericTable
        if let requested {
            guard !requested.isEmpty else { throw ArscoreError("--features names no column") }
            if let duplicate = firstDuplicate(requested) { throw ArscoreError("--features names \"\(duplicate)\" twice") }
            if let clash = requested.first(where: { roleColumns.contains($0) }) {
                let option = roles.first { $0.column == clash }!.option
                throw ArscoreError("column \"\(clash)\" cannot be both a feature and the \(option) column")
            }
            featureNames = requested
            table = try NumericTableReader.read(path: path, columns: requested + roleColumns, recordLines: true)
        } else {
            let header = try CSVReader(path: path).header
            for column in roleColumns where !header.contains(column) {
                throw CSVError(kind: .missingColumn, file: path, column: column, detail: "missing column \"\(column)\"")
            }
            let all = try NumericTableReader.readAllNumeric(path: path, recordLines: true)
            for column in roleColumns where all.nonNumericColumns.contains(column) {
                // Re-read the column alone to report the first bad cell with its line.
                _ = try NumericTableReader.read(path: path, columns: [column], recordLines: false)
            }
            featureNames = all.table.columnNames.filter { !roleColumns.contains($0) }
            guard !featureNames.isEmpty else {
                throw ArscoreError("\(path): no numeric feature columns besides " + roleColumns.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            table = all.table
        }
        guard table.rowCount > 0 else { throw ArscoreError("\(path): the table has no data rows") }
        return (table, try featureMatrix(table, columns: featureNames), featureNames)
    }

    /// What `arscore predict` needs.
    public struct PredictRequest: Sendable {
        public var modelPath: String
        public var tablePath: String
        public var outputPath: String
        /// Input columns copied to the output before the predictions (e.g. an id).
        public var keepColumns: [String]
        /// For a Cox model: the times t (in the duration's unit) for the P(event by t) columns.
        public var horizons: [Double]
        /// Rows read, scored and written at a time (memory is bounded by this many rows of features).
        public var chunkRows: Int

        public init(modelPath: String, tablePath: String, outputPath: String, keepColumns: [String] = [],
                    horizons: [Double] = [30], chunkRows: Int = TableModeling.predictionChunkRows) {
            self.modelPath = modelPath
            self.tablePath = tablePath
            self.outputPath = outputPath
            self.keepColumns = keepColumns
            self.horizons = horizons
            self.chunkRows = max(1, chunkRows)
        }
    }

    // MARK: - Helpers

    /// Row-major matrix of the named columns of a column-major table.
    static func featureMatrix(_ table: NumericTable, columns: [String]) throws -> Matrix {
        var columnMajor = [Double]()
        columnMajor.reserveCapacity(table.rowCount * columns.count)
        for name in columns {
            guard let column = table.column(name) else {
                throw CSVError(kind: .missingColumn, file: table.path, column: name, detail: "missing column \"\(name)\"")
            }
            columnMajor.append(contentsOf: column)
        }
        return try Matrix(rows: table.rowCount, columns: columns.count, columnMajor: columnMajor)
    }

    /// Adds file, line and column to a fit error that concerns one row.
    /// `columns` maps the roles "target", "weight", "duration", "event" to column names.
    static func locate(_ error: ModelFitError, path: String, lines: [Int]?, columns: [String: String]) -> Error {
        func line(_ row: Int) -> Int? { lines.flatMap { row < $0.count ? $0[row] : nil } }
        switch error {
        case .invalidLabel(let row, let value):
            return ArscoreError.cell(file: path, line: line(row), column: columns["target"] ?? "target",
                                     "target must be 0 or 1, found \(CSVWriter.format(value))")
        case .invalidWeight(let row, let value):
            return ArscoreError.cell(file: path, line: line(row), column: columns["weight"] ?? "weight",
                                     "weight must be finite and non-negative, found \(CSVWriter.format(value))")
        case .invalidDuration(let row, let value):
            return ArscoreError.cell(file: path, line: line(row), column: columns["duration"] ?? "duration",
                                     "duration must be finite and non-negative, found \(CSVWriter.format(value))")
        case .invalidEvent(let row, let value):
            return ArscoreError.cell(file: path, line: line(row), column: columns["event"] ?? "event",
                                     "event must be 0 or 1, found \(CSVWriter.format(value))")
        case .nonFiniteFeature(let row, let feature):
            return ArscoreError.cell(file: path, line: line(row), column: feature, "value is not finite")
        default:
            return ArscoreError("\(path): \(error.description)")
        }
    }

    static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }

    static func systemReason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadNoSuchFileError {
            return "No such file or directory"
        }
        return nsError.localizedDescription
    }
}
