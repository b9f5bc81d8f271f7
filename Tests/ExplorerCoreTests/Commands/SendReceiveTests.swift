// SendReceiveTests.swift — `send` and `sendl` (payload syntax, line endings, files, `*`), UDP
// `send to=` and replies to the last peer, and receiving: exact bytes, large transfers.

import ExplorerCore
import Foundation
import Testing

@Suite struct SendReceiveTests {
    @Test func sendWritesExactlyThePayloadsBytes() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status(#"send "a\tb\r\n""#) == Status.ok("sent 5 bytes to #1"))
        #expect(session.status(#"send x"ca fe:ba 0xbe" "tail""#) == Status.ok("sent 8 bytes to #1"))
        #expect(session.status(#"send "\x00\u{4F60}\\""#) == Status.ok("sent 5 bytes to #1"))
        #expect(session.status("send bare words \\x41 to the end") == Status.ok("sent 23 bytes to #1"))
        let expected: [UInt8] = Array("a\tb\r\n".utf8) + [0xca, 0xfe, 0xba, 0xbe] + Array("tail".utf8)
            + [0x00, 0xe4, 0xbd, 0xa0, 0x5c] + Array("bare words A to the end".utf8)
        #expect(session.read(peer, count: expected.count) == expected)
        #expect(Array(session.lines.suffix(4)) == [
            #"#1 > 5 "a\tb\r\n""#,
            #"#1 > 8 "\xca\xfe\xba\xbetail""#,
            #"#1 > 5 "\x00你\\""#,
            #"#1 > 23 "bare words A to the end""#,
        ])
        #expect(session.entry(1)?.bytesOut == UInt64(expected.count))
    }

    @Test func sendlAppendsTheConfiguredLineEnding() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("sendl one") == Status.ok("sent 4 bytes to #1"))
        #expect(session.run("set eol crlf", "sendl two", "set eol cr", #"sendl #1 "three""#).allOK)
        #expect(session.read(peer, count: 15) == Array("one\ntwo\r\nthree\r".utf8))
    }

    @Test func sendAtFileSendsTheFilesBytes() throws {
        let directory = try TemporaryDirectory()
        let payload = patternBytes(200_000)
        try Data(payload).write(to: URL(fileURLWithPath: directory.file("payload.bin")))
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        let status = session.status("send @\(directory.file("payload.bin"))")
        #expect(status.ok && status.message.contains("200000 bytes"), "\(status)")
        #expect(byteDifference(session.read(peer, count: payload.count), payload) == nil)
        #expect(session.pump(until: { session.entry(1)?.queuedOut == 0 }))
        #expect(byteDifference(session.bytes(.send, on: 1), payload) == nil)
    }

    @Test func sendStarWritesToEveryOpenConnection() throws {
        let session = try EngineSession()
        let (first, second) = try session.listenerWithTwoPeers()
        defer { first.close(); second.close() }
        #expect(session.status("send * all of you") == Status.ok("sent 10 bytes to 2 connections"))
        #expect(session.read(first, count: 10) == Array("all of you".utf8))
        #expect(session.read(second, count: 10) == Array("all of you".utf8))
    }

    /// The seed's UDP exchange: `send to=` from a bound socket, then answers go to whoever wrote last.
    @Test func udpSendToAndReplyToTheLastPeer() throws {
        let session = try EngineSession()
        #expect(session.status("listen udp 127.0.0.1:0").ok)
        let port = session.port(of: 1)
        let before = session.snapshot
        #expect(session.failing("send #1 nobody yet") == Status.error(
            "#1 is an unconnected UDP socket and no peer has written to it yet: use send #1 to=HOST:PORT …"))
        #expect(session.snapshot == before)

        let alice = try PeerDatagramSocket()
        let bob = try PeerDatagramSocket()
        #expect(session.status("send #1 to=127.0.0.1:\(alice.port) hello alice") == Status.ok("sent 11 bytes to #1 → 127.0.0.1:\(alice.port)"))
        #expect(session.lines.last == #"#1 > 11 to 127.0.0.1:\#(alice.port) "hello alice""#)
        let toAlice = try #require(alice.receive())
        #expect(toAlice.bytes == Array("hello alice".utf8))
        #expect(toAlice.port == port)

        bob.send(Array("it's bob".utf8), to: port)
        #expect(session.pumpUntilReceived(8, on: 1))
        #expect(session.status("sendl #1 hi bob") == Status.ok("sent 7 bytes to #1"))
        #expect(bob.receive()?.bytes == Array("hi bob\n".utf8))
        alice.send(Array("alice again".utf8), to: port)
        #expect(session.pumpUntilReceived(19, on: 1))
        #expect(session.status("send #1 back to alice").ok)
        #expect(alice.receive()?.bytes == Array("back to alice".utf8))
        #expect(session.entry(1)?.datagramsOut == 3)
    }

    /// `to=` on a connected UDP socket sends there (sendto), not to the connected peer.
    @Test func udpSendToFromAConnectedSocketGoesWhereItSays() throws {
        let alice = try PeerDatagramSocket()
        let bob = try PeerDatagramSocket()
        let session = try EngineSession()
        #expect(session.status("connect udp 127.0.0.1:\(alice.port)").ok)
        #expect(session.status("send to=127.0.0.1:\(bob.port) for bob") == Status.ok("sent 7 bytes to #1 → 127.0.0.1:\(bob.port)"))
        #expect(session.lines.last == #"#1 > 7 to 127.0.0.1:\#(bob.port) "for bob""#)
        #expect(bob.receive()?.bytes == Array("for bob".utf8))
        #expect(session.status("send for alice").ok)
        #expect(alice.receive()?.bytes == Array("for alice".utf8))
    }

    /// A paused UDP socket: datagrams wait in the kernel; `recv` takes whole datagrams.
    @Test func udpPauseAndRecv() throws {
        let session = try EngineSession()
        #expect(session.run("listen udp 127.0.0.1:0", "pause #1").allOK)
        let peer = try PeerDatagramSocket()
        peer.send(Array("first".utf8), to: session.port(of: 1))
        peer.send(Array("second".utf8), to: session.port(of: 1))
        #expect(session.pump(until: { (session.entry(1)?.queuedIn ?? 0) > 0 }))
        #expect(session.bytes(.recv, on: 1).isEmpty)
        #expect(session.status("recv #1 1") == Status.ok("received 5 bytes on #1"))
        #expect(session.lines.last == #"#1 < 5 from 127.0.0.1:\#(peer.port) "first""#)
        #expect(session.status("resume #1").ok)
        #expect(session.pumpUntilReceived(11, on: 1))
        #expect(session.lines.last == #"#1 < 6 from 127.0.0.1:\#(peer.port) "second""#)
    }

    @Test func aLargeTransferArrivesWholeAndInOrder() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        let payload = patternBytes(1 << 20, seed: 3)
        Thread.detachNewThread { peer.send(payload) }
        #expect(session.pumpUntilReceived(payload.count, on: 1))
        #expect(byteDifference(session.bytes(.recv, on: 1), payload) == nil)
        #expect(session.entry(1)?.bytesIn == UInt64(payload.count))
    }
}
