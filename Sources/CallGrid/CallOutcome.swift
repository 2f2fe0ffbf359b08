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
        guard let first = trimmed.first else { return nil }
        // Dispatch on the first byte; at most two names share it.
        let candidates: [CallOutcome]
        switch first {
        case UInt8(ascii: "n"): candidates = [.noAnswer]
        case UInt8(ascii: "v"): candidates = [.voicemail]
        case UInt8(ascii: "w"): candidates = [.wrongParty]
        case UInt8(ascii: "r"): candidates = [.rightParty, .refused]
        case UInt8(ascii: "p"): candidates = [.promise]
        case UInt8(ascii: "d"): candidates = [.dispute]
        default: return nil
        }
        for outcome in candidates where outcome.exportBytes.count == trimmed.count {
            if outcome.exportBytes.withUnsafeBufferPointer({ $0.elementsEqual(trimmed) }) { return outcome }
        }
        return nil
    }

    /// The export spelling as bytes.
    private var exportBytes: [UInt8] { CallOutcome.spellings[Int(rawValue)] }

    private static let spellings: [[UInt8]] = allCases.map { Array($0.exportName.utf8) }
}
