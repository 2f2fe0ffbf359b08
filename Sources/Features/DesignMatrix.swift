import CallGrid
import Foundation
import LinearAlgebra
import Parallelism

/// Why a feature table or a design matrix could not be assembled.
public enum FeatureTableError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A feature name that is not a column of the feature table.
    case unknownColumn(String)

    public var description: String {
        switch self {
        case .unknownColumn(let name): return "unknown feature column \"\(name)\""
        }
    }
}

extension FeatureTable {
    /// Rows `rows` (all when nil) of the named columns as a row-major matrix.
    ///
    /// Gathered straight into row-major order in blocks of rows (each block reads every column once), on all
    /// cores; no column-major intermediate.
    /// - Throws: `FeatureTableError.unknownColumn` when a name is not a column.
    public func matrix(columns names: [String], rows: [Int]? = nil) throws -> Matrix {
        let indices = try names.map { name -> Int in
            guard let index = columnIndex(name) else { throw FeatureTableError.unknownColumn(name) }
            return index
        }
        let n = rows?.count ?? rowCount, p = names.count, tableRows = rowCount
        var result = Matrix(rows: n, columns: p)
        let block = 512
        let blocks = (n + block - 1) / block
        result.storage.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { source in
                let target = UncheckedPointer(out.baseAddress), origin = UncheckedPointer(UnsafeMutablePointer(mutating: source.baseAddress))
                let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, blocks))
                Parallel.perform(workers) { worker in
                    guard let out = target.pointer, let source = origin.pointer else { return }
                    var b = worker
                    while b < blocks {
                        let start = b * block, stop = min(n, start + block)
                        for (j, column) in indices.enumerated() {
                            let base = source + column * tableRows
                            if let rows {
                                for i in start..<stop { out[i * p + j] = base[rows[i]] }
                            } else {
                                for i in start..<stop { out[i * p + j] = base[i] }
                            }
                        }
                        b += workers
                    }
                }
            }
        }
        return result
    }

    /// The per-window attempt and right-party-contact counts of `rows` (all when nil), row-major rows × windows.
    public func windowCountMatrices(rows: [Int]? = nil) -> (attempts: Matrix, contacts: Matrix) {
        precondition(windowCounts.isPresent, "this table was built without per-window call counts")
        let w = CallWindows.count
        let selected = rows ?? Array(0..<rowCount)
        var attempts = Matrix(rows: selected.count, columns: w), contacts = Matrix(rows: selected.count, columns: w)
        for (i, row) in selected.enumerated() {
            for window in 0..<w {
                attempts.storage[i * w + window] = Double(windowCounts.attempts[row * w + window])
                contacts.storage[i * w + window] = Double(windowCounts.rightPartyContacts[row * w + window])
            }
        }
        return (attempts, contacts)
    }
}

extension Matrix {
    /// The columns named `wanted`, from a matrix whose columns are named `names`.
    /// - Throws: `FeatureTableError.unknownColumn` when a wanted name is not among `names`.
    public func selectingColumns(of names: [String], as wanted: [String]) throws -> Matrix {
        if names == wanted { return self }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let picks = try wanted.map { name -> Int in
            guard let column = index[name] else { throw FeatureTableError.unknownColumn(name) }
            return column
        }
        var values = [Double](repeating: 0, count: rows * picks.count)
        for row in 0..<rows {
            for (j, column) in picks.enumerated() { values[row * picks.count + j] = storage[row * columns + column] }
        }
        return try Matrix(rows: rows, columns: picks.count, rowMajor: values)
    }
}
