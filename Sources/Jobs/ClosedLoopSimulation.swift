import Bundles
import Foundation
import Scoring
import Simulation
import Training

/// The library side of `arscore simulate`: policies side by side in the closed loop on one synthetic world.
public enum ClosedLoopSimulation {
    public struct Request: Sendable {
        public var configuration: ClosedLoopConfiguration
        /// Policy names, run in this order (`policyNames`).
        public var policies: [String]
        /// The queue policies' policy file (default: the defaults of docs/POLICY.md); capacity is the loop's.
        public var queuePolicy: QueuePolicy?
        /// Runs of the world with seeds `configuration.seed`, `+ 1`, … (1 … 100).
        public var runs: Int
        /// Calendar days into the loop after which the `retrained` policies retrain their bundle (default: at the
        /// middle calling day).
        public var retrainAfterDays: Int?
        /// Priority modes the queue policies also work out each day (by rank, the day's number of calls) for the true
        /// value of a policy change on the logged days (`ClosedLoopOutcome.shadowValues`).
        public var shadowPriorities: [QueuePriority] = []
        /// Folder for the history export, the trained bundle and the daily exports (default: a temporary folder,
        /// removed afterwards).
        public var workFolder: String?

        public init(configuration: ClosedLoopConfiguration, policies: [String] = ClosedLoopSimulation.defaultPolicies,
                    queuePolicy: QueuePolicy? = nil, runs: Int = 1, workFolder: String? = nil, retrainAfterDays: Int? = nil) {
            self.retrainAfterDays = retrainAfterDays
            self.configuration = configuration
            self.policies = policies
            self.queuePolicy = queuePolicy
            self.runs = runs
            self.workFolder = workFolder
        }
    }

    /// Every policy `arscore simulate` knows: the plain ones, the oracle, the real queue under the policy file, and the
    /// queue under each priority mode (`queue:expected_cash`, …).
    /// `retrained` / `retrained:<mode>` is the queue retrained once, `retrainAfterDays` into the loop, on the history
    /// as it stands then (with the loop's logged selections).
    public static let policyNames = ["none", "random", "aging", "oracle", "queue"]
        + QueuePriority.allCases.map { "queue:" + $0.rawValue } + ["retrained"]
        + QueuePriority.allCases.map { "retrained:" + $0.rawValue }
    public static let defaultPolicies = ["none", "random", "aging", "queue", "oracle"]

    /// Runs each requested policy on fresh copies of the world, once per seed, and summarises the runs.
    /// - Throws: `ArscoreError` for an unknown policy name or run count, configuration, training and scoring errors.
    public static func run(_ request: Request, progress: @escaping (String) -> Void = { _ in }) throws -> ClosedLoopSummary {
        if let unknown = request.policies.first(where: { !policyNames.contains($0) }) {
            throw ArscoreError("unknown policy \"\(unknown)\"; known: \(policyNames.joined(separator: ", "))")
        }
        guard (1...100).contains(request.runs) else { throw ArscoreError("runs must be between 1 and 100 (got \(request.runs))") }
        let work = try WorkFolder(request.workFolder)
        defer { work.removeIfTemporary() }
        var comparisons: [ClosedLoopComparison] = []
        for run in 0..<request.runs {
            var configuration = request.configuration
            configuration.seed &+= UInt64(run)
            comparisons.append(try compare(configuration, request: request, work: work, progress: progress))
        }
        return ClosedLoopSummary(world: request.configuration.world.rawValue, runs: comparisons)
    }

    /// One run: every requested policy on a fresh world of `configuration`; the queue's bundle is trained once.
    static func compare(_ configuration: ClosedLoopConfiguration, request: Request, work: WorkFolder,
                        progress: @escaping (String) -> Void) throws -> ClosedLoopComparison {
        var bundle: ModelBundle?
        var outcomes: [ClosedLoopOutcome] = []
        for name in request.policies {
            progress("seed \(configuration.seed), \(name): generating the world")
            let world = try ClosedLoopWorld(configuration)
            let outcome: ClosedLoopOutcome
            switch name {
            case "none": var policy = NoCallPolicy(); outcome = try ClosedLoop.run(world, policy: &policy, progress: progress)
            case "random": var policy = RandomCallPolicy(seed: configuration.seed)
                outcome = try ClosedLoop.run(world, policy: &policy, progress: progress)
            case "aging": var policy = AgingCallPolicy(); outcome = try ClosedLoop.run(world, policy: &policy, progress: progress)
            case "oracle": var policy = OracleCallPolicy(); outcome = try ClosedLoop.run(world, policy: &policy, progress: progress)
            default:
                if bundle == nil { bundle = try trainBundle(on: world, work: work, progress: progress) }
                var policy = QueueCallPolicy(name: name, bundle: bundle!, policy: queuePolicy(name, request: request, world: world),
                                             exportFolder: work.path + "/today")
                policy.shadowPriorities = request.shadowPriorities
                if name.hasPrefix("retrained") {
                    let day = request.retrainAfterDays.map { world.start + $0 } ?? world.callingDays[world.callingDays.count / 2]
                    let folder = work.path + "/models/retrained-seed-\(configuration.seed)"
                    policy.retraining = (day, { export in
                        progress("seed \(configuration.seed), \(name): retraining on the history up to the loop's day \(day - world.start)")
                        return try BundleTraining.run(.init(exportFolder: export, bundleFolder: folder,
                                                            createdAt: Date(timeIntervalSince1970: 0))).bundle
                    })
                }
                outcome = try ClosedLoop.run(world, policy: &policy, progress: progress)
                if !work.isTemporary { try keepEndOfLoop(world, policy: name, work: work) }
            }
            outcomes.append(outcome)
        }
        return ClosedLoopComparison(configuration: configuration, world: configuration.world.rawValue, outcomes: outcomes)
    }

    /// The queue policy of `name`: the request's policy file (or the defaults), with the priority mode of a
    /// `queue:<mode>` name, and — unless the file sets them — the world's exchange rates to US dollars, as a team
    /// ranking a multi-currency book would set them. Under `plan: today` the plan's team is the simulated one
    /// (`simulatedTeam`).
    static func queuePolicy(_ name: String, request: Request, world: ClosedLoopWorld) -> QueuePolicy {
        var policy = request.queuePolicy ?? QueuePolicy()
        if let colon = name.firstIndex(of: ":"), let mode = QueuePriority(rawValue: String(name[name.index(after: colon)...])) {
            policy.priority = mode
        }
        if policy.exchangeRates.isEmpty { policy.exchangeRates = world.exchangeRatesToUSD }
        if policy.plan == .today { simulatedTeam(&policy, capacity: request.configuration.capacity) }
        return policy
    }

    /// Sets today's plan to the team the simulator has for every policy: agents who call each customer inside its own
    /// 08:00–18:00 on weekdays (the history's collectors, the aging and random baselines and the weekly list's calls),
    /// with no limit per hour beyond the day's capacity. As plan keys: the team's day is the whole UTC day
    /// (`team_hours` 00:00–24:00, 24 one-hour slots), each slot may hold the whole capacity (`calls_per_slot`), and
    /// the customer-local `calling_hours` are the shift's 08:00–18:00. So the plan and the weekly list are compared on
    /// the same team days and hours; a real team's own clock and slot limits are the policy file's (docs/QUEUES.md).
    static func simulatedTeam(_ policy: inout QueuePolicy, capacity: Int) {
        policy.teamTimezone = "UTC"
        policy.teamHours = DayHours(start: 0, end: 1440)
        policy.callsPerSlot = capacity
        policy.callingHours = DayHours(start: 480, end: 1080)
    }

    /// Keeps, in a work folder that stays, the export as it stands after the loop's last day under a queue policy (its
    /// logged selections included: `arscore compare --data` reads them for off-policy values) as
    /// `end-<policy>-seed-<seed>` (a `:` in the name becomes `-`), and `world_policy.json`, a policy file with the
    /// world's exchange rates for such a compare.
    static func keepEndOfLoop(_ world: ClosedLoopWorld, policy: String, work: WorkFolder) throws {
        let folder = work.path + "/end-" + policy.replacingOccurrences(of: ":", with: "-") + "-seed-\(world.configuration.seed)"
        try world.writeExport(to: folder)
        let rates = world.exchangeRatesToUSD.sorted { $0.key < $1.key }.map { "    \"\($0.key)\": \($0.value)" }
        let text = "{\n  \"exchange_rates\": {\n" + rates.joined(separator: ",\n") + "\n  }\n}\n"
        do { try text.write(toFile: work.path + "/world_policy.json", atomically: true, encoding: .utf8) } catch {
            throw ArscoreError("cannot write \(work.path)/world_policy.json: \(error.localizedDescription)")
        }
    }

    /// Writes the history before the loop and trains a bundle on it (`arscore train`'s library call).
    static func trainBundle(on world: ClosedLoopWorld, work: WorkFolder, progress: @escaping (String) -> Void) throws -> ModelBundle {
        progress("training the queue's bundle on the history before \(world.configuration.start)")
        let history = work.path + "/history"
        try world.writeExport(to: history)
        let report = try BundleTraining.run(.init(exportFolder: history,
                                                  bundleFolder: work.path + "/models/seed-\(world.configuration.seed)",
                                                  createdAt: Date(timeIntervalSince1970: 0)))
        return report.bundle
    }
}

/// The simulator's scratch folder: the one asked for, or a temporary one removed afterwards.
struct WorkFolder {
    let path: String
    let isTemporary: Bool

    init(_ requested: String?) throws {
        if let requested {
            path = requested
            isTemporary = false
        } else {
            path = NSTemporaryDirectory() + "arscore-simulate-" + UUID().uuidString
            isTemporary = true
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ArscoreError("cannot create the work folder \(path): \(error.localizedDescription)")
        }
    }

    func removeIfTemporary() {
        if isTemporary { try? FileManager.default.removeItem(atPath: path) }
    }
}
