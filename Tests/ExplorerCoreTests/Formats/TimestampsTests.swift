// TimestampsTests — clocks and the three time formats, under TZ=UTC and non-UTC zones.
import ExplorerCore
import Foundation
import Testing

/// 2026-11-26T07:20:41.123456Z
private let sample: Microseconds = 1_795_677_641_123_456
/// 2026-07-04T12:00:00Z, in northern summer time.
private let summer: Microseconds = 1_783_166_400_000_000

/// Runs `body` with `TZ` set to `zone`, then restores the previous value.
private func withTZ<R>(_ zone: String, _ body: () throws -> R) rethrows -> R {
    let previous = getenv("TZ").map { String(cString: $0) }
    setenv("TZ", zone, 1)
    tzset()
    defer {
        if let previous { setenv("TZ", previous, 1) } else { unsetenv("TZ") }
        tzset()
    }
    return try body()
}

// Serialized: TZ is process-wide, and these tests are the only ones here that change it.
@Suite("Timestamps, local time", .serialized)
struct LocalTimeTests {
    @Test func utc() {
        withTZ("UTC") {
            var f = TimestampFormatter()
            #expect(f.clock(sample) == "07:20:41.123")
            #expect(f.iso8601(sample) == "2026-11-26T07:20:41.123456Z")
        }
    }

    @Test func tokyoHasAPositiveOffsetAndTheNextDay() {
        withTZ("JST-9") {
            var f = TimestampFormatter()
            #expect(f.clock(sample) == "16:20:41.123")
            #expect(f.iso8601(sample) == "2026-11-26T16:20:41.123456+09:00")
            #expect(f.iso8601(sample + 10 * 3_600_000_000) == "2026-11-27T02:20:41.123456+09:00")
        }
    }

    @Test func newYorkFollowsDaylightSavingTime() {
        withTZ("EST5EDT,M3.2.0,M11.1.0") {
            var f = TimestampFormatter()
            #expect(f.iso8601(sample) == "2026-11-26T02:20:41.123456-05:00")
            #expect(f.iso8601(summer) == "2026-07-04T08:00:00.000000-04:00")
            #expect(f.clock(summer) == "08:00:00.000")
        }
    }

    @Test func halfHourOffset() {
        withTZ("IST-5:30") {
            var f = TimestampFormatter()
            #expect(f.iso8601(sample) == "2026-11-26T12:50:41.123456+05:30")
        }
    }
}

@Suite("Timestamps")
struct TimestampsTests {
    @Test func explicitZonesIgnoreTZ() {
        var utc = TimestampFormatter(zone: .utc)
        #expect(utc.iso8601(sample) == "2026-11-26T07:20:41.123456Z")
        var tokyo = TimestampFormatter(zone: .fixed(secondsEast: 9 * 3600))
        #expect(tokyo.iso8601(sample) == "2026-11-26T16:20:41.123456+09:00")
        var west = TimestampFormatter(zone: .fixed(secondsEast: -(3 * 3600 + 30 * 60)))
        #expect(west.clock(sample) == "03:50:41.123")
        #expect(west.iso8601(sample) == "2026-11-26T03:50:41.123456-03:30")
    }

    @Test func cachedSecondStillFormatsEachMicrosecond() {
        var f = TimestampFormatter(zone: .utc)
        let second = sample - 123_456
        #expect(f.clock(second) == "07:20:41.000")
        #expect(f.clock(second + 999_999) == "07:20:41.999")
        #expect(f.clock(second + 1_000_000) == "07:20:42.000")
        #expect(f.clock(second + 999) == "07:20:41.000")
        #expect(f.iso8601(second + 7) == "2026-11-26T07:20:41.000007Z")
    }

    @Test func timesBeforeTheEpoch() {
        var f = TimestampFormatter(zone: .utc)
        #expect(f.iso8601(-1) == "1969-12-31T23:59:59.999999Z")
        #expect(f.clock(-1_500_000) == "23:59:58.500")
        #expect(f.iso8601(0) == "1970-01-01T00:00:00.000000Z")
    }

    @Test func appendForms() {
        var f = TimestampFormatter(zone: .utc)
        var out = Array("t=".utf8)
        f.appendISO8601(sample, to: &out)
        out.append(UInt8(ascii: " "))
        f.appendClock(sample, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "t=2026-11-26T07:20:41.123456Z 07:20:41.123")
    }

    @Test func relativeTimes() {
        let start: Microseconds = 1_000_000_000
        #expect(TimestampFormatter.relative(start + 12_345_678, since: start) == "+12.345")
        #expect(TimestampFormatter.relative(start, since: start) == "+0.000")
        #expect(TimestampFormatter.relative(start + 999, since: start) == "+0.000")
        #expect(TimestampFormatter.relative(start - 250_000, since: start) == "-0.250")
        #expect(TimestampFormatter.relative(start + 3_723_004_000, since: start) == "+3723.004")
    }

    @Test func clocks() throws {
        let wall = WallClock.now()
        let foundation = Int64(Date().timeIntervalSince1970 * 1_000_000)
        #expect(abs(wall - foundation) < 1_000_000)
        let a = MonotonicClock.now()
        usleep(2_000)
        let b = MonotonicClock.now()
        #expect(b - a >= 2_000)
        #expect(b - a < 1_000_000)
    }
}
