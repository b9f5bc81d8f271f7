// ScriptingTests.swift — the commands scripts stay in step with: expect, wait, select, sleep,
// echo, source (nested), help, quit; and slow commands at the prompt finishing in the background.

import ExplorerCore
import Foundation
import Testing

@Suite struct ScriptingTests {
    /// A server that answers "pong\r\n" to "ping": a script can send and then expect.
    @Test func expectWaitsForBytesThatArriveLater() throws {
        let server = try PeerServer { peer in
            if peer.receive(count: 4) == Array("ping".utf8) { peer.send("pong\r\n") }
        }
        defer { server.stop() }
        let session = try EngineSession()
        let statuses = session.run("connect 127.0.0.1:\(server.port)", "send ping", #"expect x"6f 6e 67 0d 0a""#)
        #expect(statuses.last == Status.ok(#"matched "ong\r\n" on #1"#), "\(statuses)")
    }

    @Test func expectConsumesThroughTheMatchAndTimesOutNamingWhatArrived() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "send #2 hello world").allOK)
        #expect(session.pumpUntilReceived(11, on: 1))
        #expect(session.status("expect #1 world") == Status.ok(#"matched "world" on #1"#))
        #expect(session.failing("expect #1 world timeout=0.2")
            == Status.error(#"expect "world" on #1: timed out after 200 ms (received since the last match: nothing)"#))
        #expect(session.status("send #2 abc\\r\\n").ok)
        #expect(session.pumpUntilReceived(16, on: 1))
        #expect(session.failing("expect #1 zzz timeout=0.2")
            == Status.error(#"expect "zzz" on #1: timed out after 200 ms (received since the last match: 5 bytes, "abc\r\n")"#))
        #expect(session.status(#"expect #1 "c\r""#) == Status.ok(#"matched "c\r" on #1"#))
    }

    /// On a listener, expect sees the bytes of every accepted peer.
    @Test func expectOnAListener() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        defer { peer.close() }
        peer.send("hello via the listener")
        #expect(session.status("expect #1 listener") == Status.ok(#"matched "listener" on #1"#))
    }

    /// Bytes that arrived just before a close still match; after that, expect fails at once.
    @Test func expectAfterThePeerClosed() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "send #2 last words", "close #2").allOK)
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(session.status("expect #1 words") == Status.ok(#"matched "words" on #1"#))
        #expect(session.failing("expect #1 more")
            == Status.error(#"expect "more": #1 closed before it arrived (received since the last match: nothing)"#))
    }

    @Test func waitConditionsThatAlreadyHoldReturnAtOnce() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("wait connected") == Status.ok("#1 connected to 127.0.0.1:\(peers.port)"))
        peer.send("data")
        #expect(session.pumpUntilReceived(4, on: 1))
        #expect(session.status("wait data") == Status.ok("data on #1"))
        #expect(session.failing("wait data timeout=0.2") == Status.error("wait #1 data: timed out after 200 ms"))
        peer.close()
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(session.status("wait closed") == Status.ok("#1 closed"))
        #expect(session.status("wait #1 closed timeout=0.1") == Status.ok("#1 closed"))
    }

    @Test func waitDataAndClosedWaitForThePeer() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        session.engine.submit("wait data")
        #expect(session.engine.hasPendingOperations)
        peer.send("x")
        #expect(session.pump(until: { session.lastStatus == Status.ok("data on #1") }), "\(session.statuses)")
        session.engine.submit("wait closed")
        #expect(session.engine.hasPendingOperations)
        peer.close()
        #expect(session.pump(until: { session.lastStatus == Status.ok("#1 closed") }), "\(session.statuses)")
    }

    @Test func selectChangesTheDefaultTarget() throws {
        let session = try EngineSession()
        #expect(session.run("pair").allOK)
        #expect(session.engine.selected == SocketID(1))
        #expect(session.status("select #2") == Status.ok("selected #2"))
        #expect(session.engine.selected == SocketID(2))
        #expect(session.status("send from two") == Status.ok("sent 8 bytes to #2"))
        #expect(session.pumpUntilReceived(8, on: 1))
        let before = session.snapshot
        #expect(session.failing("select #7") == Status.error("select: no socket #7"))
        #expect(session.snapshot == before)
    }

    @Test func sleepPausesTheScript() throws {
        let session = try EngineSession()
        let start = Date()
        #expect(session.run("sleep 0.05", "echo awake").allOK)
        #expect(Date().timeIntervalSince(start) >= 0.05)
        #expect(session.statuses.first == Status.ok("slept 50 ms"))
        #expect(session.lines == ["awake"])
    }

    @Test func echoPrintsSanitizedText() throws {
        let session = try EngineSession()
        #expect(session.status("echo hello, 世界") == Status.ok("hello, 世界"))
        #expect(session.status("echo \u{1b}[31mred\u{7}") == Status.ok(#"\x1b[31mred\x07"#))
        #expect(session.lines == ["hello, 世界", #"\x1b[31mred\x07"#])
    }

    @Test func sourceRunsFilesInPlaceAndNested() throws {
        let directory = try TemporaryDirectory()
        try directory.write("inner.txt", "# a comment\necho inner 1\necho inner 2\n")
        try directory.write("outer.txt", "echo outer 1\nsource \(directory.file("inner.txt"))\necho outer 2\n")
        let session = try EngineSession()
        let statuses = session.run("source \(directory.file("outer.txt"))", "echo after")
        #expect(statuses.allOK, "\(statuses)")
        #expect(statuses.first == Status.ok("running 3 lines from \(directory.file("outer.txt"))"))
        #expect(session.lines == ["outer 1", "inner 1", "inner 2", "outer 2", "after"])
    }

    @Test func anErrorInASourcedFileNamesTheLineAndStopsTheScript() throws {
        let directory = try TemporaryDirectory()
        let inner = directory.file("inner.txt")
        try directory.write("inner.txt", "echo inner 1\nfrobnicate\necho inner 3\n")
        let session = try EngineSession()
        let statuses = session.run("source \(inner)", "echo after")
        #expect(statuses.last == Status.error(#"\#(inner):2: unknown command "frobnicate""#))
        #expect(session.lines == ["inner 1"])
        #expect(session.failing("source \(directory.file("missing.txt"))")
            == Status.error("open \(directory.file("missing.txt")): ENOENT (No such file or directory)"))
    }

    @Test func helpPrintsTheOverviewOrOneCommand() throws {
        let session = try EngineSession()
        #expect(session.status("help") == Status.ok("help in the log (F1 on the screen)"))
        #expect(session.lines.first == "commands (help COMMAND for more; TARGET is #N, . for the selected socket, * for all):")
        #expect(session.lines.count > 2 * CommandCatalog.commands.count)
        let before = session.lines.count
        #expect(session.status("help listen") == Status.ok("help for listen in the log"))
        #expect(session.lines[before].hasPrefix("usage: listen "))
        #expect(!session.failing("help frobnicate").ok)
    }

    @Test func quitStopsTheScript() throws {
        let session = try EngineSession()
        let statuses = session.run("echo before", "quit", "echo after")
        #expect(statuses == [Status.ok("before"), Status.ok("bye")])
        #expect(session.engine.quitRequested)
        #expect(session.lines == ["before"])
    }

    /// At the prompt, slow commands answer with their progress at once and finish in the background.
    @Test func slowCommandsAtThePromptFinishInTheBackground() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        session.engine.submit("connect 127.0.0.1:\(peers.port)")
        #expect(session.engine.status == Status.ok("#1 connecting to 127.0.0.1:\(peers.port)…"))
        #expect(session.pump(until: { session.lastStatus == Status.ok("#1 connected to 127.0.0.1:\(peers.port)") }), "\(session.statuses)")
        session.engine.submit("sleep 0.05")
        #expect(session.engine.status == Status.ok("sleeping 50 ms…"))
        #expect(session.engine.pendingLabels == ["sleep 50 ms"])
        #expect(session.pump(until: { session.lastStatus == Status.ok("slept 50 ms") }))
        #expect(!session.engine.hasPendingOperations)
    }
}
