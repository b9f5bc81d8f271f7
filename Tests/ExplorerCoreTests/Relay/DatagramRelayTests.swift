// DatagramRelayTests — `relay udp`: each client address gets its own server leg, answers go back
// to the right client from the relay's port, idle legs close, and intercept is refused.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("relay udp")
struct DatagramRelayTests {
    /// A UDP server answering each datagram with `echo:` and the datagram, to the port it came from (bounded).
    private static func echoServer() throws -> PeerDatagramSocket {
        let server = try PeerDatagramSocket()
        Thread.detachNewThread {
            for _ in 0..<50 {
                guard let (bytes, port) = server.receive() else { return }
                server.send(Array("echo:".utf8) + bytes, to: port)
            }
        }
        return server
    }

    /// Receives one datagram on a thread of its own (the engine keeps stepping meanwhile).
    private static func receiveLater(_ socket: PeerDatagramSocket) -> Shared<[UInt8]?> {
        let result = Shared<[UInt8]?>(nil)
        Thread.detachNewThread { result.set(socket.receive()?.bytes) }
        return result
    }

    @Test("two clients, two server legs; each gets its own answers from the relay's port; idle legs close")
    func twoClients() throws {
        let server = try Self.echoServer()
        let session = try EngineSession()
        let started = session.status("relay udp 0 udp 127.0.0.1:\(server.port) idle=0.5")
        #expect(started.ok, "\(started)")
        let relayPort = session.port(of: 1)
        let first = try PeerDatagramSocket()
        let second = try PeerDatagramSocket()
        let firstAnswer = Self.receiveLater(first)
        let secondAnswer = Self.receiveLater(second)
        first.send(Array("one".utf8), to: relayPort)
        second.send(Array("two".utf8), to: relayPort)
        #expect(session.pump(until: { firstAnswer.current != nil && secondAnswer.current != nil }), "\(session.lines)")
        #expect(firstAnswer.current == Array("echo:one".utf8))
        #expect(secondAnswer.current == Array("echo:two".utf8))
        #expect(session.entry(1)?.relay?.pairs == 2)
        let legs = session.engine.table.connections.filter { $0.relay != nil }
        #expect(legs.count == 2)
        #expect(Set(legs.compactMap { $0.relay?.client?.port }) == [first.localPort, second.localPort])
        // Each datagram logged once, where it arrived, with its direction.
        let data = session.entries.filter { $0.kind.isData }
        #expect(data.count == 4, "\(session.lines)")
        #expect(data.filter { $0.relay?.direction == .up }.allSatisfy { $0.socket == SocketID(1) })
        #expect(data.filter { $0.relay?.direction == .down }.count == 2)
        #expect(session.pump(until: { session.entry(1)?.relay?.pairs == 0 }, timeout: 5), "idle legs close")
        #expect(session.lines.contains { $0.hasSuffix("closed (idle)") })
        #expect(session.failing("intercept #1 on").message.contains("udp relay"))
    }
}

extension PeerDatagramSocket {
    /// The port this socket is bound to.
    var localPort: UInt16 { boundPort(fd) }
}
