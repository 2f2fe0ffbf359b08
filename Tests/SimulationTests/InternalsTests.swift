import CivilTime
import CallGrid
import Foundation
@testable import Simulation
import Testing

@Suite("Internals")
struct InternalsTests {
    @Test func baselineMatchesItsPublishedTable() {
        for u in -40...200 {
            var interval = 0
            while interval < World.baselineKnots.count, u >= World.baselineKnots[interval] { interval += 1 }
            #expect(World.baseline(u) == World.baselineHazard[interval], "h0(\(u))")
        }
        for age in 0...120 {
            var bucket = -1
            while bucket + 1 < World.callAgeThresholds.count, age >= World.callAgeThresholds[bucket + 1] { bucket += 1 }
            #expect(World.callProbability(daysPastDue: age) == (bucket < 0 ? 0 : World.callProbabilities[bucket]), "age \(age)")
        }
    }

    @Test func randomStreamsAreReproducibleAndDistinct() {
        var a = RandomSource(seed: 1, stream: 0)
        var b = RandomSource(seed: 1, stream: 0)
        var c = RandomSource(seed: 1, stream: 1)
        var d = RandomSource(seed: 2, stream: 0)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        #expect(first != (0..<8).map { _ in d.next() })
        var counts = [Int](repeating: 0, count: 10)
        var sum = 0.0
        for _ in 0..<100_000 {
            counts[a.below(10)] += 1
            sum += a.uniform()
        }
        #expect(counts.allSatisfy { $0 > 9_500 && $0 < 10_500 })
        #expect(abs(sum / 100_000 - 0.5) < 0.01)
    }

    @Test func numbersAreFormattedExactly() {
        let buffer = OutputBuffer(capacity: 8)
        buffer.appendAmount(12345, decimals: 2)
        buffer.append(UInt8(ascii: " "))
        buffer.appendAmount(7, decimals: 2)
        buffer.append(UInt8(ascii: " "))
        buffer.appendAmount(500, decimals: 0)
        buffer.append(UInt8(ascii: " "))
        buffer.appendFixed4(-1.5)
        buffer.append(UInt8(ascii: " "))
        buffer.appendFixed4(0.0123)
        buffer.append(UInt8(ascii: " "))
        buffer.appendDigits(42, width: 7)
        buffer.append(UInt8(ascii: " "))
        buffer.appendInt(-17)
        buffer.append(UInt8(ascii: " "))
        buffer.appendDigits(UInt64.max)
        let text = String(decoding: UnsafeBufferPointer(start: buffer.base, count: buffer.count), as: UTF8.self)
        #expect(text == "123.45 0.07 500 -1.5000 0.0123 0000042 -17 18446744073709551615")
    }

    @Test func timestampsAreUTC() throws {
        let tables = try TimeTables(start: Int(CivilDate.parseExact("2026-03-01")!), end: Int(CivilDate.parseExact("2026-04-01")!))
        let buffer = OutputBuffer()
        tables.appendTimestamp(Int(CivilDate.parseExact("2026-03-08")!) * 86_400 + 7 * 3600 + 5 * 60 + 9, to: buffer)
        #expect(String(decoding: UnsafeBufferPointer(start: buffer.base, count: buffer.count), as: UTF8.self) == "2026-03-08T07:05:09Z")
        // New York switches to daylight time on 2026-03-08; Sydney leaves it on 2026-04-05 (after this range).
        let newYork = World.zones.firstIndex { $0.identifier == "America/New_York" }!
        #expect(tables.utcOffset(zone: newYork, day: Int(CivilDate.parseExact("2026-03-07")!)) == -5 * 3600)
        #expect(tables.utcOffset(zone: newYork, day: Int(CivilDate.parseExact("2026-03-08")!)) == -4 * 3600)
        let kolkata = World.zones.firstIndex { $0.identifier == "Asia/Kolkata" }!
        #expect(tables.utcOffset(zone: kolkata, day: Int(CivilDate.parseExact("2026-03-20")!)) == 19_800)
        let london = World.zones.firstIndex { $0.identifier == "Europe/London" }!
        #expect(tables.utcOffset(zone: london, day: Int(CivilDate.parseExact("2026-03-28")!)) == 0)
        #expect(tables.utcOffset(zone: london, day: Int(CivilDate.parseExact("2026-03-29")!)) == 3600)
    }

    @Test func windowsAndSharesAreConsistent() {
        #expect(CallWindows.names.count == CallWindows.count)
        #expect(CallWindows.names[CallWindows.index(weekday: 1, hour: 9)] == "Tue 08-10")
        #expect(CallWindows.names[CallWindows.index(weekday: 4, hour: 17)] == "Fri 16-18")
        #expect(abs(World.zoneShares.reduce(0, +) - 1) < 1e-9)
        #expect(abs(World.segmentShares.reduce(0, +) - 1) < 1e-9)
        for pattern in World.contactPatterns {
            #expect(pattern.probabilities.count == 25)
            // One peak, clearly above every other window of the pattern.
            let others = pattern.probabilities.enumerated().filter { $0.offset != pattern.peakWindow }.map(\.element)
            #expect(pattern.probabilities[pattern.peakWindow] >= 1.5 * others.max()!)
        }
        for segment in World.segments { #expect(segment.patternWeights.count == World.contactPatterns.count) }
    }
}
