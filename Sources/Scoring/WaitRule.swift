import CallGrid
import CallPlanning

extension TodayPlan {
    /// Per zone of `grid`, the local hour blocks (`CallWindows` slots 0 … 4) some slot of today's grid reaches.
    ///
    /// The team works the same hours of its own clock every weekday and each zone keeps today's offset to the team's
    /// clock through the week, so the blocks a slot reaches today are those it reaches on the other weekdays (a clock
    /// change within the week can shift an edge block by one hour; not modelled).
    static func servedBlocks(_ grid: SlotGrid) -> [[Bool]] {
        grid.windowOfSlot.map { windows in
            var served = [Bool](repeating: false, count: CallWindows.windowsPerDay)
            for window in windows where window >= 0 { served[CallWindows.slot(ofWindow: window)] = true }
            return served
        }
    }

    /// The wait rule (step 2): whether a candidate is better called on a later day than in today's best option.
    ///
    /// Without an option it waits. Otherwise it waits when some window in a block the team serves (`served`), on a
    /// later local weekday d = 1 … 6 days ahead, has P(contact) × `discount`^d above the P(contact) of today's best
    /// option. Windows the team never reaches are no reason to wait: the account would be deferred for ever.
    static func waits(_ candidate: Candidate, options: [(slot: Int, value: Double, window: Int)], served: [Bool],
                      discount: Double) -> Bool {
        let contact = candidate.windowContact
        guard let today = options.map({ contact[$0.window] }).max() else { return true }
        let todayWeekday = CallWindows.weekday(ofWindow: options[0].window)
        for window in contact.indices where served[CallWindows.slot(ofWindow: window)] {
            let days = (CallWindows.weekday(ofWindow: window) - todayWeekday + 7) % 7
            if days > 0 && today < contact[window] * pow(discount, days) { return true }
        }
        return false
    }

    /// Plans waiting candidates (rank order) into the room the priority picks left: per slot `slotCapacity` − `load`,
    /// at most `room` calls, the largest total value (`SlotPlanner`). A waiting account is better called today than
    /// not at all when the team would otherwise sit idle. Returns each candidate's slot or −1.
    static func fillIdleRoom(_ waiting: [(candidate: Candidate, options: [(slot: Int, value: Double, window: Int)])],
                             load: [Int], slotCapacity: Int, room: Int) -> [Int] {
        guard room > 0, !waiting.isEmpty else { return [Int](repeating: -1, count: waiting.count) }
        var problem = SlotProblem(slotCapacities: load.map { slotCapacity == Int.max ? Int.max : max(0, slotCapacity - $0) },
                                  totalCapacity: room)
        for entry in waiting { problem.append(options: entry.options.map { ($0.slot, $0.value) }) }
        return SlotPlanner.solve(problem).slotOf
    }
}
