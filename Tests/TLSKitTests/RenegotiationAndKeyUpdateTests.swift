// RenegotiationAndKeyUpdateTests.swift — a TLS 1.2 renegotiation attempt is refused (an event, a
// no_renegotiation alert) from either side; a TLS 1.3 key update is simply followed.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct RenegotiationAndKeyUpdateTests {
    /// `r` on s_server's input sends a HelloRequest; our client refuses it.
    @Test func aServerAskingToRenegotiateIsRefused() throws {
        let directory = TemporaryDirectory()
        let (server, port) = try startSServer(["-tls1_2"], in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try trustingClient(), fd: try loop.connect(port: port), system: loop.system)
        var events: [TLSEvent] = []
        session.onEvent = { events.append($0) }
        _ = try #require(loop.handshake(session).value)
        #expect(server.waitForOutput("CIPHER is"))
        server.write("r\n")
        let (_, ending, _) = loop.read(session, timeout: 5) { _ in events.contains(.renegotiationRefused) }
        #expect(events.contains(.renegotiationRefused), "\(events) \(String(describing: ending))\n\(server.output)")
        #expect(TLSEvent.renegotiationRefused.description == "renegotiation attempt refused (alert sent: warning no_renegotiation)")
        // s_server gives up on the connection (OpenSSL 3 treats the refusal as a handshake failure).
        let (_, after, _) = loop.read(session, timeout: 5)
        #expect(after?.error?.description == "read: sslv3 alert handshake failure", "\(String(describing: after))")
        #expect(events.contains(.alertReceived(TLSAlert(fatal: true, code: 40))))
    }

    /// Our server and an `s_client ARGUMENTS` connected to it, handshaken, with the session's events.
    private final class SClientConnection {
        let server: ServerUnderTest
        let client: PeerProcess
        let session: TLSSession
        var events: [TLSEvent] = []

        init(_ arguments: [String]) throws {
            server = try ServerUnderTest()
            client = try server.sClient(arguments)
            session = try server.accept()
            session.onEvent = { [unowned self] in events.append($0) }
            _ = try #require(server.loop.handshake(session).value)
            #expect(client.waitForOutput("Verify return code"))
        }

        deinit { client.kill() }
    }

    /// `R` on s_client's input renegotiates; our server refuses.
    @Test func aClientAskingToRenegotiateIsRefused() throws {
        let connection = try SClientConnection(["-tls1_2"])
        let (server, client, session) = (connection.server, connection.client, connection.session)
        client.write("R\n")
        let (_, ending, _) = server.loop.read(session, timeout: 5)
        #expect(connection.events.contains(.renegotiationRefused), "\(connection.events)\n\(client.output)")
        #expect(client.waitForOutput("no renegotiation"), "\(client.output)")
        // s_client fails its own renegotiation and says so with a fatal alert.
        #expect(ending?.error?.description == "read: sslv3 alert handshake failure", "\(String(describing: ending))")
        #expect(connection.events.contains(.alertReceived(TLSAlert(fatal: true, code: 40))))
    }

    /// `K` on s_client's input sends a KeyUpdate asking for ours: the session answers and goes on.
    @Test func aKeyUpdateIsFollowed() throws {
        let connection = try SClientConnection(["-tls1_3"])
        let (server, client, session) = (connection.server, connection.client, connection.session)
        client.write("K\n")
        #expect(client.waitForOutput("KEYUPDATE"), "\(client.output)")
        client.write("after the update\n")
        #expect(server.loop.read(session, untilContains: "after the update\n").ending == nil)
        #expect(server.loop.writeAll(session, "answer under new keys\n").value != nil)
        #expect(client.waitForOutput("answer under new keys"), "\(client.output)")
        #expect(connection.events.filter { if case .handshakeDone = $0 { false } else { true } }.isEmpty, "\(connection.events)")
    }
}
