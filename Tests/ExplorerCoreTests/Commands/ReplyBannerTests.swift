// ReplyBannerTests.swift — automatic replies (echo, reverse, a template) on one socket and on a
// whole listener, `reply off`, UDP echo, and banners for newly accepted peers.

import ExplorerCore
import Foundation
import Testing

@Suite struct ReplyBannerTests {
    @Test func echoOnAConnection() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("reply echo") == Status.ok("#1 replies echo"))
        #expect(session.lines.last == "#1 reply echo")
        peer.send("ping\r\n")
        #expect(session.read(peer, count: 6) == Array("ping\r\n".utf8))
        #expect(session.lines.last == #"#1 > 6 "ping\r\n""#)
    }

    @Test func reverseOnAConnection() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("reply #1 reverse") == Status.ok("#1 replies reverse"))
        peer.send("  stressed \r\n")
        #expect(session.read(peer, count: 9) == Array("desserts\n".utf8))
    }

    @Test func templateOnAConnection() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status(#"reply "<{data}|{data}>\n""#) == Status.ok(#"#1 replies "<{data}|{data}>\n""#))
        peer.send("ab")
        #expect(session.read(peer, count: 8) == Array("<ab|ab>\n".utf8))
    }

    /// A listener's reply applies to every accepted peer; `reply off` stops it.
    @Test func aListenersReplyServesEveryPeerUntilOff() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0") == Status.ok("#1 listening on tcp 127.0.0.1:\(session.port(of: 1)) (port \(session.port(of: 1)) picked by the kernel)"))
        #expect(session.status(#"reply #1 "OK ... {data}""#) == Status.ok(#"#1 replies "OK ... {data}" to every accepted peer"#))
        let first = try PeerConnection.connect(port: session.port(of: 1))
        let second = try PeerConnection.connect(port: session.port(of: 1))
        defer { first.close(); second.close() }
        first.send("one")
        second.send("two")
        #expect(session.read(first, count: 10) == Array("OK ... one".utf8))
        #expect(session.read(second, count: 10) == Array("OK ... two".utf8))

        #expect(session.status("reply #1 off") == Status.ok("#1 replies off to every accepted peer"))
        first.send("quiet")
        #expect(session.pumpUntilReceived(8, on: 2))
        #expect(session.status(#"send #2 "marker""#).ok)
        #expect(session.read(first, count: 6) == Array("marker".utf8), "a reply came after reply off")
    }

    /// A connection's own reply wins over its listener's.
    @Test func aConnectionsOwnReplyOverridesItsListeners() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0 reply=echo").ok)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(2) != nil }))
        #expect(session.status("reply #2 reverse").ok)
        peer.send("abc")
        #expect(session.read(peer, count: 4) == Array("cba\n".utf8))
    }

    @Test func udpEchoAnswersEachSender() throws {
        let session = try EngineSession()
        #expect(session.status("listen udp 127.0.0.1:0 reply=echo").ok)
        let alice = try PeerDatagramSocket()
        let bob = try PeerDatagramSocket()
        alice.send(Array("from alice".utf8), to: session.port(of: 1))
        #expect(session.pumpUntilReceived(10, on: 1))
        bob.send(Array("from bob".utf8), to: session.port(of: 1))
        #expect(session.pumpUntilReceived(18, on: 1))
        #expect(alice.receive()?.bytes == Array("from alice".utf8))
        #expect(bob.receive()?.bytes == Array("from bob".utf8))
        #expect(session.lines.contains(#"#1 > 8 to 127.0.0.1:\#(bob.port) "from bob""#))
    }

    /// The seed's welcome message, for every new peer; `banner off` stops it.
    @Test func bannerGreetsEachNewPeerUntilOff() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        #expect(session.status(#"banner "Welcome\n""#) == Status.ok("#1 greets each new peer with 8 bytes"))
        #expect(session.lines.last == #"#1 banner "Welcome\n""#)
        let first = try PeerConnection.connect(port: session.port(of: 1))
        let second = try PeerConnection.connect(port: session.port(of: 1))
        defer { first.close(); second.close() }
        #expect(session.read(first, count: 8) == Array("Welcome\n".utf8))
        #expect(session.read(second, count: 8) == Array("Welcome\n".utf8))

        #expect(session.status("banner #1 off") == Status.ok("#1 banner off"))
        let third = try PeerConnection.connect(port: session.port(of: 1))
        defer { third.close() }
        #expect(session.pump(until: { session.entry(4)?.state == .established }))
        #expect(session.status(#"send #4 "first""#).ok)
        #expect(session.read(third, count: 5) == Array("first".utf8), "a banner came after banner off")
    }

    @Test func bannerNeedsAStreamListener() throws {
        let session = try EngineSession()
        #expect(session.run("listen udp 127.0.0.1:0", "pair").allOK)
        let before = session.snapshot
        #expect(session.failing("banner #1 hi") == Status.error("banner: #1 is not a listening stream socket"))
        #expect(session.failing("banner #2 hi") == Status.error("banner: #2 is not a listening stream socket"))
        #expect(session.snapshot == before)
    }
}
