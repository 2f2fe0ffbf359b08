/// Values echoed into error messages and quarantine reasons, made safe to print.
///
/// An export cell may hold anything, including NUL, ESC (terminal escape sequences) and other control
/// characters. Every value arscore quotes into a message goes through `escaped`, so a message is one
/// printable line whatever the input held.
public enum MessageText {
    /// `text` with control characters (C0, DEL and the C1 range) written as escapes — `\n`, `\r`, `\t`,
    /// otherwise `\u{1b}` — and cut to `limit` characters (then ending in `…`).
    public static func escaped(_ text: String, limit: Int = 80) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "…"
                break
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isControl(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return out
    }

    /// Whether the code point is a control character: C0 (U+0000–U+001F), DEL (U+007F) or C1 (U+0080–U+009F).
    @inline(__always)
    public static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (value >= 0x7F && value <= 0x9F)
    }

    /// The first control character (C0 or DEL) in UTF-8 `bytes`, or nil. (C1 controls are two-byte sequences
    /// `C2 80` … `C2 9F` and are reported as their code point.)
    /// With `allowingLineBreaks`, tab, LF and CR are not counted (free text may hold them).
    public static func firstControlCharacter(_ bytes: UnsafeBufferPointer<UInt8>, allowingLineBreaks: Bool = false) -> UInt32? {
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            let lineBreak = byte == 0x09 || byte == 0x0A || byte == 0x0D
            if (byte < 0x20 && !(allowingLineBreaks && lineBreak)) || byte == 0x7F { return UInt32(byte) }
            if byte == 0xC2 && i + 1 < bytes.count && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F {
                return UInt32(bytes[i + 1])
            }
            i += 1
        }
        return nil
    }

    /// `U+001B` style name of a code point, for messages.
    public static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
