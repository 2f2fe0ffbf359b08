/// The two halves of a parallel fast-path run and their results (each thread writes only its own slot and rows).
final class ParallelWork: @unchecked Sendable {
    /// A half's outcome: rows parsed, and where the first record not parsed starts (the half's end when none).
    typealias Result = (rows: Int, stop: UnsafePointer<UInt8>)

    /// The first half (starts at a record).
    private let first: (start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>)
    /// The second half (starts at a record if the first half parses completely).
    private let second: (start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>)
    /// Rows the sink can still take.
    private let room: Int
    /// Sink column of each header column (read only).
    private let targets: UnsafePointer<Int>
    /// Index of the last header column.
    private let last: Int
    /// Where the first half's first row goes.
    private let out: UnsafeMutablePointer<Double>
    /// Rows per sink column.
    private let capacity: Int
    /// One result slot per half; slot `i` is written only by the thread running half `i`.
    private let slots: UnsafeMutablePointer<Result>

    /// Prepares the two halves.
    init(
        first: (UnsafePointer<UInt8>, UnsafePointer<UInt8>), second: (UnsafePointer<UInt8>, UnsafePointer<UInt8>),
        room: Int, targets: UnsafePointer<Int>, last: Int, out: UnsafeMutablePointer<Double>, capacity: Int
    ) {
        self.first = first
        self.second = second
        self.room = room
        self.targets = targets
        self.last = last
        self.out = out
        self.capacity = capacity
        slots = .allocate(capacity: 2)
        slots.initialize(to: (0, first.0))
        (slots + 1).initialize(to: (0, second.0))
    }

    deinit {
        slots.deallocate()
    }

    /// Parses half `index` (0 or 1).
    func run(_ index: Int) {
        if index == 0 {
            slots[0] = NumericColumnScanner.fastRun(
                first.start, first.end, limit: room, targets: targets, last: last, out: out, capacity: capacity)
        } else {
            let offset = NumericColumnScanner.countLineFeeds(first.start, first.end)
            guard offset < room else { return }
            slots[1] = NumericColumnScanner.fastRun(
                second.start, second.end, limit: room - offset, targets: targets, last: last, out: out + offset,
                capacity: capacity)
        }
    }

    /// The outcome of half `index` (after both halves ran).
    func result(_ index: Int) -> Result {
        slots[index]
    }
}
