/// One day's slot-planning problem: candidates, each with options (slot, value), slot capacities and a daily total.
///
/// Conventions: slots are numbered 0 ..< `slotCapacities.count` (the team's one-hour slots of the day, at most 64);
/// a value is in the priority's units (currency for the cash modes) and only options with a value > 0 are worth
/// planning; candidates are given in tie-breaking order (callers put them in customer-id byte order), options are
/// stored flat: candidate c's options are `optionSlots[optionStart[c] ..< optionStart[c + 1]]` with the values beside.
public struct SlotProblem: Sendable {
    /// Calls each slot may hold (≥ 0; `Int.max` = no limit).
    public var slotCapacities: [Int]
    /// Calls the whole day may hold (nil = no limit).
    public var totalCapacity: Int?
    /// Flat options: start offsets (count + 1 entries), slots and values.
    public var optionStart: [Int]
    public var optionSlots: [Int]
    public var optionValues: [Double]

    /// An empty problem over `slotCapacities`.
    public init(slotCapacities: [Int], totalCapacity: Int?) {
        self.slotCapacities = slotCapacities
        self.totalCapacity = totalCapacity
        optionStart = [0]
        optionSlots = []
        optionValues = []
    }

    /// The number of candidates.
    public var candidateCount: Int { optionStart.count - 1 }

    /// Appends one candidate with its options (a slot listed twice keeps the larger value; non-positive values and
    /// slots out of range are dropped).
    public mutating func append(options: [(slot: Int, value: Double)]) {
        var best = [Int: Double]()
        for option in options where option.value > 0 && option.value.isFinite
            && (0..<slotCapacities.count).contains(option.slot) {
            best[option.slot] = max(best[option.slot] ?? 0, option.value)
        }
        for slot in best.keys.sorted() {
            optionSlots.append(slot)
            optionValues.append(best[slot]!)
        }
        optionStart.append(optionSlots.count)
    }

    /// The options of candidate `candidate`, as index range into `optionSlots` / `optionValues`.
    public func options(of candidate: Int) -> Range<Int> { optionStart[candidate] ..< optionStart[candidate + 1] }

    /// The value of `candidate` in `slot`, or nil when it has no such option.
    public func value(of candidate: Int, in slot: Int) -> Double? {
        for index in options(of: candidate) where optionSlots[index] == slot { return optionValues[index] }
        return nil
    }
}
