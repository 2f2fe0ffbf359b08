/// A binary max-heap of (key, candidate) entries: larger key first, ties by the smaller candidate index, so the top is
/// deterministic. Entries are never updated in place; the planner skips stale ones when it looks at the top.
struct MaxHeap {
    private(set) var keys: [Double] = []
    private(set) var items: [Int32] = []

    var isEmpty: Bool { items.isEmpty }

    /// Whether entry a comes before entry b.
    private func before(_ a: Int, _ b: Int) -> Bool {
        keys[a] != keys[b] ? keys[a] > keys[b] : items[a] < items[b]
    }

    mutating func push(key: Double, item: Int) {
        keys.append(key)
        items.append(Int32(item))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(child, parent) else { break }
            keys.swapAt(child, parent)
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// The top entry, nil when empty.
    var top: (key: Double, item: Int)? { items.isEmpty ? nil : (keys[0], Int(items[0])) }

    mutating func pop() {
        let last = items.count - 1
        keys.swapAt(0, last)
        items.swapAt(0, last)
        keys.removeLast()
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < items.count, before(left, first) { first = left }
            if right < items.count, before(right, first) { first = right }
            guard first != parent else { return }
            keys.swapAt(first, parent)
            items.swapAt(first, parent)
            parent = first
        }
    }
}
