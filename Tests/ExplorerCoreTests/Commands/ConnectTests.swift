// ConnectTests.swift — `connect` over TCP, UDP, Unix and IPv6, by name and with `from=`,
// against peers the test starts.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct ConnectTests {
    @Test func tcpConnectIsEstablishedSelectedAndCarriesBytesBothWays() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let status = session.status("connect 127.0.0.1:\(peers.port)")
        let peer = try #require(peers.connection(0, stepping: session))
        #expect(status == Status.ok("#1 connected to 127.0.0.1:\(peers.port)"))
        let entry = try #require(session.entry(1))
        #expect(entry.state == .established)
        #expect(entry.role == .outgoing)
        #expect(entry.transport == .tcp)
        #expect(entry.local?.description == peer.remoteDescription)
        #expect(session.lines == [
            "#1 connecting tcp to 127.0.0.1:\(peers.port)",
            "#1 connected to 127.0.0.1:\(peers.port) from \(peer.remoteDescription)",
        ])
        #expect(session.engine.selected == SocketID(1))

        peer.send("from the peer")
        #expect(session.pumpUntilReceived(13, on: 1))
        #expect(session.status("send to the peer") == Status.ok("sent 11 bytes to #1"))
        #expect(session.read(peer, count: 11) == Array("to the peer".utf8))
    }

    /// A name goes through getaddrinfo on the resolver thread; `localhost` may answer ::1 first,
    /// which this IPv4-only peer refuses, so the next address is tried.
    @Test func aHostNameResolvesAndFallsBackToTheNextAddress() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let status = session.status("connect localhost:\(peers.port)")
        #expect(status == Status.ok("#1 connected to 127.0.0.1:\(peers.port)"))
        #expect(peers.connection(0, stepping: session) != nil)
    }

    @Test func udpConnectSendsAndReceivesDatagrams() throws {
        let peer = try PeerDatagramSocket()
        let session = try EngineSession()
        #expect(session.status("connect udp 127.0.0.1:\(peer.port)") == Status.ok("#1 connected to 127.0.0.1:\(peer.port)"))
        #expect(session.entry(1)?.transport == .udp)
        #expect(session.status("send ping") == Status.ok("sent 4 bytes to #1"))
        let got = try #require(peer.receive())
        #expect(got.bytes == Array("ping".utf8))
        #expect(got.port == session.entry(1)?.local?.port)
        peer.send(Array("pong".utf8), to: got.port)
        #expect(session.pumpUntilReceived(4, on: 1))
        #expect(session.lines.last == #"#1 < 4 from 127.0.0.1:\#(peer.port) "pong""#)
        #expect(session.entry(1)?.datagramsOut == 1)
        #expect(session.entry(1)?.datagramsIn == 1)
    }

    @Test func unixConnectReachesAUnixPeer() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("peer.sock")
        let peers = try PeerCollector(bind: .unix(path))
        defer { peers.stop() }
        let session = try EngineSession()
        #expect(session.status("connect unix \(path)") == Status.ok("#1 connected to \(path)"))
        let peer = try #require(peers.connection(0, stepping: session))
        #expect(session.status(#"send "über unix\n""#) == Status.ok("sent 11 bytes to #1"))
        #expect(session.read(peer, count: 11) == Array("über unix\n".utf8))
    }

    @Test(.enabled(if: ipv6LoopbackAvailable())) func ipv6LiteralInBrackets() throws {
        let peers = try PeerCollector(bind: .ipv6("::1", 0))
        defer { peers.stop() }
        let session = try EngineSession()
        #expect(session.status("connect [::1]:\(peers.port)") == Status.ok("#1 connected to [::1]:\(peers.port)"))
        let peer = try #require(peers.connection(0, stepping: session))
        #expect(session.entry(1)?.local?.description == peer.remoteDescription)
        #expect(peer.remoteDescription.hasPrefix("[::1]:"))
    }

    /// `from=` binds the local end first: the peer sees the address and port asked for.
    @Test func fromBindsTheLocalAddress() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let localPort = closedPort()
        let status = session.status("connect 127.0.0.1:\(peers.port) from=127.0.0.2:\(localPort)")
        #expect(status == Status.ok("#1 connected to 127.0.0.1:\(peers.port)"))
        let peer = try #require(peers.connection(0, stepping: session))
        #expect(peer.remoteDescription == "127.0.0.2:\(localPort)")
        #expect(session.entry(1)?.local?.description == "127.0.0.2:\(localPort)")

        #expect(session.status("connect 127.0.0.1:\(peers.port) from=127.0.0.3").ok, "no port: the kernel picks one")
        let second = try #require(peers.connection(1, stepping: session))
        #expect(second.remoteDescription.hasPrefix("127.0.0.3:"))
    }
}
