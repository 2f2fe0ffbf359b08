/// How call windows group into weekdays and hour blocks, for the account-level weekday and hour effects of a
/// `CallWindowModel`.
///
/// `weekdayOfWindow[w]` and `hourBlockOfWindow[w]` are small group indices (0, 1, …) of window `w`; arscore's 25
/// windows are `grid(weekdays: 5, blocksPerDay: 5)` (weekday-major: window w is weekday w / 5, block w % 5).
public struct CallWindowLayout: Codable, Equatable, Sendable {
    /// Weekday group of each window, 0 … weekdays − 1.
    public var weekdayOfWindow: [Int]
    /// Hour-block group of each window, 0 … blocks − 1.
    public var hourBlockOfWindow: [Int]

    public init(weekdayOfWindow: [Int], hourBlockOfWindow: [Int]) {
        self.weekdayOfWindow = weekdayOfWindow
        self.hourBlockOfWindow = hourBlockOfWindow
    }

    /// A weekday-major grid: window w is weekday w / blocksPerDay and block w % blocksPerDay.
    public static func grid(weekdays: Int, blocksPerDay: Int) -> CallWindowLayout {
        let windows = 0..<(weekdays * blocksPerDay)
        return CallWindowLayout(weekdayOfWindow: windows.map { $0 / blocksPerDay },
                                hourBlockOfWindow: windows.map { $0 % blocksPerDay })
    }

    /// Every window in one weekday and one hour-block group (for windows without a known grid).
    public static func singleGroup(windows: Int) -> CallWindowLayout {
        CallWindowLayout(weekdayOfWindow: [Int](repeating: 0, count: windows),
                         hourBlockOfWindow: [Int](repeating: 0, count: windows))
    }

    /// Number of weekday groups.
    public var weekdays: Int { (weekdayOfWindow.max() ?? -1) + 1 }
    /// Number of hour-block groups.
    public var hourBlocks: Int { (hourBlockOfWindow.max() ?? -1) + 1 }

    /// Why the layout does not fit `windows` windows (wrong length, negative or > 1000 groups, an unused group), or nil.
    public func problem(windows: Int) -> String? {
        for (name, groups) in [("weekday_of_window", weekdayOfWindow), ("hour_block_of_window", hourBlockOfWindow)] {
            guard groups.count == windows else { return "\(name) has \(groups.count) entries for \(windows) windows" }
            guard groups.allSatisfy({ $0 >= 0 && $0 < 1000 }) else { return "\(name) has a group outside 0 … 999" }
            guard Set(groups).count == (groups.max() ?? -1) + 1 else { return "\(name) skips a group index" }
        }
        return nil
    }
}
