// RelayTests — `relay` against real peers on loopback: bytes both ways, each chunk logged once
// with its direction, FIN passed on as a half-close, RST as a reset, a refused or black-holed
// server closing the client with the errno, back-pressure from a server that does not read, and
// Unix sockets on either side.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("relay")
struct RelayTests {
    /// An echo server: everything each peer sends comes back, until the peer's EOF; then it closes.
    static func echoServer() throws -> PeerServer {
        try PeerServer { peer in
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(peer.fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                peer.send(Array(chunk[0..<count]))
            }
            peer.close()
        }
    }

    /// A session with `relay 0 127.0.0.1:PORT OPTIONS` (#1) and a client connected to it.
    static func relayedClient(to port: UInt16, _ options: String = "") throws -> (EngineSession, PeerConnection) {
        let session = try EngineSession()
        let started = session.status("relay 0 127.0.0.1:\(port) \(options)")
        #expect(started.ok && started.message.contains("#1 relaying tcp 127.0.0.1:"), "\(started)")
        return (session, try PeerConnection.connect(port: session.port(of: 1)))
    }

    @Test("bytes go both ways; each chunk is logged once, on the leg it arrived on, with its direction")
    func echoesThroughThePair() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let (session, client) = try Self.relayedClient(to: server.port)
        defer { client.close() }
        #expect(session.pump(until: { session.entry(3)?.state == .established }))
        client.send("hello relay")
        #expect(session.read(client, count: 11) == Array("hello relay".utf8))
        #expect(session.entry(2)?.relay?.part == .clientLeg(partner: SocketID(3)))
        #expect(session.entry(3)?.relay?.part == .serverLeg(partner: SocketID(2)))
        #expect(session.entry(1)?.relay?.pairs == 1)
        let data = session.entries.filter { $0.kind.isData }
        #expect(data.map(\.kind) == [.recv, .recv], "\(session.lines)")
        #expect(data.first?.relay == RelayMark(direction: .up, partner: SocketID(3)))
        #expect(data.last?.relay == RelayMark(direction: .down, partner: SocketID(2)))
        #expect(session.lines.contains(#"#2 < 11 c→s #3 "hello relay""#), "\(session.lines)")
        // The bytes forwarded still count on the leg that wrote them.
        #expect(session.entry(3)?.bytesOut == 11)
        #expect(session.entry(2)?.bytesOut == 11)
        let info = session.status("info #2")
        #expect(info.ok)
        #expect(session.lines.contains { $0.contains("relay client leg (reads client→server) of #1, paired with #3") }, "\(session.lines)")
    }

    @Test("the client's FIN reaches the server as a half-close; its answer still comes back; then both legs close")
    func passesHalfClose() throws {
        let server = try PeerServer { peer in
            let request = peer.receiveUntilEOF()
            peer.send("got \(request.count) bytes")
            peer.close()
        }
        defer { server.stop() }
        let (session, client) = try Self.relayedClient(to: server.port)
        defer { client.close() }
        client.send("12345")
        client.shutdownWrite()
        let answer = session.readUntilClosed(client)
        #expect(answer.bytes == Array("got 5 bytes".utf8))
        #expect(answer.eof)
        #expect(session.pump(until: { session.entry(2)?.state == .closed && session.entry(3)?.state == .closed }), "\(session.lines)")
        #expect(session.lines.contains("#3 shutdown wr (passing on #2's eof)"), "\(session.lines)")
        #expect(session.entry(1)?.relay?.pairs == 0)
    }

    @Test("a server's reset is passed on to the client as a reset")
    func passesReset() throws {
        let server = try PeerServer { peer in
            _ = peer.receive(count: 4)
            peer.reset()
        }
        defer { server.stop() }
        let (session, client) = try Self.relayedClient(to: server.port)
        defer { client.close() }
        client.send("ping")
        let result = session.readUntilClosed(client)
        #expect(result.error == ECONNRESET, "\(result) \(session.lines)")
        #expect(session.lines.contains("#2 reset sent (passing on #3's reset)"), "\(session.lines)")
    }

    @Test("a server that refuses closes the client at once, the errno named on the client leg")
    func refusedServerClosesClient() throws {
        let (session, client) = try Self.relayedClient(to: closedPort())
        defer { client.close() }
        let result = session.readUntilClosed(client, timeout: 5)
        #expect(result.eof && result.bytes.isEmpty)
        #expect(session.lines.contains { $0.hasPrefix("#2 ✗ server leg #3: connect 127.0.0.1:") && $0.contains("ECONNREFUSED") }, "\(session.lines)")
        #expect(session.entry(2)?.state == .closed)
    }

    @Test("a black-holed server times out after timeout= and closes the client with ETIMEDOUT")
    func blackHoledServerTimesOut() throws {
        let stuck = try StuckListener()
        let (session, client) = try Self.relayedClient(to: stuck.port, "timeout=0.3")
        defer { client.close() }
        client.send("waiting")
        let result = session.readUntilClosed(client, timeout: 5)
        // The client's bytes were never read (the leg waits for its server), and Linux answers a
        // close with unread bytes with RST: the client sees a reset rather than EOF.
        #expect(result.error == ECONNRESET, "\(result)")
        #expect(session.lines.contains { $0.hasPrefix("#2 ✗ server leg #3:") && $0.contains("ETIMEDOUT") }, "\(session.lines)")
    }

    @Test("a server that does not read holds the client leg (far side slow) with the queue bounded, and every byte arrives once it reads")
    func backPressure() throws {
        // Made before the server exists: under ThreadSanitizer on busy cores 12 MiB of pattern took
        // longer than the server's wait, which then read nothing, closed, and failed the test.
        let payload = patternBytes(12 << 20)
        let gate = Shared(false)
        let received = Shared<[UInt8]>([])
        let server = try PeerServer(receiveBuffer: 16 << 10) { peer in
            // Bounded, but well past the test's own limits (10 s to be held, 30 s to arrive).
            let deadline = Date().addingTimeInterval(60)
            while !gate.current && Date() < deadline { usleep(5_000) }
            let bytes = peer.receiveUntilEOF(timeout: 20)
            received.set(bytes)
            peer.close()
        }
        defer { server.stop() }
        let (session, client) = try Self.relayedClient(to: server.port)
        defer { client.close() }
        #expect(session.pump(until: { session.entry(3)?.state == .established }))
        let sender = Thread { client.send(payload); client.shutdownWrite() }
        sender.start()
        #expect(session.pump(until: { session.entry(2)?.held == "far side slow" }, timeout: 10), "\(String(describing: session.entry(2)))\n\(session.lines.suffix(30).map { $0.prefix(200) })")
        // Held: the forwarded bytes wait in the kernel, not in sockpit.
        #expect((session.engine.queuedOutboundBytes) <= Limits.relayQueuePerLeg + Limits.streamReadSize)
        gate.set(true)
        #expect(session.pump(until: { received.current.count == payload.count }, timeout: 30))
        #expect(byteDifference(received.current, payload) == nil)
    }

    @Test("unix ⇄ tcp both ways: relay unix PATH HOST:PORT and relay PORT unix PATH")
    func unixSides() throws {
        let directory = try TemporaryDirectory()
        let server = try Self.echoServer()
        defer { server.stop() }
        let session = try EngineSession()
        let path = directory.file("relay.sock")
        #expect(session.status("relay unix \(path) 127.0.0.1:\(server.port)").ok)
        // A second relay from TCP to the first one's Unix socket: tcp → unix → tcp → echo.
        #expect(session.status("relay 0 unix \(path)").ok, "\(session.lines)")
        let client = try PeerConnection.connect(port: session.port(of: 2))
        defer { client.close() }
        client.send("through two relays")
        #expect(session.read(client, count: 18) == Array("through two relays".utf8), "\(session.lines)")
        #expect(session.engine.table.listeners.compactMap(\.relay).map(\.pairs) == [1, 1])
    }

    @Test("relay refuses what it cannot do, changing nothing")
    func badInput() throws {
        let session = try EngineSession()
        let mixed = session.failing("relay udp 0 tcp 127.0.0.1:80")
        #expect(mixed.message.contains("udp on both sides or neither"))
        #expect(session.failing("relay 0").message.contains("expected HOST:PORT or PATH to connect to"))
        #expect(session.failing("relay 0 127.0.0.1:0").message.contains("port 0 is no destination"))
        #expect(session.failing("intercept #1 on").message.contains("no socket #1"))
        #expect(session.status("listen 0").ok)
        #expect(session.failing("intercept #1 on").message.contains("#1 is not part of a relay"))
        #expect(session.failing("forward #1").message.contains("#1 is not part of a relay"))
    }
}
