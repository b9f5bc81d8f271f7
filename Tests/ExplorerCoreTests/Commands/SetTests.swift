// SetTests.swift — `set`: listing, reading and changing each setting, and what each one does to a
// live session (eol, timestamps, logcap eviction and its counts, halfclose, maxconns, trace).

import ExplorerCore
import Foundation
import Testing

@Suite struct SetTests {
    @Test func setListsAndReadsTheSettings() throws {
        let session = try EngineSession()
        #expect(session.status("set") == Status.ok("settings listed in the log"))
        #expect(session.lines == ["eol = lf", "timestamps = clock", "logcap = 64 MiB", "halfclose = off", "maxconns = 10000", "trace = off", "queuecap = 4 MiB", "queuetotal = 32 MiB", "keepclosed = 1000", "keylog = off"])
        #expect(session.status("set eol") == Status.ok("eol = lf"))
        #expect(session.status("set LOGCAP") == Status.ok("logcap = 64 MiB"))
    }

    @Test func eachSettingChanges() throws {
        let session = try EngineSession()
        #expect(session.status("set eol crlf") == Status.ok("eol = crlf"))
        #expect(session.status("set timestamps relative") == Status.ok("timestamps = relative"))
        #expect(session.status("set logcap 1M") == Status.ok("logcap = 1 MiB"))
        #expect(session.status("set halfclose on") == Status.ok("halfclose = on"))
        #expect(session.status("set maxconns 500") == Status.ok("maxconns = 500"))
        #expect(session.status("set trace on") == Status.ok("trace = on"))
        let settings = session.engine.settings
        #expect(settings.eol == .crlf)
        #expect(settings.timestamps == .relative)
        #expect(settings.logcap == 1 << 20)
        #expect(session.engine.log.capacity == 1 << 20)
        #expect(settings.halfclose)
        #expect(settings.maxconns == 500)
        #expect(settings.trace)
    }

    @Test func badSettingsAreErrorsThatChangeNothing() throws {
        let session = try EngineSession()
        let before = session.snapshot
        let expected: KeyValuePairs<String, String> = [
            "set bogus 1": #"set: unknown setting "bogus" (settings: eol, timestamps, logcap, halfclose, maxconns, trace, queuecap, queuetotal, keepclosed, keylog)"#,
            "set eol sideways": #"set eol: expected lf, crlf or cr, got "sideways""#,
            "set timestamps sometimes": #"set timestamps: expected clock, relative or off, got "sometimes""#,
            "set logcap 1K": "set logcap: 1K out of range 64 KiB–1 TiB",
            "set logcap lots": #"set logcap: expected a size such as 64M, 1G or 4096, got "lots""#,
            "set halfclose maybe": #"set halfclose: expected on or off, got "maybe""#,
            "set maxconns 0": "set maxconns: 0 out of range 1–1048576",
            "set maxconns many": #"set maxconns: expected a number, got "many""#,
        ]
        for (command, message) in expected {
            #expect(session.failing(command) == Status.error(message))
        }
        #expect(session.snapshot == before)
    }

    @Test func timestampsShapeTheSavedLines() throws {
        let directory = try TemporaryDirectory()
        let session = try EngineSession()
        #expect(session.run("set timestamps relative", "echo marker", "save \(directory.file("relative.txt"))").allOK)
        #expect(session.run("set timestamps clock", "pair", "save \(directory.file("clock.txt"))").allOK)
        let relative = String(decoding: directory.read("relative.txt") ?? [], as: UTF8.self)
        let clock = String(decoding: directory.read("clock.txt") ?? [], as: UTF8.self)
        #expect(relative == "marker\n", "command output carries no timestamp")
        let paired = clock.split(separator: "\n").last.map(String.init) ?? ""
        #expect(paired.wholeMatch(of: /\d\d:\d\d:\d\d\.\d{3} #2 paired with #1/) != nil, "\(paired)")
        #expect(session.run("set timestamps relative", "save \(directory.file("relative.txt"))").allOK)
        let again = String(decoding: directory.read("relative.txt") ?? [], as: UTF8.self)
        #expect(again.split(separator: "\n").last.map { $0.wholeMatch(of: /\+\d+\.\d{3} #2 paired with #1/) != nil } == true, "\(again)")
    }

    /// The log keeps at most `logcap` bytes; what it evicts is counted exactly.
    @Test func logcapEvictsAndCounts() throws {
        let session = try EngineSession()
        #expect(session.run("set logcap 64K", "pair", "pause #2").allOK)
        let chunk = String(repeating: "z", count: 1000)
        for _ in 0..<100 { #expect(session.status("send #1 \(chunk)").ok) }
        let log = session.engine.log
        let total = session.entries.count
        #expect(log.keptBytes <= 65536)
        #expect(log.evictedEntries > 0)
        #expect(log.evictedEntries == UInt64(total - log.count))
        let evicted = session.entries.prefix(Int(log.evictedEntries))
        #expect(log.evictedDataBytes == UInt64(evicted.reduce(0) { $0 + $1.bytes.count }))
        // `info` with nothing selected summarizes the session, counts included.
        // `info session` gives the same summary whatever is selected (`pair` selected #1).
        let summary = "  log: \(log.count) entries kept (\(log.keptBytes) of 65536 bytes, \(log.keptDataBytes) data bytes), \(log.evictedEntries) evicted (\(log.evictedDataBytes) data bytes)"
        #expect(session.status("info session") == Status.ok("session summary in the log"))
        #expect(session.lines.last == "  recording: off")
        #expect(session.lines.dropLast().last == summary)
        session.engine.select(nil)
        #expect(session.status("info") == Status.ok("session summary in the log"))
        #expect(session.lines.contains(summary))
    }

    @Test func maxconnsRefusesConnectionsBeyondTheLimit() throws {
        let session = try EngineSession()
        #expect(session.run("set maxconns 2", "listen 0").allOK)
        let first = try PeerConnection.connect(port: session.port(of: 1))
        defer { first.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }))
        let second = try PeerConnection.connect(port: session.port(of: 1))
        defer { second.close() }
        #expect(session.pump(until: { session.entry(1)?.refusedCount == 1 }))
        #expect(session.lines.last == "#1 ! refused \(second.localDescription): maxconns 2 reached (set maxconns N)")
        #expect(session.readUntilClosed(second).eof, "the refused peer was not closed")
        #expect(session.entry(3) == nil)
        #expect(session.entry(1)?.acceptedCount == 1)
    }
}
