/// A span of local wall-clock time within one day, written `"HH:MM-HH:MM"` (policy keys `team_hours`, `calling_hours`):
/// from `start` (inclusive) to `end` (exclusive), minutes after local midnight, 0 ≤ start < end ≤ 1440.
public struct DayHours: Codable, Equatable, Sendable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `"08:00-21:00"` (24:00 allowed as an end); nil for anything else or an empty span.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]), start < end, start < 1440 else {
            return nil
        }
        self.init(start: start, end: end)
    }

    /// `"HH:MM"` → minutes after midnight (00:00 … 24:00).
    static func minutes(_ text: Substring) -> Int? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[0].count == 2, fields[1].count == 2, let hour = Int(fields[0]), let minute = Int(fields[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440 else { return nil }
        return hour * 60 + minute
    }

    /// Whether [`from`, `to`) minutes after local midnight lies inside the span.
    public func contains(from: Int, to: Int) -> Bool { from >= start && to <= end }

    /// The text form, `"HH:MM-HH:MM"`.
    public var text: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(start / 60)):\(two(start % 60))-\(two(end / 60)):\(two(end % 60))"
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let hours = DayHours(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "must be \"HH:MM-HH:MM\" with start < end, got \"\(text)\""))
        }
        self = hours
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// The contact-rule presets of the policy key `contact_rules` (docs/POLICY.md, "Contact rules").
public enum ContactRules: String, Codable, CaseIterable, Sendable {
    /// At most 3 attempts in 7 days (the default).
    case b2b
    /// At most 7 attempts in 7 days and no call within 7 days after a right-party conversation (the US Regulation F
    /// presumptions, 12 CFR 1006.14(b)(2)).
    case consumer

    /// The preset's attempt cap: attempts within the days.
    public var attemptCap: (attempts: Int, days: Int) { self == .b2b ? (3, 7) : (7, 7) }
    /// Days after a right-party conversation without a call (0 = no such rule).
    public var conversationQuietDays: Int { self == .b2b ? 0 : 7 }
}
