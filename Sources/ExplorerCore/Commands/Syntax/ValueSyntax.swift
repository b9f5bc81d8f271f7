// ValueSyntax — the one parser for each kind of value a command or setting takes: durations, byte
// sizes, on/off switches, bounded numbers and keywords, each with the error message it gives.

/// Parses option and setting values; every command and `set` go through here.
enum ValueSyntax {
    /// The longest duration accepted (10^11 s, about 3,000 years): far beyond any use, and every
    /// deadline computed from it stays far from overflowing.
    static let maximumDuration: Int64 = 100_000_000_000 * 1_000_000

    /// What a malformed duration's message suggests.
    static let durationExample = "expected a duration such as 2, 0.5 or 500ms"

    /// A duration in microseconds, as `Units.parseDuration` reads it (`2`, `0.5`, `500ms`, `1.5m`,
    /// `1h`), within `maximumDuration`; nil for anything else.
    static func microseconds(_ text: String) -> Int64? {
        guard let micros = Units.parseDuration(text), micros <= maximumDuration else { return nil }
        return micros
    }

    /// The duration of option `option` (`timeout=x: expected a duration …`).
    static func duration(_ text: String, option: String) throws(ParseError) -> Int64 {
        guard let micros = microseconds(text) else { throw ParseError("\(option): \(durationExample)") }
        return micros
    }

    /// `on`/`off`, also `true`/`false`, `yes`/`no`, `1`/`0` (any case); nil for anything else.
    static func switchValue(_ word: String) -> Bool? {
        switch word.lowercased() {
        case "on", "true", "yes", "1": true
        case "off", "false", "no", "0": false
        default: nil
        }
    }

    /// A byte size as `Units.parseByteSize` reads it (`4096`, `64K`, `1.5G`, `512KiB`); nil
    /// otherwise. `saturating`: a size too large for an Int is `Int.max` (so a range check can say
    /// "out of range") instead of nil.
    static func byteSize(_ text: String, saturating: Bool = false) -> Int? {
        Units.parseByteSize(text, saturating: saturating)
    }

    /// A decimal number of option `option` within `range`.
    static func number(_ value: Word, option: String, in range: ClosedRange<Int>) throws(ParseError) -> Int {
        guard EndpointSyntax.isDigits(value.text) else { throw ParseError("\(option): expected a number") }
        guard value.text.count <= 9, let number = Int(value.text), range.contains(number) else {
            throw ParseError("\(option) out of range \(range.lowerBound)–\(range.upperBound)")
        }
        return number
    }

    /// The case of `T` that option `option` names.
    static func keyword<T: RawRepresentable & CaseIterable>(
        _ value: Word, _ type: T.Type, option: String
    ) throws(ParseError) -> T where T.RawValue == String {
        guard let choice = T(rawValue: value.keyword) else {
            throw ParseError("\(option): expected \(alternatives(T.allCases.map(\.rawValue)))")
        }
        return choice
    }

    /// Runs `parse`, prefixing its error with the option that was being read (`from=x:99999: port …`).
    static func inOption<T>(_ option: String, _ parse: () throws(ParseError) -> T) throws(ParseError) -> T {
        do throws(ParseError) {
            return try parse()
        } catch {
            throw ParseError("\(option): \(error.detail)")
        }
    }
}
