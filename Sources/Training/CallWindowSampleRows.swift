import Features
import Receivables

/// The call-window model's EM sample order over the training history rows (`AccountSampleOrder`).
enum CallWindowSampleRows {
    /// The history rows in sample order: by the seeded key of each row's customer_id, ties by the id's bytes.
    ///
    /// - Parameters:
    ///   - historyCustomers: the customer index of each history row.
    ///   - customerHashes: `SnapshotRowSampling.customerIDHash` of every customer, in customer order.
    ///   - ids: the customers' ids (read only to break ties).
    ///   - seed: the call-window fit's seed.
    static func order(historyCustomers: [Int32], customerHashes: [UInt64], ids: IDIndex, seed: UInt64) -> [Int] {
        let keys = historyCustomers.map { AccountSampleOrder.key(seed: seed, customerHash: customerHashes[Int($0)]) }
        return AccountSampleOrder.order(keys: keys) { row in
            ids.withIDBytes(Int(historyCustomers[row])) { Array($0) }
        }
    }
}
