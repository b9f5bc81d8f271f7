// Units — human-readable sizes, rates and durations, and the parsers for what users type.
//
// Sizes use binary units (KiB = 1024 B) with one decimal below 10 and none above: `1.0 KiB`,
// `9.9 KiB`, `64 MiB`. Values are truncated, never rounded up, so a display never overstates
// (`1023.9 KiB` shows `1023 KiB`, not `1.0 MiB`) and no rounding can carry into the next unit.

/// Formatting and parsing of sizes, rates and durations.
public enum Units {
    private static let sizeUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]

    /// A byte count: `0 B`, `17 B`, `1023 B`, `1.0 KiB`, `1.5 GiB`, `64 MiB`.
    ///
    /// `exact`: the value as a setting shows it, never rounded: a whole number of the largest unit
    /// that divides it (`64 MiB`, `1536 KiB`), else plain bytes (`100000 bytes`).
    public static func byteSize(_ count: Int64, exact: Bool = false) -> String {
        if exact {
            for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")]
            where count >= 1 << shift && count % (1 << shift) == 0 {
                return "\(count >> shift) \(unit)"
            }
            return "\(count) bytes"
        }
        let sign = count < 0 ? "-" : ""
        var magnitude = count.magnitude
        guard magnitude >= 1024 else { return "\(sign)\(magnitude) B" }
        var unit = 0
        var divisor: UInt64 = 1
        while magnitude / divisor >= 1024 && unit < sizeUnits.count - 1 {
            divisor *= 1024
            unit += 1
        }
        let whole = magnitude / divisor
        magnitude %= divisor
        if whole >= 10 { return "\(sign)\(whole) \(sizeUnits[unit])" }
        let tenths = magnitude * 10 / divisor  // magnitude < 2^60, so ×10 fits in UInt64
        return "\(sign)\(whole).\(tenths) \(sizeUnits[unit])"
    }

    /// `1 byte`, `0 bytes`, `17 bytes`: an exact count of bytes in a sentence.
    public static func bytes<T: BinaryInteger>(_ count: T) -> String { counted(count, "byte") }

    /// `1 event`, `3 events`: `count` and `noun`, plural (`plural`, else `noun` + s) unless the count is one.
    public static func counted<T: BinaryInteger>(_ count: T, _ noun: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
    }

    /// A transfer rate: `0 B/s`, `12 KiB/s`, `1.5 MiB/s`.
    public static func rate(bytesPerSecond: Int64) -> String {
        byteSize(bytesPerSecond) + "/s"
    }

    /// A duration in microseconds: `120 µs`, `850 ms`, `2.5 s`, `42 s`, `3 m 02 s`, `1 h 05 m`,
    /// `2 d 03 h`. Truncated like sizes.
    public static func duration(_ micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let us = micros.magnitude
        let second: UInt64 = 1_000_000
        switch us {
        case ..<1_000: return "\(sign)\(us) µs"
        case ..<second: return "\(sign)\(us / 1_000) ms"
        case ..<(10 * second): return "\(sign)\(us / second).\(us % second / 100_000) s"
        case ..<(60 * second): return "\(sign)\(us / second) s"
        case ..<(3_600 * second): return "\(sign)\(us / (60 * second)) m \(twoDigits(us / second % 60)) s"
        case ..<(86_400 * second): return "\(sign)\(us / (3_600 * second)) h \(twoDigits(us / (60 * second) % 60)) m"
        default: return "\(sign)\(us / (86_400 * second)) d \(twoDigits(us / (3_600 * second) % 24)) h"
        }
    }

    /// Parses a byte size: a number (fractions allowed) and an optional unit, case-insensitive,
    /// spaces allowed around it: `4096`, `512B`, `64K`, `64M`, `64MiB`, `1.5 GB`, `1T`.
    /// K, M, G and T are 1024 multiples whatever the spelling (`KB` too), as in `logcap` and
    /// `rcvbuf`. Fractions of a byte are truncated. Returns nil for anything else, and on overflow
    /// unless `saturating`, which gives `Int.max` instead.
    public static func parseByteSize(_ text: String, saturating: Bool = false) -> Int? {
        let kib: UInt64 = 1024
        let units: [String: UInt64] = [
            "": 1, "b": 1,
            "k": kib, "kb": kib, "kib": kib,
            "m": kib << 10, "mb": kib << 10, "mib": kib << 10,
            "g": kib << 20, "gb": kib << 20, "gib": kib << 20,
            "t": kib << 30, "tb": kib << 30, "tib": kib << 30,
        ]
        return parseQuantity(text, units: units, saturating: saturating).map { Int($0) }
    }

    /// Parses a duration into microseconds: a number (fractions allowed) and an optional unit,
    /// seconds when there is none: `2`, `0.5`, `500ms`, `2s`, `1m`, `1.5h`, `250us`, `250µs`.
    /// Returns nil for anything else or on overflow.
    public static func parseDuration(_ text: String) -> Int64? {
        let second: UInt64 = 1_000_000
        let units: [String: UInt64] = [
            "us": 1, "µs": 1, "μs": 1, "ms": 1_000,
            "": second, "s": second, "sec": second,
            "m": 60 * second, "min": 60 * second,
            "h": 3_600 * second,
        ]
        return parseQuantity(text, units: units)
    }

    private static func twoDigits(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Parses `number [unit]` and returns number × unit, truncated, if it fits in an Int64.
    private static func parseQuantity(_ text: String, units: [String: UInt64], saturating: Bool = false) -> Int64? {
        let trimmed = text.utf8.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed()
        var bytes = Array(trimmed)[...]
        guard let number = DecimalNumber.parse(&bytes, saturating: saturating) else { return nil }
        let suffix = String(decoding: bytes.drop { $0 == 0x20 }, as: UTF8.self).lowercased()
        guard let unit = units[suffix] else { return nil }
        return number.times(unit) ?? (saturating ? Int64.max : nil)
    }
}

/// A non-negative decimal `whole.fraction` read exactly, for unit conversion without floating point.
private struct DecimalNumber {
    var whole: UInt64 = 0
    var fraction: UInt64 = 0
    var scale: UInt64 = 1  // fraction / scale is the fractional part

    /// Reads `digits[.digits]` or `.digits` from the front of `bytes`; nil if there is no digit.
    /// `saturating`: digits beyond UInt64 keep the value at UInt64.max instead of failing.
    static func parse(_ bytes: inout ArraySlice<UInt8>, saturating: Bool = false) -> DecimalNumber? {
        var d = DecimalNumber()
        var sawDigit = false
        while let b = bytes.first, b &- 0x30 < 10 {
            let (times10, o1) = d.whole.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(b - 0x30))
            if o1 || o2 {
                guard saturating else { return nil }
                d.whole = .max
            } else {
                d.whole = sum
            }
            sawDigit = true
            bytes.removeFirst()
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            while let b = bytes.first, b &- 0x30 < 10 {
                if d.scale < 1_000_000_000_000_000_000 {  // digits beyond 10^-18 cannot matter
                    d.fraction = d.fraction * 10 + UInt64(b - 0x30)
                    d.scale *= 10
                }
                sawDigit = true
                bytes.removeFirst()
            }
        }
        return sawDigit ? d : nil
    }

    /// self × unit, truncated toward zero; nil if it does not fit in an Int64.
    func times(_ unit: UInt64) -> Int64? {
        let (high, low) = whole.multipliedFullWidth(by: unit)
        guard high == 0 else { return nil }
        let part = scale.dividingFullWidth(fraction.multipliedFullWidth(by: unit)).quotient  // < unit
        let (sum, overflow) = low.addingReportingOverflow(part)
        guard !overflow, sum <= UInt64(Int64.max) else { return nil }
        return Int64(sum)
    }
}
