@testable import Receivables
import Testing

/// Ids held as 8-byte keys (the index's prefix + up to 17 digits) or as overflow entries: every id reads back
/// exactly, equal ids are found, distinct ids never match.
struct IDIndexTests {
    /// An index built with `insert` from `ids` (the first id sets the prefix).
    static func inserted(_ ids: [String]) -> IDIndex {
        var index = IDIndex(capacity: 4)
        for id in ids { index.insert(id) }
        return index
    }

    @Test func numberedIDsKeepLeadingZerosAndReadBackExactly() {
        let ids = ["INV0001", "INV001", "INV1", "INV", "INV00000000000000000", "INV12345678901234567",
                   "INV123456789012345678", "INVx12", "inv0001", "INV0001X", "CALL0001", "", "0001",
                   "customer-with-a-very-long-id-0001", "INV-0001"]
        let index = Self.inserted(ids)
        #expect(index.count == ids.count)
        for (row, id) in ids.enumerated() {
            #expect(index.id(row) == id)
            #expect(index.find(id) == Int32(row))
        }
        #expect(index.find("INV01") == nil)
        #expect(index.find("INV00001") == nil)
        #expect(index.find("INV2") == nil)
        #expect(index.find("INV123456789012345679") == nil)
        let compacted = index.removing(rows: [0])
        #expect(compacted.find("INV001") == 0 && compacted.find("INV0001") == nil && compacted.id(0) == "INV001")
    }

    @Test func partsWithOtherPrefixesMergeToTheSameIndex() {
        let first = ["A7", "A07", "B1", "A8"], second = ["B1", "B2", "A07", "B02", "A9"], third = ["A7", "C1"]
        var merged = IDIndex(capacity: 16)
        for part in [first, second, third] {
            var chunk = IDIndex(unindexedCapacity: part.count)
            for id in part {
                var id = id
                id.withUTF8 { _ = chunk.appendDeferred($0) }
            }
            merged.appendDeferred(contentsOf: chunk)
            _ = merged.indexPending()
        }
        var whole = IDIndex(capacity: 16)
        for id in first + second + third {
            var id = id
            id.withUTF8 { _ = whole.appendDeferred($0) }
        }
        let duplicates = whole.indexPending()
        #expect(duplicates.map(\.row) == [4, 6, 9])
        #expect(duplicates.map(\.firstRow) == [2, 1, 0])
        for (row, id) in (first + second + third).enumerated() {
            #expect(merged.id(row) == id && whole.id(row) == id)
            #expect(merged.find(id) == whole.find(id))
        }
        #expect(merged.find("B002") == nil && merged.find("A007") == nil)
    }

    @Test func duplicatesFoundBatchByBatchMatchOnePass() {
        let ids = (0..<3000).map { "PAY\(String(format: "%07d", $0 % 2500))" }
        var batched = IDIndex(capacity: 16)   // far too small: grows while batches are indexed
        var found: [(row: Int32, firstRow: Int32)] = []
        for start in stride(from: 0, to: ids.count, by: 100) {
            var chunk = IDIndex(unindexedCapacity: 100)
            for id in ids[start..<(start + 100)] {
                var id = id
                id.withUTF8 { _ = chunk.appendDeferred($0) }
            }
            batched.appendDeferred(contentsOf: chunk)
            found += batched.indexPending()
        }
        #expect(found.map(\.row) == (2500..<3000).map { Int32($0) })
        #expect(found.map(\.firstRow) == (0..<500).map { Int32($0) })
    }
}
