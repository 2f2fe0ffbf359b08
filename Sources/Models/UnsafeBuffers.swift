/// Calls `body` with read-only views of four arrays' elements at once.
///
/// One closure instead of four nested `withUnsafeBufferPointer` calls, so the passes over the data can take
/// their inputs as plain buffers and read flat. The views are valid only inside `body`.
@inline(__always)
func withUnsafeBuffers<A, B, C, D, Result>(
    _ a: [A], _ b: [B], _ c: [C], _ d: [D],
    _ body: (UnsafeBufferPointer<A>, UnsafeBufferPointer<B>, UnsafeBufferPointer<C>, UnsafeBufferPointer<D>) throws
        -> Result
) rethrows -> Result {
    try a.withUnsafeBufferPointer { a in
        try b.withUnsafeBufferPointer { b in
            try c.withUnsafeBufferPointer { c in
                try d.withUnsafeBufferPointer { d in try body(a, b, c, d) }
            }
        }
    }
}

extension UnsafeMutableBufferPointer {
    /// A new buffer of `count` copies of `value`, with room for at least one element so its base address is
    /// never nil; the caller deallocates it.
    static func allocate(filledWith value: Element, count: Int) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(1, count))
        buffer.initialize(repeating: value)
        return buffer
    }
}

extension UnsafeMutableBufferPointer {
    /// A new buffer holding a copy of `values`, with room for at least one element so its base address is never
    /// nil (that element is left uninitialised when `values` is empty); the caller deallocates it.
    static func allocate(copying values: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(1, values.count))
        _ = buffer.initialize(from: values)
        return buffer
    }
}
