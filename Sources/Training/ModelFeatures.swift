import Features
import Foundation
import LinearAlgebra

/// The feature columns each model reads, by name (see docs/FEATURES.md).
///
/// The lists leave out exact linear combinations of other columns (e.g. `share_current` and `past_due_share`, which
/// follow from the other aging shares) and raw heavy-tailed amounts whose `log1p_` forms are included, so the
/// unpenalised fits stay identifiable; the L2 penalty then only has to control variance.
public enum ModelFeatures {
    /// Account features of the pay-likelihood and time-to-pay models.
    public static let account: [Feature] = [
        .log1pOpenBalance, .log1pPastDueBalance, .share1To30, .share31To60, .share61To90, .share91Plus,
        .log1pMaxDaysPastDue, .openInvoiceCount, .pastDueInvoiceCount, .openBalanceToAverageInvoice,
        .averageDaysLate, .sharePaidLate, .recentAverageDaysLate, .daysLateTrend, .paidInvoiceCount,
        .paymentsCount30d, .paymentsCount90d, .log1pPaymentAmount90d, .log1pDaysSinceLastPayment, .hasPaidBefore,
        .hasDispute, .disputeCalls90d, .attempts30d, .rpcRate90d, .rpcRateTotal, .refused90d,
        .promisesKept, .promisesBroken, .promiseKeptRatio, .hasOpenPromise, .openPromiseNotDue,
        .tenureDays, .creditUtilisation, .invoicesLast90d, .log1pAverageInvoiceAmount,
    ]

    /// Column names of `account`.
    public static var accountNames: [String] { account.map(\.name) }

    /// Promise features (the promise's own, then the customer's as of the promise's creation).
    public static let promiseNames: [String] = [
        PromiseFeature.log1pPromisedAmount, .daysToPromisedDate, .promiseToPastDue, .partialPromise,
    ].map(\.name) + [
        Feature.log1pPastDueBalance, .log1pMaxDaysPastDue, .averageDaysLate, .sharePaidLate, .promisesKept,
        .promisesBroken, .promiseKeptRatio, .log1pDaysSinceLastPayment, .hasPaidBefore, .hasDispute, .rpcRate90d,
        .tenureDays, .refused90d,
    ].map(\.name)
}

extension FeatureTable {
    /// Rows `rows` (all when nil) of the named columns as a row-major matrix.
    ///
    /// Gathered straight into row-major order in blocks of rows (each block reads every column once), on all
    /// cores; no column-major intermediate.
    /// - Throws: `TrainingError.unknownFeature` when a name is not a column.
    public func matrix(columns names: [String], rows: [Int]? = nil) throws -> Matrix {
        let indices = try names.map { name -> Int in
            guard let index = columnIndex(name) else { throw TrainingError.unknownFeature(name) }
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
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
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

/// A raw pointer shared with worker threads that write disjoint parts of one buffer.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>?
    init(_ pointer: UnsafeMutablePointer<Double>?) { self.pointer = pointer }
}
