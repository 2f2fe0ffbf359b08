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
///
/// With `retraining`, the bundle is retrained once, on the first calling day on or after `day`, on the export as it
/// stands then (the history before the loop, the loop's own calls and payments, and its logged selections), and the
/// new bundle ranks from that day on.
struct QueueCallPolicy: ClosedLoopPolicy {
    let name: String
    var bundle: ModelBundle
    var policy: QueuePolicy
    /// Folder the day's export is written to (overwritten every day).
    let exportFolder: String
    /// When to retrain and how (nil: the bundle stays).
    var retraining: (day: Int, train: (String) throws -> ModelBundle)?
    /// Priority modes whose calls are also worked out every day, on the same export and bundle with the day's number
    /// of calls, by rank only, and logged for the simulator's true off-policy values (not placed).
    var shadowPriorities: [QueuePriority] = []

    mutating func plan(_ world: ClosedLoopWorld, capacity: Int) throws -> [PlannedCall] {
        try world.writeExport(to: exportFolder)
        if let retraining, world.day >= retraining.day {
            bundle = try retraining.train(exportFolder)
            self.retraining = nil
        }
        policy.capacity = capacity
        let night = try NightlyScoring.build(exportFolder: exportFolder, bundle: bundle, policy: policy, asOf: Int32(world.day))
        world.logSelections(Self.selections(of: night, in: world))
        world.logCandidates((night.queues.candidateRows + night.queues.heldOutRows).compactMap {
            world.customerIndex(ofID: night.customerID(ofRow: $0))
        })
        for mode in shadowPriorities {
            var shadow = policy
            shadow.priority = mode
            shadow.capacity = night.queues.callRows.count
            shadow.explorationShare = 0
            shadow.holdoutShare = 0
            let shadowNight = try NightlyScoring.build(exportFolder: exportFolder, bundle: bundle, policy: shadow, asOf: Int32(world.day))
            world.logShadowCalls(mode.rawValue, calls: Self.calls(of: shadowNight, in: world))
        }
        return Self.calls(of: night, in: world)
    }

    /// The night's calls.csv rows as calls today, each in the hours of its planned window.
    static func calls(of night: NightlyScoring.Night, in world: ClosedLoopWorld) -> [PlannedCall] {
        // Under `plan: today` each call is placed in the local window its planned slot lies in.
        let planned = Dictionary(night.queues.plannedCalls.map { ($0.row, $0.window) }, uniquingKeysWith: { first, _ in first })
        return night.queues.callRows.compactMap { row in
            guard let customer = world.customerIndex(ofID: night.customerID(ofRow: row)) else { return nil }
            let slot = CallWindows.slot(ofWindow: planned[row] ?? night.scored.chosenWindow[row])
            return PlannedCall(customer: customer,
                               secondOfDay: world.secondOfDay(customer: customer, windowStartHour: CallWindows.startHours[slot]))
        }
    }

    /// The day's calls.csv and holdout.csv rows as a team archives them (selections.csv): picks by rank first, then
    /// explore picks, then the held-out accounts, each with the probability the queue printed.
    static func selections(of night: NightlyScoring.Night, in world: ClosedLoopWorld) -> [LoggedSelection] {
        let draws = night.queues.draws
        func logged(_ rows: [Int], _ selection: String, _ probability: Double) -> [LoggedSelection] {
            rows.compactMap { row in
                world.customerIndex(ofID: night.customerID(ofRow: row)).map {
                    LoggedSelection(day: world.day, customer: $0, selection: selection, probability: probability)
                }
            }
        }
        let calls = night.queues.callRows
        let picks = min(draws.priorityCalls, calls.count)
        return logged(Array(calls[..<picks]), "priority", 1)
            + logged(Array(calls[picks...]), "explore", draws.explorationProbability)
            + logged(night.queues.heldOutRows, "holdout", draws.holdoutProbability)
    }
}
