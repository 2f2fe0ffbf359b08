/// Customer-local wall-clock time of an instant.
public struct LocalTime: Sendable, Equatable {
    /// Local calendar day (days since 1970-01-01).
    public var day: Int32
    /// Local weekday, 0 = Monday … 6 = Sunday.
    public var weekday: Int8
    /// Local hour, 0 … 23.
    public var hour: Int8
    /// UTC offset in force, in seconds (local = UTC + offset).
    public var utcOffsetSeconds: Int32

    /// Local time of `utcSeconds` given the offset in force.
    @inlinable
    public init(utcSeconds: Int64, offsetSeconds: Int32) {
        let local = utcSeconds + Int64(offsetSeconds)
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let second = local - day * 86_400
        self.day = Int32(day)
        weekday = Int8(CivilDate.weekday(Int32(day)))
        hour = Int8(second / 3600)
        utcOffsetSeconds = offsetSeconds
    }
}
