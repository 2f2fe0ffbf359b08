import CivilTime
import Foundation

/// Precomputed calendar text and UTC offsets, shared read-only by all workers.
///
/// - `YYYY-MM-DD` text of every day the export can mention (due and promised dates may lie after `end`).
/// - The UTC offset of every generated time zone at local noon of every history day, taken from
///   Foundation's `TimeZone` (the system tz database). Calls are placed between 08:00 and 18:00 local;
///   no zone used changes offset inside that span (transitions happen at night), so the noon offset
///   converts every call time exactly, on either side of each DST change.
final class TimeTables: Sendable {
    let start: Int
    let end: Int
    private let firstTextDay: Int
    private let dateText: [UInt8]
    private let offsets: [Int32]
    private let offsetDays: Int

    /// Days after `end` for which date text is kept (longest terms plus slack).
    static let textDaysAfterEnd = 120

    init(start: Int, end: Int) throws(GeneratorError) {
        self.start = start
        self.end = end
        firstTextDay = start - 2
        let lastTextDay = end + Self.textDaysAfterEnd
        var text: [UInt8] = []
        text.reserveCapacity((lastTextDay - firstTextDay + 1) * 10)
        for day in firstTextDay...lastTextDay {
            let date = CivilDate.components(Int32(day))
            for (value, width) in [(date.year, 4), (date.month, 2), (date.day, 2)] {
                if width == 2 { text.append(UInt8(ascii: "-")) }
                var digits = [UInt8](repeating: 48, count: width)
                var rest = value
                for index in stride(from: width - 1, through: 0, by: -1) {
                    digits[index] = UInt8(48 + rest % 10)
                    rest /= 10
                }
                text.append(contentsOf: digits)
            }
        }
        dateText = text

        offsetDays = end - start
        var table = [Int32](repeating: 0, count: World.zones.count * offsetDays)
        for (zoneIndex, zone) in World.zones.enumerated() {
            guard let timeZone = TimeZone(identifier: zone.identifier) else {
                throw .io(path: zone.identifier, reason: "time zone not found in the system tz database")
            }
            var offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start * 86_400)))
            for dayIndex in 0..<offsetDays {
                let localNoon = Double((start + dayIndex) * 86_400 + 43_200)
                // Fixed point: the offset in force at the UTC instant of local noon.
                for _ in 0..<3 {
                    let next = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localNoon - Double(offset)))
                    if next == offset { break }
                    offset = next
                }
                table[zoneIndex * offsetDays + dayIndex] = Int32(offset)
            }
        }
        offsets = table
    }

    /// UTC offset in seconds of `zone` at local noon of history day `day` (start ≤ day < end).
    @inline(__always)
    func utcOffset(zone: Int, day: Int) -> Int {
        Int(offsets[zone * offsetDays + (day - start)])
    }

    @inline(__always)
    func appendDate(_ day: Int, to buffer: OutputBuffer) {
        let index = (day - firstTextDay) * 10
        dateText.withUnsafeBufferPointer { text in
            buffer.append(text.baseAddress! + index, count: 10)
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970-01-01 UTC.
    @inline(__always)
    func appendTimestamp(_ utcSeconds: Int, to buffer: OutputBuffer) {
        let day = utcSeconds >= 0 ? utcSeconds / 86_400 : (utcSeconds - 86_399) / 86_400
        let second = utcSeconds - day * 86_400
        appendDate(day, to: buffer)
        buffer.append(UInt8(ascii: "T"))
        buffer.appendDigits(UInt64(second / 3600), width: 2)
        buffer.append(UInt8(ascii: ":"))
        buffer.appendDigits(UInt64(second / 60 % 60), width: 2)
        buffer.append(UInt8(ascii: ":"))
        buffer.appendDigits(UInt64(second % 60), width: 2)
        buffer.append(UInt8(ascii: "Z"))
    }

    func dateString(_ day: Int) -> String { CivilDate.format(Int32(day)) }
}
