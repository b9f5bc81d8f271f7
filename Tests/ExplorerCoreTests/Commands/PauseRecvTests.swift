// PauseRecvTests.swift — `pause` / `resume` with the kernel's queue visible, and `recv N` /
// `recv N all` reading a paused socket by hand.

import ExplorerCore
import Foundation
import Testing

@Suite struct PauseRecvTests {
    @Test func pausedBytesWaitInTheKernelAndResumeReadsThem() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("pause") == Status.ok("paused #1"))
        #expect(session.lines.last == "#1 paused: bytes wait in the kernel")
        #expect(session.entry(1)?.paused == true)
        peer.send(patternBytes(100))
        #expect(session.pump(until: { session.entry(1)?.queuedIn == 100 }), "queuedIn \(session.entry(1)?.queuedIn ?? -1)")
        #expect(session.bytes(.recv, on: 1).isEmpty)
        peer.send(patternBytes(50))
        #expect(session.pump(until: { session.entry(1)?.queuedIn == 150 }), "queuedIn \(session.entry(1)?.queuedIn ?? -1)")
        #expect(session.status("pause") == Status.ok("#1 is already paused"))

        #expect(session.status("resume #1") == Status.ok("resumed #1"))
        #expect(session.pumpUntilReceived(150, on: 1))
        #expect(session.bytes(.recv, on: 1) == patternBytes(100) + patternBytes(50))
        #expect(session.entry(1)?.queuedIn == 0)
        #expect(session.entry(1)?.paused == false)
    }

    /// While paused, the peer's EOF waits behind its bytes too; resume delivers both, in order.
    @Test func aPeersEOFWaitsWhilePaused() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("pause").ok)
        peer.send("goodbye")
        peer.close()
        #expect(session.pump(until: { session.entry(1)?.queuedIn == 7 }))
        #expect(session.entry(1)?.state == .established)
        #expect(session.status("resume").ok)
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(Array(session.lines.suffix(3)) == [#"#1 < 7 "goodbye""#, "#1 eof from peer", "#1 closed"])
    }

    @Test func recvReadsUpToNNow() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("pause").ok)
        #expect(session.status("recv 10") == Status.ok("recv #1: nothing queued (EAGAIN)"))
        peer.send("0123456789abcdefghij")
        #expect(session.pump(until: { session.entry(1)?.queuedIn == 20 }))
        #expect(session.status("recv 4") == Status.ok("received 4 bytes on #1"))
        #expect(session.lines.last == #"#1 < 4 "0123""#)
        #expect(session.entry(1)?.queuedIn == 16)
        #expect(session.status("recv #1") == Status.ok("received 16 bytes on #1"))
        #expect(session.bytes(.recv, on: 1) == Array("0123456789abcdefghij".utf8))
        #expect(session.entry(1)?.queuedIn == 0)
        // Still paused: new bytes wait again.
        peer.send("more")
        #expect(session.pump(until: { session.entry(1)?.queuedIn == 4 }))
        #expect(session.bytes(.recv, on: 1).count == 20)
    }

    /// `recv N all` waits for exactly N bytes (MSG_WAITALL); what comes after stays queued.
    @Test func recvAllWaitsForExactlyN() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.pausedConnectionWithFiveQueuedBytes(to: peers)
        session.engine.submit("recv 8 all")
        #expect(session.engine.hasPendingOperations, "recv all finished with only 5 of 8 bytes")
        #expect(session.lastStatus?.ok == true)
        peer.send("678ABCDEFG")
        #expect(session.pump(until: { session.statuses.last == Status.ok("received 8 bytes on #1") }), "\(session.statuses)")
        #expect(session.bytes(.recv, on: 1) == Array("12345678".utf8))
        #expect(session.pump(until: { session.entry(1)?.queuedIn == 7 }), "queuedIn \(session.entry(1)?.queuedIn ?? -1)")
        #expect(session.status("recv 7 all") == Status.ok("received 7 bytes on #1"))
        #expect(session.bytes(.recv, on: 1) == Array("12345678ABCDEFG".utf8))
    }

    @Test func recvAllFailsWhenThePeerClosesFirst() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("pause").ok)
        peer.send("only6!")
        peer.close()
        #expect(session.failing("recv 100 all") == Status.error("recv #1: closed after 6 of 100 bytes"))
        #expect(session.bytes(.recv, on: 1) == Array("only6!".utf8))
        #expect(session.lines.contains("#1 eof from peer"))
    }

    @Test func recvNeedsAPausedConnection() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        _ = try session.connect(to: peers)
        #expect(session.status("listen 0").ok)
        let before = session.snapshot
        #expect(session.failing("recv #1 10") == Status.error(
            "recv: #1 is not paused, so sockpit already reads everything it receives (pause #1 first)"))
        #expect(session.failing("recv #2") == Status.error("recv: #2 is a listener; use accept"))
        #expect(session.failing("pause #2") == Status.error("pause: #2 is a listener (use accept=manual to hold connections)"))
        #expect(session.snapshot == before)
    }

    @Test func pauseAndResumeStarActOnEveryConnection() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "pair").allOK)
        #expect(session.status("pause *") == Status.ok("pause: 4 sockets"))
        #expect(session.engine.table.connections.allSatisfy { $0.paused })
        #expect(session.status("resume *") == Status.ok("resume: 4 sockets"))
        #expect(session.engine.table.connections.allSatisfy { !$0.paused })
    }
}
