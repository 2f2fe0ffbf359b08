import Foundation

/// Fixed-size storage of plain values, written once while an index or table is built and read-only afterwards.
///
/// The hot loops read it through raw pointers (no copy-on-write checks, no retain/release per access).
final class Storage<Element: BitwiseCopyable>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    /// Uninitialised storage for `count` values (the builder must write every one before reading).
    init(uninitializedCount count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
    }

    /// Storage with every value set to `value`.
    init(repeating value: Element, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: count)
    }

    deinit { pointer.deallocate() }

    @inline(__always)
    subscript(_ index: Int) -> Element {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    var buffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    func toArray() -> [Element] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Splitting work over the cores with deterministic results.
enum Parallel {
    /// Number of worker threads used (all active cores, at most 16).
    static var workers: Int { max(1, min(16, ProcessInfo.processInfo.activeProcessorCount)) }

    /// The half-open ranges `0..<count` is cut into: about four per worker, each at least `minimumChunk` long.
    static func chunks(count: Int, minimumChunk: Int = 2048) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let wanted = max(1, min(workers * 4, count / max(1, minimumChunk)))
        let size = (count + wanted - 1) / wanted
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// Runs `body` on every chunk of `0..<count`, on all cores. Each chunk must write only its own outputs.
    static func forEachChunk(count: Int, minimumChunk: Int = 2048, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        run(chunks(count: count, minimumChunk: minimumChunk), body)
    }

    /// Runs `body` on each of `ranges` (numbered), on all cores. Each chunk must write only its own outputs.
    static func run(_ ranges: [Range<Int>], _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        if ranges.count <= 1 {
            for (index, range) in ranges.enumerated() { body(index, range) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
                box.value(index, ranges[index])
            }
        }
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`; callers guarantee the chunks touch disjoint memory.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Building arrays in place: the arrays' storage is handed out uninitialised and filled by the caller
/// (in parallel), so large outputs are written once — no zero fill, no copy — and their pages are first
/// touched by the threads that fill them.
enum ArrayBuilder {
    /// An array of `count` elements that `fill` must initialise completely (plain values only).
    static func make<T: BitwiseCopyable>(_ count: Int, _ fill: (UnsafeMutablePointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: max(count, 1)) { buffer, initialized in
            let base = buffer.baseAddress!
            fill(base)
            initialized = count
        }
    }
}
