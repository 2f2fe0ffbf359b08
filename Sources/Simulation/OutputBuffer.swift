#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer with fast number and date formatting (no Foundation, no String in the hot path).
final class OutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    func removeAll() { count = 0 }

    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(literal text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in append(bytes) }
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
        count += bytes.count
    }

    @inline(__always)
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    @inline(__always)
    func append(_ source: UnsafePointer<UInt8>, count length: Int) {
        reserve(length)
        (base + count).update(from: source, count: length)
        count += length
    }

    /// Decimal digits of a non-negative integer, left-padded with zeros to at least `width` digits.
    @inline(__always)
    func appendDigits(_ value: UInt64, width: Int = 1) {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let length = max(digits, width)
        reserve(length)
        var cursor = base + count + length - 1
        var v = value
        for _ in 0..<length {
            cursor.pointee = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
            cursor -= 1
        }
        count += length
    }

    @inline(__always)
    func appendInt(_ value: Int, width: Int = 1) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDigits(UInt64(-value), width: width)
        } else {
            appendDigits(UInt64(value), width: width)
        }
    }

    /// An amount in minor units with `decimals` (0 or 2) digits after the point: 12345 → "123.45".
    @inline(__always)
    func appendAmount(_ minor: Int64, decimals: Int) {
        var value = minor
        if value < 0 {
            append(UInt8(ascii: "-"))
            value = -value
        }
        if decimals == 0 {
            appendDigits(UInt64(value))
        } else {
            appendDigits(UInt64(value / 100))
            append(UInt8(ascii: "."))
            appendDigits(UInt64(value % 100), width: 2)
        }
    }

    /// A value already rounded to 4 decimals, written with exactly 4 decimals ("0.1230", "-1.5000").
    @inline(__always)
    func appendFixed4(_ value: Double) {
        var scaled = Int64((value * 10_000).rounded())
        if scaled < 0 {
            append(UInt8(ascii: "-"))
            scaled = -scaled
        }
        appendDigits(UInt64(scaled / 10_000))
        append(UInt8(ascii: "."))
        appendDigits(UInt64(scaled % 10_000), width: 4)
    }

    /// Writes everything to `descriptor`; returns nil on success or the errno text.
    func write(to descriptor: Int32) -> String? {
        var offset = 0
        while offset < count {
            let written = Glibc_write(descriptor, base + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += written
        }
        return nil
    }
}

@inline(__always)
private func Glibc_write(_ descriptor: Int32, _ pointer: UnsafeMutablePointer<UInt8>, _ length: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(descriptor, pointer, length)
    #elseif canImport(Musl)
    return Musl.write(descriptor, pointer, length)
    #else
    return Glibc.write(descriptor, pointer, length)
    #endif
}
