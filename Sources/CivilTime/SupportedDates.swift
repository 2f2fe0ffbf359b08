/// The range of calendar dates arscore accepts in export rows and in date options.
///
/// A collections export holds business dates: a date in year 0001 or 9999 is a typo or a placeholder, and
/// computing "days past due" from it gives nonsense (millions of days). Dates outside
/// `CivilDate.supportedRange` are quarantined in rows and refused in options (docs/QUEUES.md, "Dates").
extension CivilDate {
    /// First supported day: 1990-01-01.
    public static let firstSupportedDay: Int32 = dayNumber(year: 1990, month: 1, day: 1)
    /// Last supported day: 2100-12-31.
    public static let lastSupportedDay: Int32 = dayNumber(year: 2100, month: 12, day: 31)
    /// 1990-01-01 … 2100-12-31, as day numbers.
    public static var supportedRange: ClosedRange<Int32> { firstSupportedDay...lastSupportedDay }
    /// The range as text, for messages: "1990-01-01 … 2100-12-31".
    public static var supportedRangeText: String { format(firstSupportedDay) + " … " + format(lastSupportedDay) }

    /// Whether `day` lies in the supported range.
    @inline(__always)
    public static func isSupported(_ day: Int32) -> Bool { day >= firstSupportedDay && day <= lastSupportedDay }

    /// The day of a date option (`--as-of` and the like): `YYYY-MM-DD` within the supported range.
    /// - Returns: the day number, or a one-line reason naming `option` and the value (not echoed when it holds control characters).
    public static func parseOption(_ text: String, option: String) -> Result<Int32, DateOptionError> {
        guard let day = parse(text) else {
            let shown = text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } || text.count > 40
                ? "a value that is not a date" : "\"\(text)\""
            return .failure(DateOptionError(message: "\(option) must be a date YYYY-MM-DD, got \(shown)"))
        }
        guard isSupported(day) else {
            return .failure(DateOptionError(message: "\(option) \(format(day)) is outside the supported dates \(supportedRangeText)"))
        }
        return .success(day)
    }
}

/// A date option that is not a supported date, with the one-line reason.
public struct DateOptionError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public var description: String { message }
}
