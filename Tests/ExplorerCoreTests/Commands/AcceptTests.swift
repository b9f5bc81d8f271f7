// AcceptTests.swift — `accept` on a listener in `accept=manual` mode: peers wait in the backlog
// (the count is visible), each `accept` takes one; and `wait connected` on a listener.

import ExplorerCore
import Foundation
import Testing

@Suite struct AcceptTests {
    @Test func manualAcceptTakesOnePendingConnectionAtATime() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0 backlog=4 accept=manual").ok)
        let port = session.port(of: 1)
        let first = try PeerConnection.connect(port: port)
        let second = try PeerConnection.connect(port: port)
        defer { first.close(); second.close() }
        #expect(session.pump(until: { session.entry(1)?.pendingAccepts == 2 }), "pending: \(session.entry(1)?.pendingAccepts ?? -1)")
        #expect(session.engine.table.connections.isEmpty, "a manual listener accepted by itself")
        #expect(session.status("info #1").ok)
        #expect(session.lines.contains("  backlog 4, accepted 0, waiting 2, accept=manual"))

        #expect(session.status("accept") == Status.ok("accepted #2 from \(first.localDescription) via #1"))
        #expect(session.entry(1)?.pendingAccepts == 1)
        #expect(session.entry(1)?.acceptedCount == 1)
        #expect(session.engine.selected == SocketID(2))
        #expect(session.status("accept #1") == Status.ok("accepted #3 from \(second.localDescription) via #1"))
        #expect(session.entry(1)?.pendingAccepts == 0)

        let before = session.snapshot
        #expect(session.failing("accept #1") == Status.error("accept #1: EAGAIN (no connection is waiting in the backlog)"))
        #expect(session.snapshot == before)

        first.send("one")
        second.send("two")
        #expect(session.pumpUntilReceived(3, on: 2))
        #expect(session.pumpUntilReceived(3, on: 3))
        #expect(session.bytes(.recv, on: 2) == Array("one".utf8))
        #expect(session.bytes(.recv, on: 3) == Array("two".utf8))
    }

    @Test func aBannerGreetsAManuallyAcceptedPeer() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0 accept=manual", #"banner "hello\r\n""#).allOK)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(1)?.pendingAccepts == 1 }))
        #expect(peer.readAvailable().bytes.isEmpty, "the banner came before accept")
        #expect(session.status("accept #1").ok)
        #expect(session.read(peer, count: 7) == Array("hello\r\n".utf8))
    }

    @Test func acceptNeedsAListener() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0", "listen 0 accept=manual", "pair").allOK)
        let before = session.snapshot
        #expect(session.failing("accept #3") == Status.error("accept: #3 is not a listening stream socket"))
        #expect(session.failing("accept #9") == Status.error("accept: no socket #9"))
        #expect(session.snapshot == before)
    }

    @Test func waitConnectedOnAListenerReturnsWhenAPeerIsAccepted() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        defer { peer.close() }
        #expect(session.status("wait #1 connected") == Status.ok("#1 accepted a peer (#2)"))
        #expect(session.status("wait #1 connected timeout=0.2") == Status.error("wait #1 connected: timed out after 200 ms"))
    }
}
