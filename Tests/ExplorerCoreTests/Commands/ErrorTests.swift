// ErrorTests.swift — every error the issue lists, against real sockets: each is one clear
// `error: …` status, counts as a failed command, stops the script, and changes nothing else;
// after each fault the engine still carries bytes (`expectResponsive`).

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct ErrorTests {
    /// A refused connect leaves its socket in the failed state (that is the error itself) and
    /// the selection where it was.
    @Test func connectionRefused() throws {
        let port = closedPort()
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        let status = session.failing("connect 127.0.0.1:\(port)")
        #expect(status == Status.error("connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)"))
        #expect(session.entry(3)?.state == .failed("connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)"))
        #expect(Array(session.lines.suffix(2)) == [
            "#3 connecting tcp to 127.0.0.1:\(port)",
            "#3 ✗ connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)",
        ])
        #expect(session.engine.selected == SocketID(1), "a failed connect took the selection")
        #expect(session.entry(1)?.state == .established)
        session.expectResponsive()
    }

    @Test func addressInUse() throws {
        let server = try PeerServer { _ in }
        defer { server.stop() }
        let udp = try PeerDatagramSocket()
        let session = try EngineSession()
        let before = session.snapshot
        #expect(session.failing("listen \(server.port)") == Status.error("bind 127.0.0.1:\(server.port): EADDRINUSE (Address already in use)"))
        #expect(session.failing("listen udp 127.0.0.1:\(udp.port)") == Status.error("bind 127.0.0.1:\(udp.port): EADDRINUSE (Address already in use)"))
        #expect(session.snapshot == before)
        #expect(session.status("listen 0").ok)
        #expect(session.entry(1) != nil, "a failed listen used up an id")
        session.expectResponsive()
    }

    @Test func unknownHost() throws {
        let session = try EngineSession()
        let status = session.failing("connect nosuch.invalid:80")
        #expect(status.message.hasPrefix("connect nosuch.invalid:80: EAI_"), "\(status)")
        #expect(session.entry(1)?.state == .failed(status.message))
        #expect(session.engine.selected == nil)
        session.expectResponsive()
    }

    /// A listener with a full backlog drops SYNs: the connect times out (no route needed).
    @Test func connectTimeout() throws {
        let stuck = try StuckListener()
        let session = try EngineSession()
        let status = session.failing("connect 127.0.0.1:\(stuck.port) timeout=0.3")
        #expect(status == Status.error("connect 127.0.0.1:\(stuck.port): ETIMEDOUT (Connection timed out) after 300 ms"))
        #expect(session.entry(1)?.state == .failed(status.message))
        #expect(session.engine.selected == nil)
        session.expectResponsive()
    }

    @Test func resetByPeerMidTransferIn() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        peer.send("partial answ")
        #expect(session.pumpUntilReceived(12, on: 1))
        peer.reset()
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        #expect(Array(session.lines.suffix(2)) == ["#1 reset by peer: ECONNRESET (Connection reset by peer)", "#1 closed (reset by peer)"])
        let before = session.snapshot
        #expect(session.failing("send more") == Status.error("#1 is closed"))
        #expect(session.snapshot == before)
        session.expectResponsive()
    }

    /// The peer resets while sockpit still has bytes queued for it: the queue is dropped, the socket closed.
    @Test func resetByPeerMidTransferOut() throws {
        let directory = try TemporaryDirectory()
        try Data(patternBytes(1 << 20)).write(to: URL(fileURLWithPath: directory.file("big.bin")))
        let peers = try PeerCollector(receiveBuffer: 4096)
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.run("sockopt sndbuf 4096", "send @\(directory.file("big.bin"))").allOK)
        #expect((session.entry(1)?.queuedOut ?? 0) > 0)
        _ = session.read(peer, count: 1000)
        peer.reset()
        #expect(session.pump(until: { session.entry(1)?.state.isOpen == false }))
        #expect(session.entry(1)?.queuedOut == 0)
        #expect(session.lines.contains("#1 reset by peer: ECONNRESET (Connection reset by peer)"), "\(session.lines.suffix(3))")
        session.expectResponsive()
    }

    /// A reset sockpit has not read yet surfaces on the next send: that send fails and says why.
    @Test func sendRightAfterAReset() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        peer.reset()
        let status = session.failing("send into the void")
        #expect(status == Status.error("send #1: ECONNRESET (Connection reset by peer)"))
        #expect(session.entry(1)?.state == .closed)
        #expect(session.bytes(.send, on: 1).isEmpty)
        session.expectResponsive()
    }

    /// Writing to a peer that has closed: the first write draws an RST, the next gets EPIPE —
    /// an error, never a SIGPIPE that would kill this test process.
    @Test func sendAfterThePeerClosed() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        #expect(session.status("set halfclose on").ok)
        let peer = try session.connect(to: peers)
        peer.close()
        #expect(session.pump(until: { session.entry(1)?.state == .halfClosedIn }))
        let failedBefore = session.engine.failedCommands
        let statuses = session.run("send one", "send two", "echo not reached")
        #expect(statuses.count == 2, "\(statuses)")
        #expect(statuses.first == Status.ok("sent 3 bytes to #1"))
        #expect(statuses.last == Status.error("send #1: EPIPE (Broken pipe)"))
        #expect(session.engine.failedCommands == failedBefore + 1)
        #expect(session.entry(1)?.state.isOpen == false)
        #expect(session.lines.last?.hasPrefix("#1 closed") == true, "\(session.lines.suffix(2))")
        session.expectResponsive()
    }

    /// UDP has no connection to refuse, but the ICMP port-unreachable answer surfaces on the next read.
    @Test func udpToAPortNobodyListensOn() throws {
        let port = try PeerDatagramSocket().port // bound, then closed at once
        let session = try EngineSession()
        #expect(session.run("connect udp 127.0.0.1:\(port)", "send anyone?").allOK)
        #expect(session.pump(until: { session.entry(1)?.state.isOpen == false }))
        #expect(session.lines.suffix(2) == ["#1 ✗ recvfrom #1: ECONNREFUSED (Connection refused)", "#1 closed after error"],
                "one error line, then the close: \(session.lines)")
        session.expectResponsive()
    }

    @Test func sendToAListener() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        let before = session.snapshot
        #expect(session.failing("send #1 hi") == Status.error("send: #1 is a listener; send to one of its connections"))
        #expect(session.failing("send to=127.0.0.1:9 hi") == Status.error("send: #1 is a listener; send to one of its connections"))
        #expect(session.snapshot == before)
    }

    @Test func unknownCommand() throws {
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        let before = session.snapshot
        #expect(session.failing("frobnicate #1") == Status.error(#"unknown command "frobnicate""#))
        #expect(session.failing("lsiten 0") == Status.error(#"unknown command "lsiten" (did you mean listen?)"#))
        #expect(session.snapshot == before)
    }

    @Test func badPayloadSyntaxSendsNothing() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        let before = session.snapshot
        #expect(session.failing(#"send x"zz""#) == Status.error(#"send: invalid hex digit 'z' in x"zz" — usage: send [TARGET] [to=HOST:PORT] PAYLOAD"#))
        #expect(session.failing(#"send "abc"#) == Status.error("send: unterminated quote starting at column 6 — usage: send [TARGET] [to=HOST:PORT] PAYLOAD"))
        #expect(session.failing(#"sendl "ok" x"0""#).message.hasPrefix("sendl: "))
        #expect(session.snapshot == before)
        #expect(session.status("send fine").ok)
        #expect(session.read(peer, count: 4) == Array("fine".utf8), "bytes of a failed send reached the peer")
    }

    @Test func unknownOrClosedTarget() throws {
        let session = try EngineSession()
        #expect(session.failing("send hi") == Status.error("send: no socket selected — give one like #1, or open one first"))
        #expect(session.run("pair", "close #2").allOK)
        #expect(session.pump(until: { session.entry(1)?.state == .closed }))
        let before = session.snapshot
        #expect(session.failing("send #9 hi") == Status.error("send: no socket #9"))
        #expect(session.failing("send #1 hi") == Status.error("#1 is closed"))
        #expect(session.failing("close #1") == Status.error("#1 is closed"))
        #expect(session.failing("info #9") == Status.error("info: no socket #9"))
        #expect(session.failing("reply #9 echo") == Status.error("reply: no socket #9"))
        #expect(session.failing("sockopt #1 nodelay") == Status.error("#1 is closed"))
        #expect(session.snapshot == before)
    }

    @Test func badOptionValues() throws {
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        let before = session.snapshot
        #expect(session.failing("listen 0 backlog=abc") == Status.error(
            "listen: backlog=abc: expected a number — usage: listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual] [mode=off|broker|chat]"))
        #expect(session.failing("listen 0 accept=sometimes") == Status.error(
            "listen: accept=sometimes: expected auto or manual — usage: listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual] [mode=off|broker|chat]"))
        #expect(session.failing("connect 127.0.0.1:1 timeout=xyz") == Status.error(
            "connect: timeout=xyz: expected a duration such as 2, 0.5 or 500ms — usage: connect [tcp|udp|unix] HOST:PORT|PATH [timeout=SEC] [from=HOST:PORT]"))
        #expect(session.failing("recv 0") == Status.error("recv: byte count 0 out of range 1–16777216 — usage: recv [TARGET] [N] [all]"))
        #expect(session.failing("scan 127.0.0.1 70000") == Status.error("scan: port 70000 out of range 1–65535 — usage: scan HOST PORTS [timeout=SEC]"))
        #expect(session.failing("shutdown sideways") == Status.error(
            #"shutdown: expected rd, wr or rdwr, got "sideways" — usage: shutdown [TARGET] rd|wr|rdwr"#))
        #expect(session.failing("listen example.org:0") == Status.error(
            "listen example.org: expected a numeric address (127.0.0.1, ::1, 0.0.0.0) or localhost"))
        #expect(session.snapshot == before)
    }

    /// With keep-going (`--keep-going`), the script goes on past an error.
    @Test func keepGoingRunsTheRestOfTheScript() throws {
        let session = try EngineSession()
        let statuses = session.run(["frobnicate", "echo still here"], keepGoing: true)
        #expect(statuses == [Status.error(#"unknown command "frobnicate""#), Status.ok("still here")])
        #expect(session.engine.failedCommands == 1)
    }
}
