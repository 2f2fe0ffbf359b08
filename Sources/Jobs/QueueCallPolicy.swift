import Bundles
import CallGrid
import Scoring
import Simulation

/// The closed loop's `queue` policy: every calling day, the real scoring path (`NightlyScoring.build`, the steps of
/// `arscore score` before publishing) on the export as it stands, then the top rows of calls.csv, each called today
/// in the hours of its planned window.
///
/// calls.csv lists each account's best window of the week; the loop calls today, so a call is placed in the same
/// two-hour slot of today (the window's weekday is not waited for).
struct QueueCallPolicy: ClosedLoopPolicy {
    let name: String
    let bundle: ModelBundle
    var policy: QueuePolicy
    /// Folder the day's export is written to (overwritten every day).
    let exportFolder: String

    mutating func plan(_ world: ClosedLoopWorld, capacity: Int) throws -> [PlannedCall] {
        try world.writeExport(to: exportFolder)
        policy.capacity = capacity
        let night = try NightlyScoring.build(exportFolder: exportFolder, bundle: bundle, policy: policy, asOf: Int32(world.day))
        return night.queues.callRows.compactMap { row in
            guard let customer = world.customerIndex(ofID: night.customerID(ofRow: row)) else { return nil }
            let slot = CallWindows.slot(ofWindow: night.scored.chosenWindow[row])
            return PlannedCall(customer: customer,
                               secondOfDay: world.secondOfDay(customer: customer, windowStartHour: CallWindows.startHours[slot]))
        }
    }
}
