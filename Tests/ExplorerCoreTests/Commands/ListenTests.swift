// ListenTests.swift — `listen` over TCP, UDP and Unix sockets: port 0, the backlog, `*:PORT`,
// stale Unix socket files; each checked with real peers on loopback.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct ListenTests {
    @Test func tcpOnPortZeroPicksAPortAndAcceptsPeers() throws {
        let session = try EngineSession()
        let status = session.status("listen 127.0.0.1:0")
        let port = session.port(of: 1)
        #expect(port != 0)
        #expect(status == Status.ok("#1 listening on tcp 127.0.0.1:\(port) (port \(port) picked by the kernel)"))
        #expect(session.lines == ["#1 listening tcp 127.0.0.1:\(port) backlog 128"])
        let listener = try #require(session.entry(1))
        #expect(listener.role == .listener)
        #expect(listener.state == .listening)
        #expect(listener.backlog == 128)
        #expect(listener.acceptMode == .auto)
        #expect(session.engine.selected == SocketID(1))

        let peer = try PeerConnection.connect(port: port)
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }))
        #expect(session.entry(2)?.role == .accepted(via: SocketID(1)))
        #expect(session.entry(2)?.remote?.description == peer.localDescription)
        #expect(session.lines.last == "#2 accepted \(peer.localDescription) via #1")
        #expect(session.entry(1)?.acceptedCount == 1)
        #expect(session.engine.selected == SocketID(2), "an accepted connection becomes selected")
    }

    @Test func aBarePortListensOnLoopback() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        #expect(session.entry(1)?.local?.host == "127.0.0.1")
        #expect(session.status("listen localhost:0").ok)
        #expect(session.entry(2)?.local?.host == "127.0.0.1")
    }

    /// Backlog 0 holds one unaccepted connection; the next SYN is dropped (its connect hangs).
    @Test func theBacklogIsTheKernels() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0 backlog=0 accept=manual").ok)
        let port = session.port(of: 1)
        #expect(session.entry(1)?.backlog == 0)
        #expect(session.lines == ["#1 listening tcp 127.0.0.1:\(port) backlog 0"])
        let first = StuckListener.connect(port: port, within: 5)
        let second = StuckListener.connect(port: port, within: 0.3)
        defer { close(first.fd); close(second.fd) }
        #expect(first.completed)
        #expect(!second.completed, "a second connection fit in a backlog of 0")
        #expect(session.pump(until: { session.entry(1)?.pendingAccepts == 1 }))
    }

    @Test func udpBindsAndLogsEachDatagramWithItsSender() throws {
        let session = try EngineSession()
        let status = session.status("listen udp 127.0.0.1:0")
        let port = session.port(of: 1)
        #expect(status == Status.ok("#1 listening on udp 127.0.0.1:\(port) (port \(port) picked by the kernel)"))
        #expect(session.lines == ["#1 listening udp 127.0.0.1:\(port)"])
        #expect(session.entry(1)?.role == .datagram)

        let peer = try PeerDatagramSocket()
        peer.send(Array("ping".utf8), to: port)
        peer.send(Array("pong!".utf8), to: port)
        #expect(session.pumpUntilReceived(9, on: 1))
        #expect(Array(session.lines.suffix(2)) == [
            #"#1 < 4 from 127.0.0.1:\#(peer.port) "ping""#,
            #"#1 < 5 from 127.0.0.1:\#(peer.port) "pong!""#,
        ])
        #expect(session.entry(1)?.datagramsIn == 2)
        #expect(session.entry(1)?.lastPeer?.description == "127.0.0.1:\(peer.port)")
    }

    @Test func unixStreamListenerServesAPeerAndRemovesItsFileOnClose() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("listen.sock")
        let session = try EngineSession()
        #expect(session.status("listen unix \(path)") == Status.ok("#1 listening on unix \(path)"))
        #expect(session.lines == ["#1 listening unix \(path) backlog 128"])
        #expect(directory.names == ["listen.sock"])

        let peer = try PeerConnection.connect(path: path)
        defer { peer.close() }
        peer.send("over unix\n")
        #expect(session.pumpUntilReceived(10, on: 2))
        #expect(session.lines.contains("#2 accepted a local peer via #1"))
        #expect(session.lines.last == #"#2 < 10 "over unix\n""#)
        #expect(session.status("close #1") == Status.ok("closed #1"))
        #expect(directory.names.isEmpty, "the listener's socket file outlived it")
    }

    @Test func aStaleUnixSocketFileIsReplacedButOtherFilesAreKept() throws {
        let directory = try TemporaryDirectory()
        let stale = directory.file("stale.sock")
        let dead = try listeningSocket(.unix(stale), backlog: 1)
        close(dead.fd) // the file stays; nobody answers on it
        let session = try EngineSession()
        #expect(session.status("listen unix \(stale)").ok)
        let peer = try PeerConnection.connect(path: stale)
        peer.close()
        #expect(session.pump(until: { session.entry(2)?.state == .closed }))

        try directory.write("plain", "not a socket")
        let before = session.snapshot
        let status = session.failing("listen unix \(directory.file("plain"))")
        #expect(status == Status.error("bind \(directory.file("plain")): EADDRINUSE (Address already in use)"))
        #expect(session.snapshot == before)
        #expect(directory.read("plain") == Array("not a socket".utf8))
    }

    @Test(.enabled(if: ipv6LoopbackAvailable())) func ipv6Loopback() throws {
        let session = try EngineSession()
        let port = closedPort()
        #expect(session.status("listen [::1]:\(port)") == Status.ok("#1 listening on tcp [::1]:\(port)"))
        let peer = try PeerConnection.connect(port: port, host: "::1")
        defer { peer.close() }
        peer.send("v6")
        #expect(session.pumpUntilReceived(2, on: 2))
        #expect(session.lines.contains("#2 accepted \(peer.localDescription) via #1"))
    }

    /// `*:PORT` is one dual-stack socket: IPv4 and IPv6 peers both get in, and the log warns.
    @Test func allInterfacesServesIPv4AndIPv6AndWarns() throws {
        let session = try EngineSession()
        let status = session.status("listen *:0")
        let port = session.port(of: 1)
        let local = try #require(session.entry(1)?.local)
        if local.family == AF_INET6 {
            #expect(status == Status.ok("#1 listening on tcp [::]:\(port) (port \(port) picked by the kernel)"))
            #expect(session.lines.first == "#1 listening tcp [::]:\(port) (all interfaces) backlog 128")
        } else {
            #expect(local.description == "0.0.0.0:\(port)")
        }
        #expect(session.lines.last == "#1 ! bound to all interfaces: other machines can connect")

        let v4 = try PeerConnection.connect(port: port, host: "127.0.0.1")
        defer { v4.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }))
        #expect(session.entry(2)?.remote?.host.hasSuffix("127.0.0.1") == true)
        if local.family == AF_INET6 {
            let v6 = try PeerConnection.connect(port: port, host: "::1")
            defer { v6.close() }
            #expect(session.pump(until: { session.entry(3)?.state == .established }))
            #expect(session.entry(3)?.remote?.description == v6.localDescription)
        }
    }
}
