import Receivables

/// Dates and instants as the queue files write them, on top of `Receivables.CivilDate` (day numbers count days
/// since 1970-01-01; instants are whole seconds since 1970-01-01T00:00:00Z).
enum CivilDay {
    /// The day number of exactly `YYYY-MM-DD` (no spaces, a real date); nil otherwise. Strict, because the text
    /// becomes a folder name.
    static func parse(_ text: String) -> Int? {
        guard let day = CivilDate.parse(text), CivilDate.format(day) == text else { return nil }
        return Int(day)
    }

    /// Weekday of a day number: 0 = Monday … 6 = Sunday.
    static func weekday(_ dayNumber: Int) -> Int { CivilDate.weekday(Int32(dayNumber)) }

    /// `YYYY-MM-DDTHH:MM:SSZ` of an instant in whole seconds since the epoch.
    static func formatInstant(_ seconds: Int) -> String {
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - day * 86_400
        return CivilDate.format(Int32(day)) + "T" + pad(second / 3600, 2) + ":" + pad(second / 60 % 60, 2) + ":"
            + pad(second % 60, 2) + "Z"
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
