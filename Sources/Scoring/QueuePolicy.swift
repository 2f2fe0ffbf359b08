import Foundation

/// The collection policy of `arscore score`: what makes an account callable, how calls are ranked, routed
/// and capped. Loaded from a JSON file (`--config`); every key is optional and defaults to the values here.
/// docs/POLICY.md documents each key.
///
/// Money is in the invoice currency, days are calendar days, probabilities are in [0, 1].
public struct QueuePolicy: Codable, Equatable, Sendable {
    /// Calls per day written to calls.csv (the rest are counted as excluded by "capacity"); nil = no limit.
    public var capacity: Int?
    /// Contact cap: an account with at least `contactCapAttempts` attempts in the last `contactCapDays` days is
    /// not called today.
    public var contactCapAttempts: Int
    public var contactCapDays: Int
    /// Smallest past-due balance worth a call.
    public var minimumPastDueBalance: Double
    /// Exclusions that can be switched off (all on by default).
    public var excludeDoNotCall: Bool
    public var excludeDisputed: Bool
    public var excludeOpenPromiseNotDue: Bool
    /// Segments from P(pay within H): timely at or above `timelyMinimumPPay`, doubtful below `doubtfulMaximumPPay`,
    /// late in between.
    public var timelyMinimumPPay: Double
    public var doubtfulMaximumPPay: Double
    /// `invoice` (default): a disputed invoice goes to disputes.csv and the account's undisputed past-due balance stays
    /// callable; `account`: any open disputed invoice keeps the whole account off calls.csv (the rule before 2026-12,
    /// kept to measure what routing per invoice is worth).
    public var disputeRouting: DisputeRouting
    /// How calls.csv is ranked (`QueuePriority`).
    public var priority: QueuePriority
    /// Escalation (final call / external recovery, escalations.csv instead of calls.csv), when `escalation` is on:
    /// oldest callable invoice at least `escalationMinimumDaysPastDue` days past due and the cash a call is expected
    /// to bring (expected_cash × p_contact) below `escalationRecoveryShare` × the callable past-due balance, the share
    /// the escalation path is expected to net.
    public var escalation: Bool
    public var escalationMinimumDaysPastDue: Int
    public var escalationRecoveryShare: Double
    /// Open promises whose promised date falls within this many days after the as-of date (or whose grace period
    /// is still running) go to promise_followups.csv.
    public var promiseFollowUpDays: Int
    /// Horizon (days) of `expected_days_to_pay`: the restricted mean time to the first payment up to it.
    public var expectedDaysHorizon: Int
    /// Value of one unit of each invoice currency in the reporting currency (e.g. `{"USD": 1, "EUR": 1.09}`), so that
    /// calls.csv ranks a book invoiced in several currencies in one; empty = amounts are ranked as written.
    public var exchangeRates: [String: Double]
    /// Share of the day's capacity (of the call candidates when no capacity is set) given to candidates outside the
    /// priority part, drawn at random (`QueueSelection`); in [0, 1].
    public var explorationShare: Double
    /// Share of the eligible call candidates drawn at random before ranking and deliberately not called (holdout.csv,
    /// `QueueHoldout`); in [0, 1].
    public var holdoutShare: Double
    /// Seed of the exploration and holdout draws (`SplitMix64`, with the as-of day): the same seed and day give the
    /// same picks.
    public var policySeed: Int
    /// Today's plan (docs/QUEUES.md, "Today's plan"): the team's IANA time zone, its working hours (team-local; one-hour
    /// slots, each starting on a whole hour inside them), the calls each slot may hold (nil = the daily capacity spread
    /// evenly over the slots, rounded up; no limit without a capacity), the customer-local calling hours no planned
    /// call leaves, and the value a call keeps per day it waits for a better window later in the week (in [0, 1]; 0 = never wait when today has a window).
    public var teamTimezone: String
    public var teamHours: DayHours
    public var callsPerSlot: Int?
    public var callingHours: DayHours
    public var waitDiscountPerDay: Double
    /// The contact-rule preset (`b2b` or `consumer`); `contact_cap_attempts` / `contact_cap_days` given in the file
    /// override its cap.
    public var contactRules: ContactRules
    /// What calls.csv is: `today` (default: the as-of day's plan, `TodayPlan`) or `week` (each account's best window of
    /// the week, no slot capacity).
    public var plan: PlanMode

    public init(capacity: Int? = nil, contactCapAttempts: Int = 3, contactCapDays: Int = 7, minimumPastDueBalance: Double = 1,
                excludeDoNotCall: Bool = true, excludeDisputed: Bool = true, excludeOpenPromiseNotDue: Bool = true,
                timelyMinimumPPay: Double = 0.75, doubtfulMaximumPPay: Double = 0.35, disputeRouting: DisputeRouting = .invoice,
                priority: QueuePriority = .payLikelihood,
                escalation: Bool = true, escalationMinimumDaysPastDue: Int = 120, escalationRecoveryShare: Double = 0,
                promiseFollowUpDays: Int = 3, expectedDaysHorizon: Int = 180, exchangeRates: [String: Double] = [:],
                explorationShare: Double = 0.05, holdoutShare: Double = 0, policySeed: Int = 1,
                teamTimezone: String = "UTC", teamHours: DayHours = DayHours(start: 480, end: 1080), callsPerSlot: Int? = nil,
                callingHours: DayHours = DayHours(start: 480, end: 1260), waitDiscountPerDay: Double = 0.9,
                contactRules: ContactRules = .b2b, plan: PlanMode = .today) {
        self.capacity = capacity
        self.contactCapAttempts = contactCapAttempts
        self.contactCapDays = contactCapDays
        self.minimumPastDueBalance = minimumPastDueBalance
        self.excludeDoNotCall = excludeDoNotCall
        self.excludeDisputed = excludeDisputed
        self.excludeOpenPromiseNotDue = excludeOpenPromiseNotDue
        self.timelyMinimumPPay = timelyMinimumPPay
        self.doubtfulMaximumPPay = doubtfulMaximumPPay
        self.disputeRouting = disputeRouting
        self.priority = priority
        self.escalation = escalation
        self.escalationMinimumDaysPastDue = escalationMinimumDaysPastDue
        self.escalationRecoveryShare = escalationRecoveryShare
        self.promiseFollowUpDays = promiseFollowUpDays
        self.expectedDaysHorizon = expectedDaysHorizon
        self.exchangeRates = exchangeRates
        self.explorationShare = explorationShare
        self.holdoutShare = holdoutShare
        self.policySeed = policySeed
        self.teamTimezone = teamTimezone
        self.teamHours = teamHours
        self.callsPerSlot = callsPerSlot
        self.callingHours = callingHours
        self.waitDiscountPerDay = waitDiscountPerDay
        self.contactRules = contactRules
        self.plan = plan
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case capacity
        case contactCapAttempts = "contact_cap_attempts"
        case contactCapDays = "contact_cap_days"
        case minimumPastDueBalance = "minimum_past_due_balance"
        case excludeDoNotCall = "exclude_do_not_call"
        case excludeDisputed = "exclude_disputed"
        case excludeOpenPromiseNotDue = "exclude_open_promise_not_due"
        case timelyMinimumPPay = "timely_minimum_p_pay"
        case doubtfulMaximumPPay = "doubtful_maximum_p_pay"
        case disputeRouting = "dispute_routing"
        case priority
        case escalation
        case escalationMinimumDaysPastDue = "escalation_minimum_days_past_due"
        case escalationRecoveryShare = "escalation_recovery_share"
        case promiseFollowUpDays = "promise_follow_up_days"
        case expectedDaysHorizon = "expected_days_horizon"
        case exchangeRates = "exchange_rates"
        case explorationShare = "exploration_share"
        case holdoutShare = "holdout_share"
        case policySeed = "policy_seed"
        case teamTimezone = "team_timezone"
        case teamHours = "team_hours"
        case callsPerSlot = "calls_per_slot"
        case callingHours = "calling_hours"
        case waitDiscountPerDay = "wait_discount_per_day"
        case contactRules = "contact_rules"
        case plan
    }

    public init(from decoder: Decoder) throws {
        let defaults = QueuePolicy()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = try container.decodeIfPresent(Int.self, forKey: .capacity) ?? defaults.capacity
        minimumPastDueBalance = try container.decodeIfPresent(Double.self, forKey: .minimumPastDueBalance) ?? defaults.minimumPastDueBalance
        excludeDoNotCall = try container.decodeIfPresent(Bool.self, forKey: .excludeDoNotCall) ?? defaults.excludeDoNotCall
        excludeDisputed = try container.decodeIfPresent(Bool.self, forKey: .excludeDisputed) ?? defaults.excludeDisputed
        excludeOpenPromiseNotDue = try container.decodeIfPresent(Bool.self, forKey: .excludeOpenPromiseNotDue)
            ?? defaults.excludeOpenPromiseNotDue
        timelyMinimumPPay = try container.decodeIfPresent(Double.self, forKey: .timelyMinimumPPay) ?? defaults.timelyMinimumPPay
        doubtfulMaximumPPay = try container.decodeIfPresent(Double.self, forKey: .doubtfulMaximumPPay) ?? defaults.doubtfulMaximumPPay
        if let name = try container.decodeIfPresent(String.self, forKey: .disputeRouting) {
            guard let routing = DisputeRouting(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .disputeRouting, in: container,
                                                       debugDescription: "must be \"invoice\" or \"account\", got \"\(name)\"")
            }
            disputeRouting = routing
        } else {
            disputeRouting = defaults.disputeRouting
        }
        if let name = try container.decodeIfPresent(String.self, forKey: .priority) {
            guard let mode = QueuePriority(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .priority, in: container,
                                                       debugDescription: Self.unknownPriority(name))
            }
            priority = mode
        } else {
            priority = defaults.priority
        }
        escalation = try container.decodeIfPresent(Bool.self, forKey: .escalation) ?? defaults.escalation
        escalationMinimumDaysPastDue = try container.decodeIfPresent(Int.self, forKey: .escalationMinimumDaysPastDue)
            ?? defaults.escalationMinimumDaysPastDue
        escalationRecoveryShare = try container.decodeIfPresent(Double.self, forKey: .escalationRecoveryShare)
            ?? defaults.escalationRecoveryShare
        promiseFollowUpDays = try container.decodeIfPresent(Int.self, forKey: .promiseFollowUpDays) ?? defaults.promiseFollowUpDays
        expectedDaysHorizon = try container.decodeIfPresent(Int.self, forKey: .expectedDaysHorizon) ?? defaults.expectedDaysHorizon
        exchangeRates = try container.decodeIfPresent([String: Double].self, forKey: .exchangeRates) ?? defaults.exchangeRates
        explorationShare = try container.decodeIfPresent(Double.self, forKey: .explorationShare) ?? defaults.explorationShare
        holdoutShare = try container.decodeIfPresent(Double.self, forKey: .holdoutShare) ?? defaults.holdoutShare
        policySeed = try container.decodeIfPresent(Int.self, forKey: .policySeed) ?? defaults.policySeed
        teamTimezone = try container.decodeIfPresent(String.self, forKey: .teamTimezone) ?? defaults.teamTimezone
        teamHours = try container.decodeIfPresent(DayHours.self, forKey: .teamHours) ?? defaults.teamHours
        callsPerSlot = try container.decodeIfPresent(Int.self, forKey: .callsPerSlot) ?? defaults.callsPerSlot
        callingHours = try container.decodeIfPresent(DayHours.self, forKey: .callingHours) ?? defaults.callingHours
        waitDiscountPerDay = try container.decodeIfPresent(Double.self, forKey: .waitDiscountPerDay) ?? defaults.waitDiscountPerDay
        if let name = try container.decodeIfPresent(String.self, forKey: .contactRules) {
            guard let rules = ContactRules(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .contactRules, in: container,
                                                       debugDescription: "must be \"b2b\" or \"consumer\", got \"\(name)\"")
            }
            contactRules = rules
        } else {
            contactRules = defaults.contactRules
        }
        if let name = try container.decodeIfPresent(String.self, forKey: .plan) {
            guard let mode = PlanMode(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .plan, in: container,
                                                       debugDescription: "must be \"week\" or \"today\", got \"\(name)\"")
            }
            plan = mode
        } else {
            plan = defaults.plan
        }
        let cap = contactRules.attemptCap
        contactCapAttempts = try container.decodeIfPresent(Int.self, forKey: .contactCapAttempts) ?? cap.attempts
        contactCapDays = try container.decodeIfPresent(Int.self, forKey: .contactCapDays) ?? cap.days
    }

    /// Reads a policy file; unknown keys and out-of-range values are errors naming the file and key.
    public static func load(path: String) throws -> QueuePolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(path: path, reason: "cannot read the policy file")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PolicyError(path: path, reason: "not a JSON object")
        }
        if object[Self.retiredEscalationKey] != nil {
            throw PolicyError(path: path, reason: "\"\(Self.retiredEscalationKey)\" was replaced by \"escalation_recovery_share\" "
                + "(escalate when the cash a call is expected to bring is below this share of the past-due balance; "
                + "default 0.05, see docs/POLICY.md)")
        }
        if let name = object[CodingKeys.disputeRouting.rawValue], DisputeRouting(rawValue: name as? String ?? "") == nil {
            throw PolicyError(path: path, reason: "\"dispute_routing\" must be \"invoice\" or \"account\", got \"\(name)\"")
        }
        if let name = object[CodingKeys.priority.rawValue], QueuePriority(rawValue: name as? String ?? "") == nil {
            throw PolicyError(path: path, reason: "\"priority\" " + Self.unknownPriority("\(name)"))
        }
        if let seed = object[CodingKeys.policySeed.rawValue] as? Double, seed != seed.rounded() {
            throw PolicyError(path: path, reason: "\"policy_seed\" must be a whole number ≥ 0, got \(seed)")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw PolicyError(path: path, reason: "unknown key \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        let policy: QueuePolicy
        do {
            policy = try JSONDecoder().decode(QueuePolicy.self, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            throw PolicyError(path: path, reason: "wrong type for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\"")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw PolicyError(path: path, reason: "invalid value for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\": "
                + context.debugDescription)
        } catch {
            throw PolicyError(path: path, reason: "cannot be decoded: \(error)")
        }
        try policy.validate(source: path)
        return policy
    }

    /// The key of the P(pay) escalation threshold that `escalation_recovery_share` replaced (a file using it is an error
    /// saying so).
    static let retiredEscalationKey = "escalation_maximum_p_pay"

    /// The reason given for a `priority` value that is not a mode.
    static func unknownPriority(_ name: String) -> String {
        "must be one of \(QueuePriority.names), got \"\(name)\""
    }

    /// Checks every value's range.
    public func validate(source: String) throws {
        func fail(_ key: CodingKeys, _ rule: String) -> PolicyError { PolicyError(path: source, reason: "\"\(key.rawValue)\" \(rule)") }
        if let capacity, capacity < 0 { throw fail(.capacity, "must be ≥ 0") }
        guard contactCapAttempts >= 1 else { throw fail(.contactCapAttempts, "must be ≥ 1") }
        guard contactCapDays >= 1 else { throw fail(.contactCapDays, "must be ≥ 1") }
        guard minimumPastDueBalance.isFinite, minimumPastDueBalance >= 0 else { throw fail(.minimumPastDueBalance, "must be ≥ 0") }
        guard (0...1).contains(timelyMinimumPPay) else { throw fail(.timelyMinimumPPay, "must be in [0, 1]") }
        guard (0...1).contains(doubtfulMaximumPPay), doubtfulMaximumPPay <= timelyMinimumPPay else {
            throw fail(.doubtfulMaximumPPay, "must be in [0, timely_minimum_p_pay]")
        }
        guard escalationMinimumDaysPastDue >= 0 else { throw fail(.escalationMinimumDaysPastDue, "must be ≥ 0") }
        guard (0...1).contains(escalationRecoveryShare) else { throw fail(.escalationRecoveryShare, "must be in [0, 1]") }
        guard promiseFollowUpDays >= 0 else { throw fail(.promiseFollowUpDays, "must be ≥ 0") }
        guard expectedDaysHorizon >= 1 else { throw fail(.expectedDaysHorizon, "must be ≥ 1") }
        if let (code, rate) = exchangeRates.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite || $0.value <= 0 }) {
            throw fail(.exchangeRates, "rate of \"\(code)\" must be a finite number > 0, got \(rate)")
        }
        guard (0...1).contains(explorationShare) else { throw fail(.explorationShare, "must be in [0, 1], got \(explorationShare)") }
        guard (0...1).contains(holdoutShare) else { throw fail(.holdoutShare, "must be in [0, 1], got \(holdoutShare)") }
        guard policySeed >= 0 else { throw fail(.policySeed, "must be a whole number ≥ 0, got \(policySeed)") }
        guard TimeZone(identifier: teamTimezone) != nil else {
            throw fail(.teamTimezone, "must be an IANA time zone such as Europe/Madrid, got \"\(teamTimezone)\"")
        }
        guard teamHours.end - teamHours.start >= 60 else { throw fail(.teamHours, "must span at least one hour") }
        if let callsPerSlot, callsPerSlot < 0 { throw fail(.callsPerSlot, "must be ≥ 0") }
        guard waitDiscountPerDay >= 0, waitDiscountPerDay <= 1 else {
            throw fail(.waitDiscountPerDay, "must be in [0, 1], got \(waitDiscountPerDay)")
        }
    }

    /// The reporting-currency value of one unit of `currency` ("" = not given: taken as the reporting currency);
    /// nil when rates are set but this currency has none. 1 when no rates are set.
    public func exchangeRate(of currency: String) -> Double? {
        guard !exchangeRates.isEmpty, !currency.isEmpty else { return 1 }
        return exchangeRates[currency]
    }
}

/// What calls.csv lists (the policy key `plan`).
public enum PlanMode: String, Codable, CaseIterable, Sendable {
    /// Each account in its best window of the week (window_start_utc up to 6 days ahead), no slot capacity.
    case week
    /// The as-of day's plan: one team slot per call, at most `calls_per_slot` per slot (`TodayPlan`).
    case today
}

/// Where an account with a disputed open invoice goes (the policy key `dispute_routing`).
public enum DisputeRouting: String, Codable, CaseIterable, Sendable {
    /// The disputed invoice to disputes.csv, the undisputed past-due balance stays callable.
    case invoice
    /// The whole account off calls.csv while any of its open invoices is disputed.
    case account
}

/// A policy file that cannot be used: the file and the reason.
public struct PolicyError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
