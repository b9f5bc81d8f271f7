// FindFilterTests.swift — issue 14 points 3 and 4 in the engine: `find` with bytes or a regular
// expression counts its matches; `filter` by direction, kind and content, combined.

import ExplorerCore
import Testing

@Suite struct FindFilterTests {
    func session() throws -> EngineSession {
        let session = try EngineSession()
        #expect(session.run("pair", #"send "HTTP/1.1 404 Not Found\r\n""#, "wait #2 data", #"send #2 "HTTP/1.0 200 OK\r\nHTTP/1.1 500 Oops\r\n""#, "wait #1 data").allOK)
        return session
    }

    @Test func findCountsEveryMatch() throws {
        let session = try session()
        #expect(session.status("find HTTP/1.") == Status.ok(#""HTTP/1.": 6 matches in 4 log entries"#), "sent and received entries both")
        #expect(session.status(#"find /HTTP\/1\.[01] [45]\d\d/"#) == Status.ok(#"/HTTP\/1\.[01] [45]\d\d/: 4 matches in 4 log entries"#))
        #expect(session.engine.view.search?.isRegex == true)
        #expect(session.status("find /nothing here/") == Status.ok("/nothing here/: 0 matches in 0 log entries"))
        let bad = session.status("find /HTTP[/")
        #expect(!bad.ok && bad.message.hasPrefix("find: bad regular expression /HTTP[/: "), "\(bad)")
    }

    @Test func regexesMatchBytesAndUTF8() throws {
        let search = try LogSearch(regex: #"é\r\n"#)
        #expect(search.matcher().ranges(in: Array("caf\u{e9}\r\nx".utf8)) == [3..<7])
        #expect(try LogSearch(regex: #"\r"#).matcher().ranges(in: [0x0D, 0x0A]) == [0..<1], "CR LF are two bytes")
        #expect(try LogSearch(regex: #"\r\n"#).matcher().ranges(in: [0x41, 0x0D, 0x0A]) == [1..<3])
        #expect(LogSearch(bytes: [0x61]).matcher().ranges(in: Array("banana".utf8)) == [1..<2, 3..<4, 5..<6])
    }

    /// The bounds: at most `matchLimit` matches, and a regular expression reads at most the newest
    /// `regexSearchBytes` (so an old match is not found, and the count says so).
    @Test func searchesAreBounded() throws {
        var log = ByteLog()
        _ = log.append(LogEntry(time: 0, socket: SocketID(1), kind: .recv, bytes: Array("old needle".utf8)))
        _ = log.append(LogEntry(time: 1, socket: SocketID(1), kind: .recv, bytes: [UInt8](repeating: 0x61, count: LogSearch.regexSearchBytes)))
        let regex = try LogSearch(regex: "needle").collect(in: log)
        #expect(regex.matches.isEmpty && !regex.complete, "the 4 MiB entry used the budget up")
        #expect(regex.summary == "0+ matches in 0 log entries")
        #expect(LogSearch(bytes: Array("needle".utf8)).collect(in: log).matches.count == 1, "bytes search the whole log")
        let many = LogSearch(bytes: [0x61]).collect(in: log)
        #expect(many.matches.count == LogSearch.matchLimit && !many.complete)
        #expect(many.summary == "10000+ matches in 1 log entry")
    }

    @Test func filterByDirectionKindAndContent() throws {
        let session = try session()
        #expect(session.status("filter received") == Status.ok("showing received"))
        #expect(session.engine.view.logFilter == LogFilter(direction: .recv))
        #expect(session.status(#"filter #2 sent /[45]\d\d/"#) == Status.ok(#"showing #2 · sent · /[45]\d\d/"#))
        #expect(session.status("filter errors trace") == Status.ok("showing errors · trace"))
        #expect(session.status(#"filter "OK""#).ok)
        #expect(session.engine.view.logFilter.content == LogSearch(bytes: Array("OK".utf8)))
        #expect(session.status("filter #1") == Status.ok("showing #1 only"))
        #expect(session.status("filter all") == Status.ok("showing every socket"))
        #expect(session.engine.view.logFilter.isEmpty)
        let typo = session.status("filter recieved")
        #expect(!typo.ok && typo.message.contains(#"got "recieved""#), "\(typo)")
        #expect(session.engine.view.logFilter.isEmpty, "a refused filter changes nothing")
    }

    @Test func aFilterChecksEveryPart() throws {
        let session = try session()
        let check = LogFilter(socket: SocketID(2), direction: .send, content: try LogSearch(regex: "500")).checker()
        var kept: [LogEntry] = []
        session.engine.log.forEach { if check.passes($0, table: session.engine.table) { kept.append($0) } }
        #expect(kept.count == 1)
        #expect(kept.first.map { String(decoding: $0.bytes, as: UTF8.self).contains("500 Oops") } == true)
        let errors = LogFilter(kinds: [.errors]).checker()
        var errorCount = 0
        session.engine.log.forEach { if errors.passes($0, table: session.engine.table) { errorCount += 1 } }
        #expect(errorCount == 0)
    }
}
