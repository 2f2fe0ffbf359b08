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
