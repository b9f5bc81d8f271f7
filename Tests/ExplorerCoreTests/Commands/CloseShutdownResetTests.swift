// CloseShutdownResetTests.swift — how connections end: `shutdown rd|wr|rdwr`, `close` (after
// queued bytes drain), `reset` (the peer sees ECONNRESET), and a peer's EOF with `halfclose` on/off.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct CloseShutdownResetTests {
    @Test func shutdownWriteSendsEOFButKeepsReading() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("send last words").ok)
        #expect(session.status("shutdown wr") == Status.ok("shut down #1 (wr)"))
        #expect(session.lines.last == "#1 shutdown wr")
        #expect(session.entry(1)?.state == .halfClosedOut)
        let read = session.readUntilClosed(peer)
        #expect(read.bytes == Array("last words".utf8))
        #expect(read.eof, "the peer did not see EOF after shutdown wr")

        peer.send("still listening?")
        #expect(session.pumpUntilReceived(16, on: 1))
        let before = session.snapshot
        #expect(session.failing("send more") == Status.error("send #1: EPIPE (Broken pipe): writing was shut down"))
        #expect(session.snapshot == before)
        peer.close()
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(Array(session.lines.suffix(2)) == ["#1 eof from peer", "#1 closed"])
    }

    @Test func shutdownReadStopsReadingButKeepsSending() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("shutdown #1 rd") == Status.ok("shut down #1 (rd)"))
        #expect(session.entry(1)?.state == .halfClosedIn)
        #expect(session.status("send can still send").ok)
        #expect(session.read(peer, count: 14) == Array("can still send".utf8))
    }

    @Test func shutdownBothWaysClosesTheSocket() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("shutdown rdwr") == Status.ok("shut down #1 (rdwr); both directions are closed now"))
        #expect(session.entry(1)?.state == .closed)
        #expect(Array(session.lines.suffix(2)) == ["#1 shutdown rdwr", "#1 closed (both directions shut down)"])
        #expect(session.readUntilClosed(peer).eof)
    }

    @Test func shutdownStarActsOnEveryConnection() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "pair").allOK)
        #expect(session.status("shutdown * wr") == Status.ok("shutdown: 4 sockets"))
        #expect(session.pump(until: { session.engine.table.openConnections.isEmpty }), "every end saw EOF after its own shutdown")
    }

    @Test func closeIsOrderly() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.run("send bye", "close").last == Status.ok("closed #1"))
        #expect(session.entry(1)?.state == .closed)
        #expect(session.lines.last == "#1 closed")
        let read = session.readUntilClosed(peer)
        #expect(read.bytes == Array("bye".utf8))
        #expect(read.eof)
        #expect(read.error == nil)
        let before = session.snapshot
        #expect(session.failing("close #1") == Status.error("#1 is closed"))
        #expect(session.snapshot == before)
    }

    /// `close` with bytes still queued (the peer reads slowly) closes once they are all sent.
    @Test func closeWaitsForQueuedBytesToDrain() throws {
        let directory = try TemporaryDirectory()
        let payload = patternBytes(1 << 20, seed: 9)
        try Data(payload).write(to: URL(fileURLWithPath: directory.file("big.bin")))
        let peers = try PeerCollector(receiveBuffer: 4096)
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("sockopt sndbuf 4096").ok)
        let sent = session.status("send @\(directory.file("big.bin"))")
        #expect(sent.message.hasPrefix("queued 1048576 bytes for #1 ("), "\(sent)")
        let queued = try #require(session.entry(1)?.queuedOut)
        #expect(queued > 0)
        #expect(session.status("close") == Status.ok("closing #1 after \(queued) queued bytes are sent"))
        #expect(session.entry(1)?.state == .closing)
        #expect(session.failing("send too late") == Status.error("send #1: closing"))

        let read = session.readUntilClosed(peer, timeout: 20)
        #expect(read.eof)
        #expect(read.bytes.count == payload.count)
        #expect(byteDifference(read.bytes, payload) == nil)
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(byteDifference(session.bytes(.send, on: 1), payload) == nil)
        #expect(session.lines.last == "#1 closed")
    }

    @Test func resetSendsRSTAndDropsQueuedBytes() throws {
        let peers = try PeerCollector(receiveBuffer: 4096)
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.run("sockopt sndbuf 4096", "send x\"00\"").allOK)
        #expect(session.status("reset") == Status.ok("reset #1"))
        #expect(Array(session.lines.suffix(2)) == ["#1 reset sent (SO_LINGER 0, then close)", "#1 closed (reset)"])
        #expect(session.entry(1)?.state == .closed)
        let read = session.readUntilClosed(peer)
        #expect(read.error == ECONNRESET, "the peer saw \(read)")
    }

    /// By default a peer's EOF closes our side too, as the seed's servers do.
    @Test func aPeersEOFClosesOurSideByDefault() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        peer.shutdownWrite()
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(Array(session.lines.suffix(2)) == ["#1 eof from peer", "#1 closed"])
        #expect(session.readUntilClosed(peer).eof)
        session.expectResponsive()
    }

    @Test func halfcloseOnKeepsTheSocketHalfClosedIn() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        #expect(session.status("set halfclose on") == Status.ok("halfclose = on"))
        let peer = try session.connect(to: peers)
        peer.send("request")
        peer.shutdownWrite()
        #expect(session.pump(until: { session.entry(1)?.state == .halfClosedIn }))
        #expect(session.lines.last == "#1 eof from peer")
        #expect(session.status("send the answer") == Status.ok("sent 10 bytes to #1"))
        #expect(session.read(peer, count: 10) == Array("the answer".utf8))
        #expect(session.status("close") == Status.ok("closed #1"))
        #expect(session.readUntilClosed(peer).eof)
        session.expectResponsive()
    }

    @Test func closeStarClosesConnectionsButNotListeners() throws {
        let session = try EngineSession()
        let (first, second) = try session.listenerWithTwoPeers()
        defer { first.close(); second.close() }
        #expect(session.status("close *") == Status.ok("close: 2 sockets"))
        #expect(session.engine.table.openConnections.isEmpty)
        #expect(session.entry(1)?.state == .listening)
        #expect(session.readUntilClosed(first).eof)
        #expect(session.readUntilClosed(second).eof)
        #expect(session.failing("close *") == Status.error("close *: no open connections"))
    }
}
