import CivilTime
import Foundation
import Tabular

/// The cells of one account's calls.csv row under today's plan that do not depend on the plan, already rendered, and
/// the two numbers the plan-dependent `incremental_cash` cell is computed from.
///
/// calls.csv under `plan: today` is written row by row by `PlannedCallRow.append` from this and a `TodayPlan.Call`, both
/// by `arscore score` (`QueueFiles.calls`) and by `arscore merge` (`QueueAssembly`, from the shard result), so the two
/// write the same bytes. Cells are comma-separated as `CSVWriter` writes them (quoted where needed), without a line break.
public struct PlannedCallAccount: Sendable, Equatable {
    /// The export's customer id (written as calls.csv's `customer_id` cell).
    public var customerId: String
    /// `expected_cash`, `p_pay`, `expected_days_to_pay`, `past_due_balance`, `open_balance`, `max_days_past_due`,
    /// `segment`.
    public var accountCells: [UInt8]
    /// `reason_1`, `reason_2`, `reason_3`.
    public var reasonCells: [UInt8]
    /// `timezone`, `best_window_local`, `disputed_balance`.
    public var closingCells: [UInt8]
    /// The account's incremental cash at its weekly P(contact) (currency units); nil without a call-effect model.
    public var incrementalCash: Double?
    /// The P(contact) `incrementalCash` was computed at, which the planned window's P(contact) replaces; nil when the
    /// call effect is per call (the incremental cash does not scale with P(contact)).
    public var incrementalCashContact: Double?

    public init(customerId: String, accountCells: [UInt8], reasonCells: [UInt8], closingCells: [UInt8],
                incrementalCash: Double?, incrementalCashContact: Double?) {
        self.customerId = customerId
        self.accountCells = accountCells
        self.reasonCells = reasonCells
        self.closingCells = closingCells
        self.incrementalCash = incrementalCash
        self.incrementalCashContact = incrementalCashContact
    }

    /// The incremental cash of a call in a window of P(contact) `pContact` (currency units).
    func incrementalCash(atContact pContact: Double) -> Double? {
        guard let incrementalCash else { return nil }
        guard let base = incrementalCashContact else { return incrementalCash }
        return incrementalCash * (pContact / max(base, .leastNonzeroMagnitude))
    }

    /// `count` cells written by `body` into a `CSVWriter`, comma-separated, without the line break.
    static func cells(_ count: Int, _ body: (inout CSVWriter) -> Void) -> [UInt8] {
        var writer = CSVWriter(header: [String](repeating: "cell", count: count))
        writer.removeAllBytes()
        body(&writer)
        writer.endRow()
        return Array(writer.bytes.dropLast())
    }
}

/// Writes calls.csv rows of today's plan (docs/QUEUES.md, "Today's plan"): the one function both the one-machine build
/// and the merge of shard results call.
public enum PlannedCallRow {
    /// Appends calls.csv row `rank` (from 1): the account's cells around the plan's cells — `priority` (the planned
    /// value), `window_local`, `window_start_utc` and `window_end_utc` (the planned slot of one hour from `slotStart`,
    /// seconds since the epoch), `p_contact` of the planned window, `incremental_cash` at it — and the selection's
    /// `selection` and `selection_probability`.
    public static func append(to bytes: inout [UInt8], rank: Int, account: PlannedCallAccount, call: TodayPlan.Call,
                              slotStart: Int, selection: String, probability: Double) {
        bytes.append(contentsOf: PlannedCallAccount.cells(3) { csv in
            csv.appendCell(rank)
            csv.appendCell(account.customerId)
            csv.appendCell(call.value, decimals: 2)
        })
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: account.accountCells)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: PlannedCallAccount.cells(3) { csv in
            csv.appendCell(QueueFiles.label(ofWindow: call.window))
            csv.appendCell(CivilDate.formatInstant(Int64(slotStart)))
            csv.appendCell(call.pContact, decimals: 4)
        })
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: account.reasonCells)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: PlannedCallAccount.cells(2) { csv in
            if let incremental = account.incrementalCash(atContact: call.pContact) {
                csv.appendCell(incremental, decimals: 2)
            } else {
                csv.appendCell("")
            }
            csv.appendCell(CivilDate.formatInstant(Int64(slotStart + QueueBuilder.slotSeconds)))
        })
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: account.closingCells)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: PlannedCallAccount.cells(2) { csv in
            csv.appendCell(selection)
            csv.appendCell(probability, decimals: 4)
        })
        bytes.append(10)
    }

    /// calls.csv of `plan` on `grid`: the header, then the plan's calls in file order; `account` gives each call's
    /// account by the candidate's row.
    static func file(plan: TodayPlan, grid: SlotGrid, selection: QueueSelection,
                     account: (Int) -> PlannedCallAccount) -> Data {
        var bytes = CSVWriter(header: QueueBuilder.callsHeader, reservingCapacity: plan.calls.count * 300).bytes
        for (index, call) in plan.calls.enumerated() {
            append(to: &bytes, rank: index + 1, account: account(call.row), call: call, slotStart: grid.slotStarts[call.slot],
                   selection: selection.kinds[index].rawValue, probability: selection.probability(at: index))
        }
        return Data(bytes)
    }
}
