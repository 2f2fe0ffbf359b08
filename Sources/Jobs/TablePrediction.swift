import FileSafety
import Foundation
import LinearAlgebra
import Models
import Tabular

extension TableModeling {
    /// Rows per chunk of `predict`: 65,536 rows of 32 features are 16 MiB of doubles.
    public static let predictionChunkRows = 1 << 16

    /// Applies a model file to a table, streaming: one output row per input row, in input order.
    ///
    /// The table is read in chunks of `request.chunkRows` rows into one reused buffer, each chunk's linear
    /// predictors come from one DGEMV, and its rows are appended to the output, so memory stays bounded whatever the
    /// table's size. The output appears under its name only when every row is written (`AtomicFileStream`).
    /// - Returns: the number of rows written.
    /// - Throws: `ArscoreError` naming the model file when a score is not finite (no output is left), `CSVError`
    ///   naming the table's file, line and column for a bad cell.
    @discardableResult
    public static func predict(_ request: PredictRequest) throws -> Int {
        // One chunk's DGEMV takes about a millisecond: OpenBLAS threads would spend more waking and spinning
        // (sched_yield) than they save, and the parser needs both cores.
        try BLAS.withSingleThreaded { try streamPredictions(request) }
    }

    /// The body of `predict`, with OpenBLAS single-threaded.
    private static func streamPredictions(_ request: PredictRequest) throws -> Int {
        let scorer = try PredictionScorer(modelPath: request.modelPath, horizons: request.horizons)
        let reader = try NumericChunkReader(
            path: request.tablePath, columns: scorer.features, keptColumns: request.keepColumns,
            chunkRows: request.chunkRows)
        let output = try AtomicFileStream(path: request.outputPath)
        var writer = CSVWriter(
            header: request.keepColumns + scorer.outputColumns,
            reservingCapacity: request.chunkRows * 24 * (scorer.outputColumns.count + request.keepColumns.count))
        var eta = [Double](repeating: 0, count: request.chunkRows)
        while try reader.next() {
            try eta.withUnsafeMutableBufferPointer { eta in
                try scorer.linearPredictors(reader, into: eta.baseAddress!)
                try scorer.appendRows(reader, linearPredictors: UnsafeBufferPointer(eta), to: &writer)
            }
            try output.append(writer.bytes)
            writer.removeAllBytes()
        }
        if reader.rowsRead == 0 { try output.append(writer.bytes) }
        try output.commit()
        return reader.rowsRead
    }
}

/// A logistic or Cox model file ready to score chunks of a table: its features, output columns and arithmetic.
struct PredictionScorer {
    /// The model's feature columns, in coefficient order.
    let features: [String]
    /// The prediction columns written after the kept columns.
    let outputColumns: [String]
    /// Where the model came from, for errors.
    let modelPath: String
    private let coefficients: [Double]
    /// Added to every `X·β`: the logistic intercept, or −β·reference for Cox.
    private let offset: Double
    private let model: Model

    private enum Model {
        case logistic
        case cox(CoxModel, hazards: [Double])
    }

    /// Loads the model file at `modelPath` (logistic or Cox); `horizons` are the Cox P(event by t) times.
    init(modelPath: String, horizons: [Double]) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        } catch {
            throw ArscoreError("\(modelPath): cannot read model file: \(TableModeling.systemReason(error))",
                               kind: .bundleInvalid)
        }
        self.modelPath = modelPath
        switch try AnyModelFile.load(jsonData: data, source: modelPath, accepting: [.logistic, .cox]) {
        case .logistic(let logistic):
            features = logistic.features
            coefficients = logistic.coefficientVector
            offset = logistic.intercept
            outputColumns = ["p"]
            model = .logistic
        case .cox(let cox):
            features = cox.features
            coefficients = cox.coefficientVector
            offset = -zip(cox.coefficientVector, cox.referenceVector).reduce(0) { $0 + $1.0 * $1.1 }
            outputColumns = ["linear_predictor"] + horizons.map { "p_event_by_\(CSVWriter.format($0))" }
            model = .cox(cox, hazards: horizons.map { cox.baselineCumulativeHazard(at: $0) })
        case .callWindow(let window):
            throw ModelFileError.wrongKind(source: modelPath, expected: "logistic or cox", found: window.kind)
        }
    }

    /// `η = offset + X·β` for the reader's current chunk (one DGEMV); throws naming the model file and the table's
    /// line when one is not finite (coefficients too large for the data).
    func linearPredictors(_ reader: NumericChunkReader, into eta: UnsafeMutablePointer<Double>) throws {
        let rows = reader.rowCount
        eta.update(repeating: offset, count: rows)
        coefficients.withUnsafeBufferPointer { beta in
            reader.withValues { values in
                BLAS.gemv(columnMajorRows: rows, columns: features.count, values, columnStride: reader.columnStride,
                          beta.baseAddress!, beta: 1, into: eta)
            }
        }
        for row in 0..<rows where !eta[row].isFinite { throw nonFinite(eta[row], reader: reader, row: row) }
    }

    /// The error for a score that is not finite: it names the model file and the table's line.
    func nonFinite(_ value: Double, reader: NumericChunkReader, row: Int) -> ArscoreError {
        ArscoreError("\(modelPath): the model gives a non-finite score (\(value)) for \(reader.path) line "
            + "\(reader.lines[row]); its coefficients are too large for the data, so no output was written",
            kind: .bundleInvalid)
    }

    /// Appends one output row per row of the chunk: the kept cells, then `p` or the Cox columns.
    func appendRows(
        _ reader: NumericChunkReader, linearPredictors eta: UnsafeBufferPointer<Double>, to writer: inout CSVWriter
    ) throws {
        let kept = reader.keptCells
        for row in 0..<reader.rowCount {
            for column in kept { writer.appendCell(column[row]) }
            switch model {
            case .logistic:
                writer.appendCell(LogisticFunctions.sigmoid(eta[row]))
            case .cox(_, let hazards):
                writer.appendCell(eta[row])
                for hazard in hazards {
                    let probability = -expm1(-hazard * exp(eta[row]))
                    guard probability.isFinite else { throw nonFinite(probability, reader: reader, row: row) }
                    writer.appendCell(probability)
                }
            }
            writer.endRow()
        }
    }
}
