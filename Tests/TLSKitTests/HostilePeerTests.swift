// HostilePeerTests.swift — peers that break the rules, raw TCP on the other side: garbage instead
// of a ServerHello or ClientHello, a close or reset mid-handshake, a stall, a fatal alert, a flood of
// warning alerts, an oversized record. Each ends as an error value on that session only, with
// OpenSSL's reason; nothing is left behind (the session and its SSL are freed).

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct HostilePeerTests {
    /// Our client connected to a raw listener the test plays; `hostile` gets the accepted descriptor
    /// once the ClientHello is in, and the client's handshake is then driven to its end.
    private func clientMeets(timeout: Double = 10, _ hostile: (TestLoop, FileDescriptor) throws -> Void)
        throws -> (outcome: TLSOutcome<TLSHandshakeSummary>, events: [String], released: Bool) {
        let loop = try TestLoop()
        let (listener, port) = try loop.listen()
        var context: TLSContext? = try trustingClient()
        var session: TLSSession? = try TLSSession(context: context!, fd: try loop.connect(port: port), system: loop.system)
        weak let released = session
        weak let releasedContext = context
        context = nil
        var events: [String] = []
        session?.onEvent = { events.append($0.description) }
        #expect(session?.handshake() == .wantRead)  // the ClientHello is sent
        let peer = try loop.accept(listener)
        _ = try loop.receivePlain(peer) { $0.count >= 5 && $0.count >= 5 + Int($0[3]) << 8 + Int($0[4]) }
        try hostile(loop, peer)
        let outcome = loop.handshake(session!, timeout: timeout)
        session = nil
        return (outcome, events, released == nil && releasedContext == nil)
    }

    @Test func garbageInsteadOfAServerHello() throws {
        let (outcome, events, released) = try clientMeets { loop, peer in
            try loop.sendPlain(peer, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
        }
        let error = try #require(outcome.error)
        #expect(error.kind == .protocolError)
        #expect(error.description == "handshake: wrong version number")
        #expect(events.isEmpty)  // OpenSSL answers a non-TLS record with no alert
        #expect(released)
    }

    @Test func aCloseMidHandshake() throws {
        let (outcome, events, released) = try clientMeets { loop, peer in loop.close(peer) }
        let error = try #require(outcome.error)
        #expect(error.kind == .closedDuringHandshake)
        #expect(error.description == "handshake: the peer closed the connection (unexpected eof while reading)")
        #expect(events == ["alert sent: fatal decode_error"])  // OpenSSL's answer to the truncated handshake
        #expect(released)
    }

    @Test func aResetMidHandshake() throws {
        let (outcome, _, released) = try clientMeets { loop, peer in
            try loop.system.setAbortiveClose(peer)
            loop.close(peer)
        }
        let error = try #require(outcome.error)
        #expect(error.kind == .system)
        #expect(error.description == "handshake: recv: ECONNRESET (Connection reset by peer)")
        #expect(error.systemError?.code == ECONNRESET)
        #expect(released)
    }

    /// A stall is the caller's timeout to call: the session only ever says wantRead, and costs nothing.
    @Test func aStallIsJustWantRead() throws {
        let (outcome, events, released) = try clientMeets(timeout: 0.3) { _, _ in }
        #expect(outcome == .wantRead)
        #expect(events.isEmpty)
        #expect(released)
    }

    @Test func aFatalAlert() throws {
        let (outcome, events, _) = try clientMeets { loop, peer in
            try loop.sendPlain(peer, [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40])  // fatal handshake_failure
        }
        #expect(outcome.error?.kind == .protocolError)
        #expect(outcome.error?.description == "handshake: sslv3 alert handshake failure")
        #expect(events == ["alert received: fatal handshake_failure"])
    }

    /// OpenSSL gives up after a few warning alerts in a row: the flood ends as an error, not a loop.
    @Test func aFloodOfWarningAlerts() throws {
        let (outcome, events, _) = try clientMeets { loop, peer in
            let warning: [UInt8] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 90]  // warning user_canceled
            try loop.sendPlain(peer, Array((0..<1000).map { _ in warning }.joined()))
        }
        #expect(outcome.error?.description == "handshake: too many warn alerts", "\(outcome)")
        #expect(events.prefix(5) == Array(repeating: "alert received: warning user_canceled", count: 5)[...], "\(events)")
        #expect(events.count <= 64)
    }

    @Test func anOversizedRecord() throws {
        let (outcome, _, _) = try clientMeets { loop, peer in
            try loop.sendPlain(peer, [0x16, 0x03, 0x03, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 1000))
        }
        #expect(outcome.error?.kind == .protocolError)
        #expect(outcome.error?.description == "handshake: packet length too long", "\(outcome)")
    }

    @Test func randomBytesAreAlwaysAnErrorValue() throws {
        var generator = XorShift(seed: 10)
        for round in 0..<12 {
            let garbage = (0..<(1 + Int(generator.next() % 4096))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let (outcome, _, released) = try clientMeets(timeout: 2) { loop, peer in
                try loop.sendPlain(peer, garbage)
                loop.close(peer)
            }
            #expect(outcome.error != nil, "round \(round): \(outcome)")
            #expect(released)
        }
    }

    // MARK: Against our server

    /// Our server meets a raw client that sends `bytes` (and then closes when `close`).
    private func serverMeets(_ bytes: [UInt8], close: Bool = false, timeout: Double = 10,
                             context: TLSContext? = nil) throws -> TLSOutcome<TLSHandshakeSummary> {
        let loop = try TestLoop()
        let (listener, port) = try loop.listen()
        let client = try loop.connect(port: port)
        let session = try TLSSession(context: try context ?? TLSContext(server: TLSServerConfiguration()),
                                     fd: try loop.accept(listener), system: loop.system)
        try loop.sendPlain(client, bytes)
        if close { loop.close(client) }
        return loop.handshake(session, timeout: timeout)
    }

    @Test func aClientThatStallsOrClosesMidHandshake() throws {
        let start: [UInt8] = [0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFC, 0x03, 0x03]  // a ClientHello's first bytes
        #expect(try serverMeets(start, timeout: 0.3) == .wantRead)
        let closed = try serverMeets(start, close: true)
        #expect(closed.error?.kind == .closedDuringHandshake, "\(closed)")
    }

    /// One context serves every connection: a hostile one fails alone and the next is served.
    @Test func aFailedSessionLeavesTheContextServing() throws {
        let context = try TLSContext(server: TLSServerConfiguration())
        #expect(try serverMeets(Array("GET / HTTP/1.0\r\n\r\n".utf8), context: context).error?.description == "handshake: http request")
        let loop = try TestLoop()
        let (listener, port) = try loop.listen()
        let directory = TemporaryDirectory()
        let client = try PeerProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)"], in: directory)
        defer { client.kill() }
        let session = try TLSSession(context: context, fd: try loop.accept(listener), system: loop.system)
        #expect(loop.handshake(session).value != nil, "\(session.state)")
        #expect(client.waitForOutput("Verify return code"), "\(client.output)")
    }

    @Test func plainHTTPInsteadOfAClientHello() throws {
        let outcome = try serverMeets(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        #expect(outcome.error?.description == "handshake: http request", "\(outcome)")
    }

    @Test func anHTTPSProxyRequestInsteadOfAClientHello() throws {
        let outcome = try serverMeets(Array("CONNECT example.org:443 HTTP/1.1\r\n\r\n".utf8))
        #expect(outcome.error?.description == "handshake: https proxy request", "\(outcome)")
    }

    @Test func bytesThatAreNotTLS() throws {
        let outcome = try serverMeets(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8))
        #expect(outcome.error?.kind == .protocolError)
        #expect(outcome.error?.description == "handshake: wrong version number", "\(outcome)")
    }
}

/// A seeded xorshift64* generator, so the garbage is the same on every run.
struct XorShift {
    private var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
