import Foundation

/// Which time-zone names arscore accepts in customers.csv: IANA names of places, which is what the contract asks.
///
/// The rule: `UTC`, or an `Area/Location` name (`America/New_York`, `America/Argentina/Buenos_Aires`) whose area is
/// one of the tz database's regions (Africa, America, Antarctica, Arctic, Asia, Atlantic, Australia, Europe, Indian,
/// Pacific) and which the system tz database knows. Abbreviations and legacy names that happen to exist as files
/// in /usr/share/zoneinfo (`EST`, `CET`, `PST8PDT`, `US/Eastern`), offsets (`UTC+1`, `Etc/GMT+5`, whose sign is the
/// reverse of what most people expect) and anything with a control character are refused: each gives windows an
/// hour or more off for part of the year, or a different offset than meant.
public enum ZoneName {
    /// The areas of `Area/Location` names.
    public static let areas: Set<String> = ["Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
                                            "Europe", "Indian", "Pacific"]

    /// Why `name` is not an accepted zone name (a phrase to follow the quoted name), or nil when it is one.
    public static func rejection(_ name: String) -> String? {
        if name == "UTC" { return nil }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains a control character; not an IANA time zone name"
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, areas.contains(String(parts[0])), parts.dropFirst().allSatisfy(isLocationPart) else {
            return "is not an IANA Area/Location time zone name (such as America/New_York) or UTC"
        }
        guard TimeZone(identifier: name) != nil else { return "is not in the tz database (unknown IANA time zone)" }
        return nil
    }

    /// A part after the area: starts with a letter, then ASCII letters, digits, `_`, `-`, `+`.
    private static func isLocationPart(_ part: Substring) -> Bool {
        guard let first = part.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return part.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-+".unicodeScalars.contains(scalar))
        }
    }
}
