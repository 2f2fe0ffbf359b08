/// One occurrence of a weekly two-hour call window: its local label and its start in UTC.
public struct CallWindow: Sendable, Equatable {
    /// The window as seen locally, `"<Mon…Sun> HH:00-HH:00"`, for example `"Tue 10:00-12:00"`
    /// (the `window_local` column); the nominal local hours, also when a start in a
    /// spring-forward gap was moved (see `WindowClock`).
    public let local: String
    /// The start instant as ISO 8601 UTC with seconds, for example `"2026-11-24T09:00:00Z"`
    /// (the `window_start_utc` column).
    public let startUTC: String
    /// The start instant in whole seconds since 1970-01-01T00:00:00Z.
    public let startSeconds: Int
    /// The local calendar date of the window, in days since 1970-01-01.
    public let localDay: Int

    /// A window occurrence from its parts (`WindowClock` computes them).
    public init(local: String, startUTC: String, startSeconds: Int, localDay: Int) {
        self.local = local
        self.startUTC = startUTC
        self.startSeconds = startSeconds
        self.localDay = localDay
    }
}
