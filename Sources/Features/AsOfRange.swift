import CivilTime

/// Which as-of dates make sense for an export: from the day after its first invoice to a month after its data.
///
/// An as-of date before the first invoice sees no history (every queue would be empty); one far past the newest row
/// scores a stale export as if nothing had been paid or called since, and ages every balance by the gap (an as-of of
/// 9999-12-31 once reported millions of days past due). The rule a collections analyst expects — "score today's
/// export, or replay a day it covers" — is: `firstInvoiceDate < asOf ≤ dataEnd + maximumDaysAfterData`, within
/// `CivilDate.supportedRange` (docs/QUEUES.md, "Dates").
extension FeatureBuilder {
    /// Largest gap, in days, between the day after the newest row (`dataEnd`) and the as-of date: 31.
    public static let maximumDaysAfterData: Int32 = 31

    /// Checks `asOf` against the export (`source` names it in the message).
    /// - Throws: `AsOfDateError` with a one-line reason naming the dates.
    public func checkAsOf(_ asOf: Int32, source: String) throws {
        let asOfText = CivilDate.format(asOf)
        guard CivilDate.isSupported(asOf) else {
            throw AsOfDateError(message: "as-of date \(asOfText) is outside the supported dates \(CivilDate.supportedRangeText)")
        }
        if asOf <= firstInvoiceDate {
            throw AsOfDateError(message: "\(source): as-of date \(asOfText) is not after the export's first invoice "
                + "(\(CivilDate.format(firstInvoiceDate))): there is no history before it to score")
        }
        if asOf > dataEnd + Self.maximumDaysAfterData {
            throw AsOfDateError(message: "\(source): as-of date \(asOfText) is \(asOf - dataEnd + 1) days after the export's "
                + "newest row (\(CivilDate.format(dataEnd - 1))); at most \(Self.maximumDaysAfterData) days are allowed: "
                + "score a fresh export or pass an --as-of the export covers")
        }
    }
}

/// An as-of date the export cannot be scored at, with the one-line reason.
public struct AsOfDateError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public var description: String { message }
}
