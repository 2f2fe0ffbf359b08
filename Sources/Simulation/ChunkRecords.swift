// The rows the simulator appends, before they are formatted: one record type per export file, and the
// customer's truth.

/// One customer's static attributes and latent traits (the truth.json entry). The simulator fills it in step by
/// step: traits first, then the contact windows, the lifecycle, and the promise range after the history.
struct CustomerRecord {
    var index: Int
    var segment: Int
    var zone: Int
    var currency: Int
    var doNotCall: Bool
    var creditLimit: Int64 = 0
    var payPropensity: Double
    var delayTendency: Int
    var promiseReliability: Double
    var pattern: Int
    var reach: Double
    /// Archetypes world: the payment archetype (`ArchetypeWorld.Archetype` raw value; 0 in `lift`).
    var archetype: UInt8 = 0
    /// Archetypes world: the contact weekdays as bits (bit 0 = Monday … bit 4 = Friday) and the local hour block
    /// `[blockStart, blockEnd)` (all 0 in `lift`).
    var weekdayMask: UInt8 = 0
    var blockStart = 0
    var blockEnd = 0
    var bestWindow = 0
    var doubtfulFrom: Int?
    var onboarded = 0
    var invoicingStops: Int?
    var intervalDays = 0
    var defaultTerms = 0
    var typicalInvoice: Int64 = 0
    /// Range of this customer's promises in the chunk's promise list.
    var firstPromise = 0
    var promiseEnd = 0
    /// Range of this customer's call-raised disputes in the chunk's dispute list.
    var firstDispute = 0
    var disputeEnd = 0
}

/// A dispute a customer raised on an open invoice during a right-party contact (archetypes world).
struct DisputeRecord {
    var customer: Int32
    /// Chunk-local invoice index.
    var invoice: Int32
    var day: Int32
}

struct InvoiceRecord {
    var customer: Int32
    var issued: Int32
    var due: Int32
    var disputed: Bool
    var amount: Int64
}

struct PaymentRecord {
    var customer: Int32
    var day: Int32
    /// Chunk-local invoice index, or -1 for an on-account payment.
    var invoice: Int32
    var amount: Int64
}

struct CallRecord {
    var customer: Int32
    var outcome: UInt8
    var agent: Int32
    var duration: Int32
    var utcSeconds: Int64
}

struct PromiseRecord {
    var customer: Int32
    var created: Int32
    var promised: Int32
    /// Chunk-local call index.
    var call: Int32
    var kept: Bool
    var amount: Int64
    var keptProbability: Double
}

/// All rows of one chunk of consecutive customers, with chunk-local cross references.
final class ChunkRecords {
    var firstCustomer = 0
    var customers: [CustomerRecord] = []
    /// 25 window probabilities per customer, in customer order.
    var windows: [Double] = []
    var invoices: [InvoiceRecord] = []
    /// Record number of `invoices[0]`: 0, except in a rollout's scratch records, whose invoices follow the world's (so
    /// an open invoice's `record` never points into the wrong collection).
    var invoiceRecordBase = 0
    var payments: [PaymentRecord] = []
    var calls: [CallRecord] = []
    var promises: [PromiseRecord] = []
    /// Disputes raised in calls (archetypes world); the invoice's `disputed` flag is set from that day on.
    var disputes: [DisputeRecord] = []

    func reset(firstCustomer: Int) {
        self.firstCustomer = firstCustomer
        customers.removeAll(keepingCapacity: true)
        windows.removeAll(keepingCapacity: true)
        invoices.removeAll(keepingCapacity: true)
        payments.removeAll(keepingCapacity: true)
        calls.removeAll(keepingCapacity: true)
        promises.removeAll(keepingCapacity: true)
        disputes.removeAll(keepingCapacity: true)
    }
}
