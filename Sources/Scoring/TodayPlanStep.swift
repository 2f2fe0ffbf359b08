import CallGrid
import Queues

extension TodayPlan {
    /// The grid of the as-of day over the customer zones `zoneNames` and today's plan of `candidates` on it: the global
    /// step `arscore score` (`rankQueues`) and `arscore merge` (`QueueAssembly`) both run, so their plans are the same.
    /// `candidates`' zones index `zoneNames` (any zone list works: a slot's window depends only on the zone's name).
    /// - Throws: what `SlotGrid` throws (an unknown team or customer zone).
    static func planDay(candidates: [Candidate], zoneNames: [String], policy: QueuePolicy, asOf: Int32,
                        clock: WindowClock) throws -> (plan: TodayPlan, grid: SlotGrid) {
        let grid = try SlotGrid(policy: policy, asOf: asOf, zoneNames: zoneNames, clock: clock)
        return (TodayPlan(candidates: candidates, grid: grid, policy: policy, asOf: asOf), grid)
    }
}
