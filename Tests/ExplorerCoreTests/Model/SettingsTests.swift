// Tests of Settings: defaults, every setting's accepted values, confirmations and error messages.

import Testing
@testable import ExplorerCore

/// The message of the error `set` throws, or nil if it succeeds.
private func setFailure(_ name: String, _ value: String) -> String? {
    var settings = Settings()
    do {
        _ = try settings.set(name, value)
        return nil
    } catch {
        #expect(settings == Settings(), "a failed set changes nothing")
        return error.message
    }
}

@Suite("Settings")
struct SettingsTests {
    @Test("defaults, listed in order")
    func defaults() {
        #expect(Settings().listing()
            == ["eol = lf", "timestamps = clock", "logcap = 64 MiB", "halfclose = off", "maxconns = 10000", "trace = off", "queuecap = 4 MiB", "queuetotal = 32 MiB", "keepclosed = 1000", "keylog = off"])
        #expect(Settings.names == ["eol", "timestamps", "logcap", "halfclose", "maxconns", "trace", "queuecap", "queuetotal", "keepclosed", "keylog"])
        #expect(Settings().logcap == 67_108_864)
    }

    @Test("eol and timestamps take their names, any case")
    func choices() throws {
        var settings = Settings()
        #expect(try settings.set("eol", "crlf") == "eol = crlf")
        #expect(settings.eol == .crlf)
        #expect(settings.eol.bytes == [13, 10])
        #expect(try settings.set("EOL", " CR ") == "eol = cr")
        #expect(settings.eol.bytes == [13])
        #expect(try settings.set("eol", "lf") == "eol = lf")
        #expect(settings.eol.bytes == [10])
        #expect(try settings.set("timestamps", "relative") == "timestamps = relative")
        #expect(try settings.set("timestamps", "OFF") == "timestamps = off")
        #expect(settings.timestamps == .off)
    }

    @Test("logcap takes binary sizes, at least 64 KiB")
    func logcap() throws {
        var settings = Settings()
        let cases: [(String, String, Int)] = [
            ("64M", "logcap = 64 MiB", 64 << 20), ("64MiB", "logcap = 64 MiB", 64 << 20),
            ("64 MiB", "logcap = 64 MiB", 64 << 20), ("64mb", "logcap = 64 MiB", 64 << 20),
            ("1G", "logcap = 1 GiB", 1 << 30), ("1024G", "logcap = 1 TiB", 1 << 40),
            ("64k", "logcap = 64 KiB", 65_536), ("65536", "logcap = 64 KiB", 65_536),
            ("100000", "logcap = 100000 bytes", 100_000), ("1536K", "logcap = 1536 KiB", 1_572_864),
            ("200000B", "logcap = 200000 bytes", 200_000),
            // One size parser everywhere (issue 8): fractions and KiB spellings as `Units.parseByteSize` reads them.
            ("1.5G", "logcap = 1536 MiB", 3 << 29), ("512K", "logcap = 512 KiB", 512 << 10), ("0.5M", "logcap = 512 KiB", 512 << 10),
        ]
        for (typed, confirmation, bytes) in cases {
            #expect(try settings.set("logcap", typed) == confirmation, "\(typed)")
            #expect(settings.logcap == bytes, "\(typed)")
        }
        #expect(setFailure("logcap", "4096") == "set logcap: 4096 out of range 64 KiB–1 TiB")
        #expect(setFailure("logcap", "63k") == "set logcap: 63k out of range 64 KiB–1 TiB")
        #expect(setFailure("logcap", "1025G") == "set logcap: 1025G out of range 64 KiB–1 TiB")
        #expect(setFailure("logcap", "999999999999999G") == "set logcap: 999999999999999G out of range 64 KiB–1 TiB")
        #expect(setFailure("logcap", "2T") == "set logcap: 2T out of range 64 KiB–1 TiB")
        #expect(setFailure("logcap", "1.5X") == #"set logcap: expected a size such as 64M, 1G or 4096, got "1.5X""#)
        #expect(setFailure("logcap", "-1") == #"set logcap: expected a size such as 64M, 1G or 4096, got "-1""#)
        #expect(setFailure("logcap", "") == #"set logcap: expected a size such as 64M, 1G or 4096, got """#)
        #expect(setFailure("logcap", "9999999999999999") == "set logcap: 9999999999999999 out of range 64 KiB–1 TiB")
    }

    @Test("switches and counts")
    func switchesAndCounts() throws {
        var settings = Settings()
        #expect(try settings.set("halfclose", "on") == "halfclose = on")
        #expect(settings.halfclose)
        #expect(try settings.set("halfclose", "no") == "halfclose = off")
        #expect(try settings.set("trace", "TRUE") == "trace = on")
        #expect(settings.trace)
        #expect(try settings.set("trace", "0") == "trace = off")
        #expect(try settings.set("maxconns", "500") == "maxconns = 500")
        #expect(settings.maxconns == 500)
        #expect(try settings.set("maxconns", "1048576") == "maxconns = 1048576")
        #expect(setFailure("halfclose", "maybe") == #"set halfclose: expected on or off, got "maybe""#)
        #expect(setFailure("maxconns", "0") == "set maxconns: 0 out of range 1–1048576")
        #expect(setFailure("maxconns", "1048577") == "set maxconns: 1048577 out of range 1–1048576")
        #expect(setFailure("maxconns", "x") == #"set maxconns: expected a number, got "x""#)
    }

    @Test("errors name the setting and the choices")
    func errors() {
        #expect(setFailure("eol", "x") == #"set eol: expected lf, crlf or cr, got "x""#)
        #expect(setFailure("timestamps", "utc") == #"set timestamps: expected clock, relative or off, got "utc""#)
        #expect(setFailure("foo", "1")
            == #"set: unknown setting "foo" (settings: eol, timestamps, logcap, halfclose, maxconns, trace, queuecap, queuetotal, keepclosed, keylog)"#)
        #expect(setFailure("eoll", "lf")
            == #"set: unknown setting "eoll" (did you mean eol?) (settings: eol, timestamps, logcap, halfclose, maxconns, trace, queuecap, queuetotal, keepclosed, keylog)"#)
        #expect(setFailure("log", "1G")
            == #"set: unknown setting "log" (did you mean logcap?) (settings: eol, timestamps, logcap, halfclose, maxconns, trace, queuecap, queuetotal, keepclosed, keylog)"#)
    }

    @Test("get shows one setting")
    func get() throws {
        var settings = Settings()
        _ = try settings.set("logcap", "1G")
        #expect(try settings.get("LOGCAP") == "logcap = 1 GiB")
        #expect(try settings.get("eol") == "eol = lf")
        #expect(throws: ParseError.self) { try settings.get("nope") }
    }
}
