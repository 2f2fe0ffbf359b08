/// The result of one call attempt, as in the export contract.
///
/// A right-party contact (RPC) is any outcome where the debtor was reached:
/// `rightParty`, `promise`, `refused` or `dispute`.
public enum CallOutcome: UInt8, CaseIterable, Sendable, Codable {
    case noAnswer, voicemail, wrongParty, rightParty, promise, refused, dispute

    /// The spelling used in calls.csv.
    public var exportName: String {
        switch self {
        case .noAnswer: return "no_answer"
        case .voicemail: return "voicemail"
        case .wrongParty: return "wrong_party"
        case .rightParty: return "right_party"
        case .promise: return "promise"
        case .refused: return "refused"
        case .dispute: return "dispute"
        }
    }

    /// Whether the debtor was reached.
    @inlinable
    public var isRightPartyContact: Bool { rawValue >= CallOutcome.rightParty.rawValue }

    /// Parses the export spelling (exact, lower case, surrounding spaces allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CallOutcome? {
        var start = 0, end = bytes.count
        while start < end && bytes[start] == 32 { start += 1 }
        while end > start && bytes[end - 1] == 32 { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
        for outcome in allCases where outcome.exportName.utf8.elementsEqual(trimmed) { return outcome }
        return nil
    }
}
