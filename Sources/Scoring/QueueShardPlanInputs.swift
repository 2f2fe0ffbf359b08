/// What today's plan needs of one call candidate of a shard, so the merge plans the union of the shards' candidates as
/// one machine plans its own (docs/SCALE-OUT.md, "The shard result folder").
///
/// The values are the ones `TodayPlan` plans with (`QueueBuilder.planCandidate`), carried as computed, not re-derived:
/// the candidate's zone by its IANA name (the merge indexes the union of the shards' zones), its P(contact) per call
/// window exactly as the planner reads them, and the plan-independent cells of its calls.csv row. The priority (the
/// planner's base value) is the candidate's `QueueShardCandidate.priority`.
public struct QueueShardPlanInputs: Sendable, Equatable {
    /// The candidate's IANA time zone, as in customers.csv.
    public var zone: String
    /// P(contact) per call window (`CallWindows.count` = 25 entries, window order), the planner's per-window values.
    public var windowContact: [Double]
    /// The cells of its calls.csv row that do not depend on the plan.
    public var account: PlannedCallAccount

    public init(zone: String, windowContact: [Double], account: PlannedCallAccount) {
        self.zone = zone
        self.windowContact = windowContact
        self.account = account
    }
}
