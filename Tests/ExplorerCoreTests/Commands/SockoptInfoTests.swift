// SockoptInfoTests.swift — `sockopt` (list, get, set, bad values, options the kernel refuses)
// and `info` (addresses, queues, TCP_INFO, the session summary) on real sockets.

import ExplorerCore
import Foundation
import Testing

@Suite struct SockoptInfoTests {
    @Test func listShowsEveryApplicableOptionWithItsValue() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        _ = try session.connect(to: peers)
        let before = session.lines.count
        #expect(session.status("sockopt") == Status.ok("#1 options listed in the log"))
        let listing = Array(session.lines[before...])
        #expect(listing.first == "#1 socket options:")
        #expect(listing.contains("  nodelay      off        IPPROTO_TCP/TCP_NODELAY — send small segments at once (disable Nagle)"))
        #expect(listing.contains("  nonblock     on         fcntl/O_NONBLOCK — non-blocking mode (sockpit needs it on: shown, never turned off)"))
        #expect(listing.contains { $0.hasPrefix("  rcvbuf ") && $0.contains("SOL_SOCKET/SO_RCVBUF") })
        #expect(listing.contains { $0.hasPrefix("  ttl          64 ") })
        #expect(!listing.contains { $0.hasPrefix("  v6only") }, "an IPv6 option listed for an IPv4 socket")
    }

    @Test func getAndSetOptions() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        _ = try session.connect(to: peers)
        #expect(session.status("sockopt nodelay") == Status.ok("#1 nodelay = off"))
        #expect(session.status("sockopt nodelay on") == Status.ok("#1 nodelay = on"))
        #expect(session.lines.last == "#1 sockopt nodelay = on")
        #expect(session.status("sockopt #1 nodelay") == Status.ok("#1 nodelay = on"))
        #expect(session.status("sockopt keepalive yes") == Status.ok("#1 keepalive = on"))
        #expect(session.status("sockopt keepidle 30") == Status.ok("#1 keepidle = 30"))
        #expect(session.status("sockopt keepintvl 5") == Status.ok("#1 keepintvl = 5"))
        #expect(session.status("sockopt keepcnt 3") == Status.ok("#1 keepcnt = 3"))
        #expect(session.status("sockopt linger on,5") == Status.ok("#1 linger = on,5"))
        #expect(session.status("sockopt linger off") == Status.ok("#1 linger = off"))
        #expect(session.status("sockopt ttl 17") == Status.ok("#1 ttl = 17"))
        #expect(session.status("sockopt tos 0x10") == Status.ok("#1 tos = 16"))
        #expect(session.status("sockopt reuseaddr on") == Status.ok("#1 reuseaddr = on"))
        #expect(session.status("sockopt type") == Status.ok("#1 type = 1"))
        let rcvbuf = session.status("sockopt rcvbuf 65536")
        #expect(rcvbuf.ok && rcvbuf.message.hasPrefix("#1 rcvbuf = ") && rcvbuf.message.hasSuffix(" (asked 65536; the kernel adjusted it)"),
                "\(rcvbuf)")
    }

    @Test func badValuesAreErrorsThatChangeNothing() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        _ = try session.connect(to: peers)
        let before = session.snapshot
        #expect(session.failing("sockopt nodelay maybe") == Status.error(#"sockopt nodelay: expected on or off, got "maybe""#))
        #expect(session.failing("sockopt rcvbuf -5") == Status.error(#"sockopt rcvbuf: expected a non-negative number, got "-5""#))
        #expect(session.failing("sockopt linger sometimes") == Status.error(#"sockopt linger: expected off, SECONDS or on,SECONDS, got "sometimes""#))
        #expect(session.failing("sockopt type 2") == Status.error("sockopt type is read only"))
        #expect(session.failing("sockopt ttl 0") == Status.error("sockopt #1 ttl 0: EINVAL (Invalid argument)"))
        #expect(session.failing("sockopt v6only") == Status.error("sockopt #1 v6only: EOPNOTSUPP (Operation not supported)"))
        let unknown = session.failing("sockopt bogus 1")
        #expect(unknown.message.hasPrefix(#"sockopt: unknown option "bogus" (options: reuseaddr, reuseport, rcvbuf"#), "\(unknown)")
        #expect(session.snapshot == before)
        #expect(session.status("sockopt nodelay") == Status.ok("#1 nodelay = off"))
        #expect(session.status("sockopt ttl") == Status.ok("#1 ttl = 64"))
    }

    /// A blocking socket would freeze the one-threaded loop on its next read.
    @Test func nonblockCannotBeTurnedOff() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        // Should the engine block in recv anyway, closing the peer ends that recv with EOF.
        let finished = Shared(false)
        Thread.detachNewThread {
            for _ in 0..<300 where !finished.current { usleep(10_000) }
            if !finished.current { peer.shutdownWrite() }
        }
        defer { finished.set(true) }
        let before = session.snapshot
        let status = session.failing("sockopt nonblock off")
        #expect(status.message.hasPrefix("sockopt #1 nonblock off: "), "\(status)")
        #expect(session.snapshot == before)
        #expect(session.status("sockopt nonblock") == Status.ok("#1 nonblock = on"))
        peer.send("one")
        #expect(session.pumpUntilReceived(3, on: 1))
        peer.send("two")
        #expect(session.pumpUntilReceived(6, on: 1))
        #expect(session.entry(1)?.state == .established)
        #expect(session.status("sockopt nonblock on") == Status.ok("#1 nonblock = on"))
    }

    /// `*` is every open connection, for sockopt and info as for the other commands that take it.
    @Test func sockoptAndInfoOnEveryConnection() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0", "pair").allOK)
        #expect(session.status("sockopt * rcvlowat 7") == Status.ok("sockopt: 2 sockets"))
        #expect(session.lines.suffix(2) == ["#2 sockopt rcvlowat = 7", "#3 sockopt rcvlowat = 7"])
        #expect(session.status("sockopt * rcvlowat") == Status.ok("sockopt: 2 sockets"))
        #expect(session.lines.suffix(2) == ["#2 rcvlowat = 7", "#3 rcvlowat = 7"])
        let before = session.lines.count
        #expect(session.status("info *") == Status.ok("info: 2 sockets"))
        let info = session.lines[before...]
        #expect(info.filter { $0.hasSuffix(" — established") } == ["#2 unix pair with #3 — established", "#3 unix pair with #2 — established"])
    }

    @Test func infoShowsAddressesQueuesAndTCPInfo() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.pausedConnectionWithFiveQueuedBytes(to: peers)
        let before = session.lines.count
        #expect(session.status("info") == Status.ok("#1 info in the log"))
        let info = Array(session.lines[before...])
        #expect(info.count >= 10, "\(info)")
        guard info.count >= 10 else { return }
        #expect(info[0] == "#1 tcp outgoing connection — established")
        #expect(info[1] == "  local  \(peer.remoteDescription)   (getsockname)")
        #expect(info[2] == "  remote 127.0.0.1:\(peers.port)   (getpeername)")
        #expect(info[3] == "  in  0 bytes   out 0 bytes")
        #expect(info[4] == "  reply off   paused")
        #expect(info[5].hasPrefix("  opened "))
        #expect(info[6] == "  kernel queues: unread 5, unacknowledged 0, unsent 0; sockpit queue 0 bytes   (SIOCINQ/SIOCOUTQ)")
        #expect(info[7].hasPrefix("  fd "))
        #expect(info[8].hasPrefix("  tcp_info: ESTABLISHED, rtt "))
        #expect(info[9].hasPrefix("            cwnd "))
        #expect(info.contains { $0.hasPrefix("            unacked 0, lost 0, retransmits 0 now / ") })
        #expect(info.last?.hasPrefix("  options: reuseaddr=off reuseport=off rcvbuf=") == true)
    }

    @Test func infoOnAListenerAUDPSocketAndAClosedSocket() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0", "listen udp 127.0.0.1:0").allOK)
        var before = session.lines.count
        #expect(session.status("info #1").ok)
        var info = Array(session.lines[before...])
        #expect(info.first == "#1 tcp listener — listening")
        #expect(info.contains("  backlog 128, accepted 0, waiting 0, accept=auto"))
        #expect(info.contains("  tcp_info: LISTEN, accept queue 0"))

        before = session.lines.count
        #expect(session.status("info #2").ok)
        info = Array(session.lines[before...])
        #expect(info.first == "#2 udp bound datagram socket — listening")
        #expect(info.contains("  in  0 bytes in 0 datagrams   out 0 bytes in 0 datagrams"))
        #expect(info.contains("  kernel drops: 0 datagrams   (SO_MEMINFO)"))

        #expect(session.status("close #1").ok)
        before = session.lines.count
        #expect(session.status("info #1").ok)
        info = Array(session.lines[before...])
        #expect(info.first == "#1 tcp listener — closed")
        #expect(!info.contains { $0.hasPrefix("  fd ") })
    }

    @Test func infoWithNothingSelectedSummarizesTheSession() throws {
        let session = try EngineSession()
        #expect(session.status("info") == Status.ok("session summary in the log"))
        #expect(session.lines.first == "session: 0 listening, 0 open connections, 0 sockets in all")
        #expect(session.lines.last == "  recording: off")
    }
}

/// `*` never fails half-way silently: what can be checked is checked on every socket first, and
/// what the kernel refuses on some is named socket by socket (issue 8).
@Suite struct ManyTargetsTests {
    @Test func aKernelRefusalOnSomeSocketsNamesEachOutcome() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        #expect(session.status("connect 127.0.0.1:\(session.port(of: 1))").ok)
        #expect(session.pump(until: { session.entry(3)?.state == .established }))
        #expect(session.status("pair").ok)
        let answer = session.failing("sockopt * nodelay on")
        #expect(answer == Status.error("nodelay on: #2 #3 ok; #4 EOPNOTSUPP (Operation not supported); #5 EOPNOTSUPP (Operation not supported)"))
        #expect(session.status("sockopt #2 nodelay") == Status.ok("#2 nodelay = on"), "the TCP sockets were set")
        #expect(session.status("sockopt #3 nodelay") == Status.ok("#3 nodelay = on"))
    }

    @Test func aCheckThatFailsOnOneSocketChangesNone() throws {
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        #expect(session.status("pair").ok)
        // #1's peer never reads, so a large send stays queued and `shutdown wr` must refuse #1.
        #expect(session.status("pause #2").ok)
        #expect(session.status("send #1 \(String(repeating: "x", count: 4 << 20))").message.hasPrefix("queued"))
        let before = session.snapshot
        let answer = session.failing("shutdown * wr")
        #expect(answer.message.hasPrefix("shutdown #1: "), "\(answer)")
        #expect(session.snapshot == before, "shutdown * changed some sockets before refusing")
        #expect(session.status("shutdown #3 wr").ok, "the other sockets could still be shut down one by one")
    }

    @Test func everySocketSucceedingAnswersWithTheCount() throws {
        let session = try EngineSession()
        #expect(session.run("pair", "pair").allOK)
        #expect(session.status("sockopt * sndbuf 65536") == Status.ok("sockopt: 4 sockets"))
        #expect(session.status("close *") == Status.ok("close: 4 sockets"))
    }
}
