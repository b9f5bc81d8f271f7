// StickySelectionTests.swift — issue 14 point 1: the selected socket stays selected as peers come
// and go; it moves when the user selects or opens something, or when it closes. Also `clear
// closed`, `quit!`, failed prompt commands in the log, and trace lines naming descriptors.

import ExplorerCore
import Testing

@Suite struct StickySelectionTests {
    /// 3 peers on a listener, `select #3`, then a fourth peer: `.` is still #3 and `sendl` goes there.
    @Test func aNewPeerDoesNotTakeTheSelection() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0").allOK)
        let port = session.port(of: 1)
        var peers: [PeerConnection] = []
        for count in 1...3 {
            peers.append(try PeerConnection.connect(port: port))
            #expect(session.pump { session.engine.table.openConnectionCount == count })
        }
        #expect(session.engine.selected == SocketID(2), "a peer accepted while the listener is selected becomes .")
        #expect(session.run("select #3").allOK)
        peers.append(try PeerConnection.connect(port: port))
        #expect(session.pump { session.engine.table.openConnectionCount == 4 })
        #expect(session.engine.selected == SocketID(3), "the fourth peer (#5) must not take the selection")
        #expect(session.run("sendl to-three").allOK)
        #expect(String(decoding: session.read(peers[1]) { $0.count >= 9 }.bytes, as: UTF8.self) == "to-three\n")
        for peer in peers { peer.close() }
    }

    /// The selected peer leaves: `.` becomes the newest open socket; with nothing open it stays
    /// on the socket that was selected.
    @Test func aClosedSelectionMovesToTheNewestOpenSocket() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0").allOK)
        let port = session.port(of: 1)
        let first = try PeerConnection.connect(port: port)
        #expect(session.pump { session.engine.table.openConnectionCount == 1 })
        let second = try PeerConnection.connect(port: port)
        #expect(session.pump { session.engine.table.openConnectionCount == 2 })
        #expect(session.run("select #2").allOK)
        first.close()
        #expect(session.pump { session.entry(2)?.state.isOpen == false })
        #expect(session.engine.selected == SocketID(3))
        #expect(session.run("close #3", "close #1").allOK)
        #expect(session.engine.selected == SocketID(3), "nothing else open: . stays where it was")
        second.close()
    }

    /// `listen`, `wait connected`, `send` keeps working: the listener does not hold the selection.
    @Test func aScriptSendsToTheFirstPeer() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0").allOK)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        #expect(session.run("wait connected", "send hi").allOK)
        #expect(String(decoding: session.read(peer) { $0.count >= 2 }.bytes, as: UTF8.self) == "hi")
        peer.close()
    }

    @Test func clearClosedDropsClosedAndFailedSockets() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "pair", "close #1", "close #2", "connect 127.0.0.1:\(closedPort())", keepGoing: true).count == 5)
        #expect(session.pump { session.entry(5)?.state.isOpen == false })
        #expect(session.run("select #5").allOK)
        #expect(session.status("clear closed") == Status.ok("cleared 3 closed sockets from the lists (info counts them)"))
        #expect(session.engine.table.order == [SocketID(3), SocketID(4)])
        #expect(session.engine.selected == SocketID(4), "the selection left with them: the newest open socket")
        #expect(session.status("clear closed") == Status.ok("cleared 0 closed sockets from the lists (info counts them)"))
        #expect(session.status("clear log").ok == false)
    }

    @Test func quitBangIsACommand() throws {
        let session = try EngineSession()
        #expect(session.status("quit!") == Status.ok("bye"))
        #expect(session.engine.quitRequested)
        #expect(CommandCatalog.info("quit").aliases.contains("quit!"))
    }

    /// A command typed at the prompt that fails leaves its whole error in the log.
    @Test func aFailedPromptCommandIsLoggedWhole() throws {
        let session = try EngineSession()
        session.engine.submit("connect nowhere")
        let error = try #require(session.engine.status)
        #expect(!error.ok)
        #expect(session.entries.last?.kind == .error)
        #expect(session.entries.last?.text == error.message)
    }

    @Test func traceLinesNameDescriptors() throws {
        let session = try EngineSession()
        #expect(session.run("trace on", "pair", "send x").allOK)
        let traced = session.lines.filter { $0.contains("trace ") }
        #expect(traced.contains { $0.hasPrefix("#1 trace send(fd ") && $0.hasSuffix(", 1 byte, MSG_NOSIGNAL) = 1") }, "\(traced)")
        #expect(traced.contains { $0.contains("epoll_ctl(fd ") && $0.contains("EPOLL_CTL_ADD, fd ") }, "\(traced)")
        #expect(session.status("send 12") == Status.ok("sent 2 bytes to #1"))
        #expect(session.status("send 1") == Status.ok("sent 1 byte to #1"))
    }
}
