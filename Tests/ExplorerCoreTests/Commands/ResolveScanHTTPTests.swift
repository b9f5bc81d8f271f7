// ResolveScanHTTPTests.swift — `resolve`, `scan` of loopback ports whose state the test sets up
// (open, closed, filtered), and `http` against a local HTTP server the test starts.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct ResolveScanHTTPTests {
    @Test func resolveLocalhost() throws {
        let session = try EngineSession()
        let status = session.status("resolve localhost")
        #expect(status.ok && status.message.hasPrefix("localhost → ") && status.message.contains("127.0.0.1"), "\(status)")
        #expect(session.lines.first?.hasPrefix("localhost has ") == true, "\(session.lines)")
        #expect(session.lines.contains("  127.0.0.1"))
        #expect(session.engine.table.count == 0)
    }

    @Test func resolveANumericAddressAnswersAtOnce() throws {
        let session = try EngineSession()
        #expect(session.status("resolve ::1") == Status.ok("::1 → ::1"))
        #expect(session.lines == ["::1 has 1 address:", "  ::1"])
    }

    @Test func resolveAnUnknownHostNamesTheEAIError() throws {
        let session = try EngineSession()
        let status = session.failing("resolve nosuch.invalid")
        #expect(status.message.hasPrefix("resolve nosuch.invalid: EAI_"), "\(status)")
        #expect(session.lines.isEmpty)
    }

    /// One port of each kind: a listener (open), nothing (closed), a full backlog that drops SYNs (filtered).
    @Test func scanReportsOpenClosedAndFilteredPorts() throws {
        let open = try listeningSocket(.ipv4("127.0.0.1", 0), backlog: 8)
        defer { close(open.fd) }
        let filtered = try StuckListener()
        let closed = closedPort()
        let session = try EngineSession()
        let status = session.status("scan 127.0.0.1 \(open.port),\(closed),\(filtered.port) timeout=0.3")
        #expect(status.ok && status.message.hasPrefix("scan 127.0.0.1: 1 open, 1 closed, 1 filtered (3 ports in "), "\(status)")
        #expect(!session.lines.contains("scan 127.0.0.1: port \(open.port) open"), "one answer, no event per port")
        #expect(session.lines.filter { $0.hasPrefix("scan 127.0.0.1: ") }.count == 1, "\(session.lines)")
        #expect(session.lines.contains("  \(open.port)/tcp open"))
        #expect(session.lines.contains("  \(closed)/tcp closed"))
        #expect(session.lines.contains("  \(filtered.port)/tcp filtered"))
        #expect(session.engine.table.count == 0, "scan probes are not sockets of the session")
    }

    @Test func scanARangeOfClosedPorts() throws {
        let first = closedPort()
        let session = try EngineSession()
        let status = session.status("scan localhost \(first)-\(first) timeout=1")
        #expect(status.ok && status.message.hasPrefix("scan localhost (127.0.0.1): 0 open, 1 closed, 0 filtered (1 ports in "), "\(status)")
    }

    /// The seed's hand-written GET, on a new connection: the request bytes exactly, the status line in the answer.
    @Test func httpToAHostAndPort() throws {
        let server = try HTTPPeer()
        defer { server.stop() }
        let session = try EngineSession()
        let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n"
        let status = session.status("http 127.0.0.1:\(server.port) /hello")
        #expect(status == Status.ok("HTTP/1.1 200 OK — \(response.utf8.count) bytes on #1"))
        #expect(server.requests.current == [Array(
            "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nUser-Agent: sockpit\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)])
        #expect(session.bytes(.recv, on: 1) == Array(response.utf8))
        #expect(session.entry(1)?.state == .closed)
    }

    /// On an existing connection the Host header still names the server's port (it is not 80).
    @Test func httpOnAnExistingConnection() throws {
        let server = try HTTPPeer(response: "HTTP/1.0 404 Not Found\r\n\r\n")
        defer { server.stop() }
        let session = try EngineSession()
        #expect(session.status("connect 127.0.0.1:\(server.port)").ok)
        #expect(session.status("http #1 /missing") == Status.ok("HTTP/1.0 404 Not Found — 26 bytes on #1"))
        #expect(server.requests.current == [Array(
            "GET /missing HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nUser-Agent: sockpit\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)])
    }

    @Test func httpToARefusedPortFails() throws {
        let port = closedPort()
        let session = try EngineSession()
        #expect(session.failing("http 127.0.0.1:\(port)") == Status.error("connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)"))
    }

    @Test func httpFailsWhenTheServerClosesWithoutAnswering() throws {
        let server = try PeerServer { peer in
            _ = peer.receive(until: { $0.count >= 4 && Array($0.suffix(4)) == Array("\r\n\r\n".utf8) })
            peer.close()
        }
        defer { server.stop() }
        let session = try EngineSession()
        #expect(session.failing("http 127.0.0.1:\(server.port) /") == Status.error("http #1: the server closed without answering"))
    }
}
