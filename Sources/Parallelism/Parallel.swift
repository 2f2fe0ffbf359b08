import Foundation

/// Splitting work over the cores with deterministic results.
public enum Parallel {
    /// Number of worker threads used (all active cores, at most 16).
    public static var workers: Int { max(1, min(16, ProcessInfo.processInfo.activeProcessorCount)) }

    /// The half-open ranges `0..<count` is cut into: about four per worker, each at least `minimumChunk` long.
    public static func chunks(count: Int, minimumChunk: Int = 2048) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let wanted = max(1, min(workers * 4, count / max(1, minimumChunk)))
        let size = (count + wanted - 1) / wanted
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// `0..<count` cut into `parts` contiguous ranges of near-equal length (the first `count % parts` one longer),
    /// whatever the machine: for reductions whose floating-point result must not depend on the core count.
    public static func fixedPartitions(count: Int, parts: Int) -> [Range<Int>] {
        let parts = max(1, min(parts, count))
        guard count > 0 else { return [] }
        let base = count / parts, longer = count % parts
        var start = 0
        return (0..<parts).map { part in
            let length = base + (part < longer ? 1 : 0)
            defer { start += length }
            return start..<(start + length)
        }
    }

    /// Runs `body(i)` for every `i` in `0..<iterations` on all cores and returns when all are done. Each iteration
    /// must write only its own outputs.
    public static func perform(_ iterations: Int, _ body: (_ iteration: Int) -> Void) {
        if iterations <= 1 {
            if iterations == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
        }
    }

    /// Runs `body` on every chunk of `0..<count`, on all cores. Each chunk must write only its own outputs.
    public static func forEachChunk(count: Int, minimumChunk: Int = 2048, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        run(chunks(count: count, minimumChunk: minimumChunk), body)
    }

    /// Runs `body` on each of `ranges` (numbered), on all cores. Each chunk must write only its own outputs.
    public static func run(_ ranges: [Range<Int>], _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        if ranges.count <= 1 {
            for (index, range) in ranges.enumerated() { body(index, range) }
            return
        }
        perform(ranges.count) { index in body(index, ranges[index]) }
    }
}

/// A raw pointer shared with worker threads that write disjoint parts of one buffer.
public struct UncheckedPointer<Pointee>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Pointee>?
    public init(_ pointer: UnsafeMutablePointer<Pointee>?) { self.pointer = pointer }
}

/// Carries a non-Sendable closure to worker threads; callers guarantee the iterations touch disjoint memory.
public struct UncheckedBox<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

/// Building arrays in place: the arrays' storage is handed out uninitialised and filled by the caller
/// (in parallel), so large outputs are written once — no zero fill, no copy — and their pages are first
/// touched by the threads that fill them.
public enum ArrayBuilder {
    /// An array of `count` elements that `fill` must initialise completely (plain values only).
    public static func make<T: BitwiseCopyable>(_ count: Int, _ fill: (UnsafeMutablePointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: max(count, 1)) { buffer, initialized in
            let base = buffer.baseAddress!
            fill(base)
            initialized = count
        }
    }
}
