import CallGrid
import Models

extension CallWindowFitter.Options {
    /// These options with the layout of arscore's 25 windows (Mon–Fri × five 2-hour blocks, weekday-major) when none
    /// is set, so the call-window model's account level has weekday and hour-block effects.
    public var onTheWindowGrid: CallWindowFitter.Options {
        var options = self
        if options.layout == nil {
            options.layout = .grid(weekdays: CallWindows.weekdays, blocksPerDay: CallWindows.windowsPerDay)
        }
        return options
    }
}
