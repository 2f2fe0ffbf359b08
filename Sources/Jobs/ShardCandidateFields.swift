import CallGrid
import Foundation
import Scoring

/// One line of a shard result's `candidates.tsv` (format 2), field by field (docs/SCALE-OUT.md, "The shard result
/// folder"). Doubles are their IEEE-754 bits in 16 hex digits, so the merge plans and ranks on the exact values.
///
/// 1. `customer_id`; 2. `priority` (bits); 3. `call_cells` (calls.csv cells between `rank` and `selection` under
/// `plan: week`, empty under `plan: today`); 4. `holdout_cells`; then today's plan's inputs (`QueueShardPlanInputs`),
/// all empty under `plan: week`: 5. `timezone` (IANA name); 6. `window_contact` (25 comma-separated bits, window
/// order); 7. `account_cells` (calls.csv's `expected_cash` … `segment`); 8. `reason_cells`; 9. `closing_cells`
/// (`timezone`, `best_window_local`, `disputed_balance`); 10. `incremental_cash` (bits, empty without a call-effect
/// model); 11. `incremental_cash_contact` (bits of the P(contact) it was computed at, empty when it is per call).
enum ShardCandidateFields {
    static let count = 11
    static let names = ["customer_id", "priority", "call_cells", "holdout_cells", "timezone", "window_contact",
                        "account_cells", "reason_cells", "closing_cells", "incremental_cash", "incremental_cash_contact"]

    /// The fields of `candidate`.
    static func fields(of candidate: QueueShardCandidate) -> [[UInt8]] {
        let head = [Array(candidate.customerId.utf8), ShardResult.hex(candidate.priority), candidate.callCells,
                    candidate.holdoutCells]
        guard let plan = candidate.plan else { return head + [[UInt8]](repeating: [], count: count - head.count) }
        let account = plan.account
        let contact = plan.windowContact.map(ShardResult.hex).joined(separator: [UInt8(ascii: ",")])
        return head + [Array(plan.zone.utf8), Array(contact), account.accountCells, account.reasonCells, account.closingCells,
                       account.incrementalCash.map(ShardResult.hex) ?? [],
                       account.incrementalCashContact.map(ShardResult.hex) ?? []]
    }

    /// The candidate of one line's fields, `location` "file:line" for errors.
    /// - Throws: `ArscoreError` naming the file, line and field that is malformed.
    static func candidate(of fields: [[UInt8]], at location: String) throws -> QueueShardCandidate {
        func text(_ index: Int) -> String { String(decoding: fields[index], as: UTF8.self) }
        func double(_ index: Int) throws -> Double {
            try ShardResult.double(fields[index], at: "\(location): field \(names[index])")
        }
        func optional(_ index: Int) throws -> Double? { fields[index].isEmpty ? nil : try double(index) }
        var candidate = QueueShardCandidate(customerId: text(0), priority: try double(1), callCells: fields[2],
                                            holdoutCells: fields[3])
        guard !fields[5].isEmpty else {
            if let filled = (4..<count).first(where: { !fields[$0].isEmpty }) {
                throw ArscoreError("\(location): field \(names[filled]) is given without field window_contact", kind: .badInput)
            }
            return candidate
        }
        let contact = try fields[5].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { bits in
            try ShardResult.double(Array(bits), at: "\(location): field window_contact")
        }
        guard contact.count == CallWindows.count else {
            throw ArscoreError("\(location): field window_contact holds \(contact.count) values, expected \(CallWindows.count) "
                + "(one P(contact) per call window)", kind: .badInput)
        }
        guard !fields[4].isEmpty else {
            throw ArscoreError("\(location): field timezone is empty (today's plan needs the candidate's zone)", kind: .badInput)
        }
        candidate.plan = QueueShardPlanInputs(
            zone: text(4), windowContact: contact,
            account: PlannedCallAccount(customerId: candidate.customerId, accountCells: fields[6], reasonCells: fields[7],
                                        closingCells: fields[8], incrementalCash: try optional(9),
                                        incrementalCashContact: try optional(10)))
        return candidate
    }
}
