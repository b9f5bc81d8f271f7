// Timestamps — time as Int64 microseconds, the two clocks that give it, and its three display formats.
import Glibc

/// Microseconds: since the Unix epoch for wall-clock times, since an arbitrary start for monotonic
/// ones. One integer type keeps arithmetic exact and log entries small.
public typealias Microseconds = Int64

/// The wall clock (`CLOCK_REALTIME`): what timestamps in the log and in files show.
public enum WallClock {
    /// Microseconds since the Unix epoch.
    public static func now() -> Microseconds { read(CLOCK_REALTIME) }

    static func read(_ clock: clockid_t) -> Microseconds {
        var ts = timespec()
        clock_gettime(clock, &ts)  // cannot fail for these two clocks on Linux
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000
    }
}

/// The monotonic clock (`CLOCK_MONOTONIC`): for timeouts, rates and durations, immune to clock changes.
public enum MonotonicClock {
    /// Microseconds since an arbitrary start (boot, on Linux).
    public static func now() -> Microseconds { WallClock.read(CLOCK_MONOTONIC) }
}

/// Which zone local-time formats use.
public enum TimeZoneRule: Sendable, Equatable {
    /// The process's zone (`TZ`, via `localtime_r`), as a person reading the screen expects.
    case local
    /// UTC.
    case utc
    /// A fixed offset east of UTC, in seconds; for tests and for reproducible output.
    case fixed(secondsEast: Int)
}

/// Formats wall-clock microseconds. Keeps the broken-down time of the last second it converted, so
/// a burst of events in one second costs one `localtime_r` (offsets only change on whole seconds).
/// Make a new formatter after changing `TZ`.
public struct TimestampFormatter: Sendable {
    /// The zone this formatter shows times in.
    public let zone: TimeZoneRule
    private var cachedSecond = Int64.min
    private var cached = BrokenDownTime()

    public init(zone: TimeZoneRule = .local) { self.zone = zone }

    /// `HH:MM:SS.mmm` (milliseconds truncated), e.g. `07:20:41.123`.
    public mutating func clock(_ time: Microseconds) -> String {
        stringFromUTF8 { appendClock(time, to: &$0) }
    }

    /// Appends `HH:MM:SS.mmm` to `out`.
    public mutating func appendClock(_ time: Microseconds, to out: inout [UInt8]) {
        let (second, micros) = split(time)
        let t = brokenDown(second)
        appendTimeOfDay(t, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(micros / 1_000, width: 3, to: &out)
    }

    /// ISO 8601 / RFC 3339 with microseconds and the zone's offset, `Z` when it is zero:
    /// `2026-11-26T16:20:41.123456+09:00`, `2026-11-26T07:20:41.123456Z`.
    public mutating func iso8601(_ time: Microseconds) -> String {
        stringFromUTF8 { appendISO8601(time, to: &$0) }
    }

    /// Appends the ISO 8601 form to `out`.
    public mutating func appendISO8601(_ time: Microseconds, to out: inout [UInt8]) {
        let (second, micros) = split(time)
        let t = brokenDown(second)
        if t.year < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(abs(t.year), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(t.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(t.day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendTimeOfDay(t, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(micros, width: 6, to: &out)
        if t.offsetSeconds == 0 {
            out.append(UInt8(ascii: "Z"))
        } else {  // seconds of an offset (only in pre-1900 local mean time) are dropped
            out.append(UInt8(ascii: t.offsetSeconds < 0 ? "-" : "+"))
            let minutes = abs(t.offsetSeconds) / 60
            appendDigits(minutes / 60, width: 2, to: &out)
            out.append(UInt8(ascii: ":"))
            appendDigits(minutes % 60, width: 2, to: &out)
        }
    }

    /// Seconds and milliseconds since `start`, always signed: `+12.345`, `-0.250` (truncated).
    public static func relative(_ time: Microseconds, since start: Microseconds) -> String {
        let delta = time.subtractingReportingOverflow(start).partialValue
        let magnitude = delta.magnitude
        var out: [UInt8] = [UInt8(ascii: delta < 0 ? "-" : "+")]
        appendDigits(Int(magnitude / 1_000_000), width: 1, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(Int(magnitude % 1_000_000 / 1_000), width: 3, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whole seconds (floored, so times before 1970 work) and the microseconds within that second.
    private func split(_ time: Microseconds) -> (second: Int64, micros: Int) {
        let (q, r) = time.quotientAndRemainder(dividingBy: 1_000_000)
        return r < 0 ? (q - 1, Int(r + 1_000_000)) : (q, Int(r))
    }

    private mutating func brokenDown(_ second: Int64) -> BrokenDownTime {
        if second != cachedSecond {
            cached = BrokenDownTime(second, zone: zone)
            cachedSecond = second
        }
        return cached
    }

    private func appendTimeOfDay(_ t: BrokenDownTime, to out: inout [UInt8]) {
        appendDigits(t.hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(t.minute, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(t.second, width: 2, to: &out)
    }
}

/// The calendar fields of one second in one zone.
private struct BrokenDownTime: Sendable {
    var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, offsetSeconds = 0

    init() {}

    init(_ epochSecond: Int64, zone: TimeZoneRule) {
        var fields = tm()
        var t = time_t(epochSecond)
        switch zone {
        case .local:
            localtime_r(&t, &fields)
        case .utc:
            gmtime_r(&t, &fields)
        case .fixed(let east):
            t += time_t(east)
            gmtime_r(&t, &fields)
            fields.tm_gmtoff = east
        }
        year = Int(fields.tm_year) + 1900
        month = Int(fields.tm_mon) + 1
        day = Int(fields.tm_mday)
        hour = Int(fields.tm_hour)
        minute = Int(fields.tm_min)
        second = Int(fields.tm_sec)
        offsetSeconds = fields.tm_gmtoff
    }
}

/// Appends `value` (≥ 0) in decimal, zero-padded to at least `width` digits, without allocating.
private func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
    var divisor = 1
    var digits = 1
    while digits < width || value / divisor >= 10 {
        divisor *= 10
        digits += 1
    }
    var rest = value
    while divisor > 0 {
        out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
        rest %= divisor
        divisor /= 10
    }
}
