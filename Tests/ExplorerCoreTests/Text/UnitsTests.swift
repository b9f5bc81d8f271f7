// UnitsTests — sizes, rates, durations, and the size and duration parsers.
import ExplorerCore
import Testing

@Suite("Units")
struct UnitsTests {
    @Test func byteSizes() {
        #expect(Units.byteSize(0) == "0 B")
        #expect(Units.byteSize(17) == "17 B")
        #expect(Units.byteSize(1023) == "1023 B")
        #expect(Units.byteSize(1024) == "1.0 KiB")
        #expect(Units.byteSize(1536) == "1.5 KiB")
        #expect(Units.byteSize(10 * 1024 - 1) == "9.9 KiB")
        #expect(Units.byteSize(10 * 1024) == "10 KiB")
        #expect(Units.byteSize(1024 * 1024 - 1) == "1023 KiB")
        #expect(Units.byteSize(64 << 20) == "64 MiB")
        #expect(Units.byteSize(3 << 29) == "1.5 GiB")
        #expect(Units.byteSize(5 << 40) == "5.0 TiB")
        #expect(Units.byteSize(Int64.max) == "7.9 EiB")
        #expect(Units.byteSize(-2048) == "-2.0 KiB")
        #expect(Units.byteSize(Int64.min) == "-8.0 EiB")
    }

    @Test func rates() {
        #expect(Units.rate(bytesPerSecond: 0) == "0 B/s")
        #expect(Units.rate(bytesPerSecond: 12 * 1024 + 500) == "12 KiB/s")
        #expect(Units.rate(bytesPerSecond: 3 << 19) == "1.5 MiB/s")
    }

    @Test func durations() {
        #expect(Units.duration(0) == "0 µs")
        #expect(Units.duration(999) == "999 µs")
        #expect(Units.duration(850_000) == "850 ms")
        #expect(Units.duration(999_999) == "999 ms")
        #expect(Units.duration(1_000_000) == "1.0 s")
        #expect(Units.duration(2_599_999) == "2.5 s")
        #expect(Units.duration(10_000_000) == "10 s")
        #expect(Units.duration(59_999_999) == "59 s")
        #expect(Units.duration(182_000_000) == "3 m 02 s")
        #expect(Units.duration(3_600_000_000 + 5 * 60_000_000) == "1 h 05 m")
        #expect(Units.duration(2 * 86_400_000_000 + 3 * 3_600_000_000) == "2 d 03 h")
        #expect(Units.duration(-850_000) == "-850 ms")
    }

    @Test func parseByteSizes() {
        #expect(Units.parseByteSize("4096") == 4096)
        #expect(Units.parseByteSize("64M") == 64 << 20)
        #expect(Units.parseByteSize("64MiB") == 64 << 20)
        #expect(Units.parseByteSize("64 mib") == 64 << 20)
        #expect(Units.parseByteSize("64MB") == 64 << 20)
        #expect(Units.parseByteSize("1G") == 1 << 30)
        #expect(Units.parseByteSize("16k") == 16 << 10)
        #expect(Units.parseByteSize("512B") == 512)
        #expect(Units.parseByteSize("1.5G") == 3 << 29)
        #expect(Units.parseByteSize(" 2T ") == 2 << 40)
        #expect(Units.parseByteSize("0.5K") == 512)
        #expect(Units.parseByteSize("0.3K") == 307)  // 307.2, truncated
        #expect(Units.parseByteSize("0") == 0)
        #expect(Units.parseByteSize("9223372036854775807") == Int.max)
    }

    @Test func rejectedByteSizes() {
        for bad in ["", " ", "M", "-1", "+1", "1.2.3", "1e3", "12X", "64 M B", "0x10", "9223372036854775808",
                    "8388608T", "99999999999999999999"] {
            #expect(Units.parseByteSize(bad) == nil, "\(bad)")
        }
    }

    @Test func parseDurations() {
        #expect(Units.parseDuration("2") == 2_000_000)
        #expect(Units.parseDuration("0.5") == 500_000)
        #expect(Units.parseDuration(".25") == 250_000)
        #expect(Units.parseDuration("500ms") == 500_000)
        #expect(Units.parseDuration("2s") == 2_000_000)
        #expect(Units.parseDuration("1m") == 60_000_000)
        #expect(Units.parseDuration("1.5h") == 5_400_000_000)
        #expect(Units.parseDuration("250us") == 250)
        #expect(Units.parseDuration("250µs") == 250)
        #expect(Units.parseDuration("1.0000005") == 1_000_000)  // below a microsecond: truncated
        #expect(Units.parseDuration("10 S") == 10_000_000)
    }

    @Test func rejectedDurations() {
        for bad in ["", "s", "-1", "1..5", "5d", "1 x", "ms500", "99999999999999999h"] {
            #expect(Units.parseDuration(bad) == nil, "\(bad)")
        }
    }
}
