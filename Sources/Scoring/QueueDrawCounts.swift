extension QueueBuilder {
    /// The day's exploration and holdout draws in numbers, for the manifest's `extra` (docs/QUEUES.md, "manifest.json").
    public struct Draws: Sendable, Equatable {
        /// The policy's shares and seed.
        public var explorationShare: Double
        public var holdoutShare: Double
        public var policySeed: Int
        /// calls.csv rows picked by rank and drawn at random.
        public var priorityCalls: Int
        public var exploreCalls: Int
        /// The candidates outside the priority part the explore picks were drawn among; each had probability
        /// exploreCalls / explorationPool of being called.
        public var explorationPool: Int
        /// Held-out accounts and the eligible candidates they were drawn among (probability heldOut / holdoutPool).
        public var heldOut: Int
        public var holdoutPool: Int

        init(policy: QueuePolicy, selection: QueueSelection, holdout: QueueHoldout) {
            explorationShare = policy.explorationShare
            holdoutShare = policy.holdoutShare
            policySeed = policy.policySeed
            priorityCalls = selection.priorityCount
            exploreCalls = selection.exploreCount
            explorationPool = selection.explorationPool
            heldOut = holdout.heldOut.count
            holdoutPool = holdout.pool
        }

        /// An explore pick's selection probability among the accounts not held out (calls.csv's
        /// `selection_probability` of an `explore` row; 0 without a pool).
        public var explorationProbability: Double {
            explorationPool == 0 ? 0 : Double(exploreCalls) / Double(explorationPool)
        }

        /// Every eligible candidate's probability of being held out (holdout.csv's `selection_probability`).
        public var holdoutProbability: Double { holdoutPool == 0 ? 0 : Double(heldOut) / Double(holdoutPool) }

        /// The manifest's `extra` entries: the shares and seed as given, the counts as whole numbers.
        public var manifestExtra: [String: String] {
            ["exploration_share": "\(explorationShare)", "holdout_share": "\(holdoutShare)", "policy_seed": String(policySeed),
             "priority_calls": String(priorityCalls), "explore_calls": String(exploreCalls),
             "exploration_pool": String(explorationPool), "holdout_accounts": String(heldOut),
             "holdout_pool": String(holdoutPool)]
        }
    }
}
