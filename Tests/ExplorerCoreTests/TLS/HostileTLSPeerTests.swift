// HostileTLSPeerTests — faulty and hostile peers of `listen tls` (Tests/Peers/python/tls_peers.py
// and openssl s_client): garbage instead of a ClientHello, a stall or a close mid-handshake, a
// fatal alert, a renegotiation attempt, a flood of one-byte records. Each is an event on that
// socket only, and the listener keeps serving the next client.

import Foundation
import Testing
@testable import ExplorerCore

@Suite(.serialized) struct HostileTLSPeerTests {
    /// A `listen tls 0 reply=echo` session and its port.
    private func listener() throws -> (EngineSession, UInt16) {
        let session = try EngineSession()
        #expect(session.run("listen tls 0 reply=echo").allOK)
        return (session, session.port(of: 1))
    }

    /// After a bad peer on #2, a real client still gets through on #3.
    private func expectStillServing(_ session: EngineSession, port: UInt16, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let client = try TLSPeers.client(port: port, ["-ign_eof"])
        client.write("still\n")
        #expect(session.pump(until: { session.bytes(.send, on: 3).count >= 6 }, timeout: 10), "\(session.lines)", sourceLocation: sourceLocation)
        client.finish(timeout: 2)
        #expect(session.entry(1)?.state == .listening, sourceLocation: sourceLocation)
    }

    @Test func garbageInsteadOfAHandshakeIsAnErrorOnThatSocketOnly() throws {
        let (session, port) = try listener()
        let peer = try TLSPeers.python("garbage", ["\(port)"])
        #expect(session.pump(until: { session.entry(2)?.state.isOpen == false }, timeout: 10))
        var found: [String: Any]?
        session.pump(until: { found = peer.reportLine(timeout: 0.05); return found != nil }, timeout: 10)
        let report = try #require(found, "\(peer.transcript)")
        #expect(session.lines(containing: "#2 ✗ tls handshake with").contains { $0.contains("failed: http request") }, "\(session.lines)")
        #expect(session.bytes(.recv, on: 2).isEmpty, "garbage is not data")
        #expect(report["received"] as? Int == 0, "no bytes go back but, maybe, an alert: \(report)")
        try expectStillServing(session, port: port)
    }

    @Test func aPeerThatStallsMidHandshakeIsClosedAtTheHandshakeTimeout() throws {
        let (session, port) = try listener()
        let peer = try TLSPeers.python("stall", ["\(port)"])
        #expect(session.pump(until: { session.entry(2)?.tls?.phase == .handshaking }, timeout: 10))
        #expect(session.entry(2)?.shownState == "handshake…")
        #expect(session.pump(until: { session.entry(2)?.state.isOpen == false }, timeout: 20))
        #expect(!session.lines(containing: "#2 ✗ tls handshake with").filter { $0.contains("no handshake after 10 s") }.isEmpty, "\(session.lines)")
        var report: [String: Any]?
        session.pump(until: { report = peer.reportLine(timeout: 0.05); return report != nil }, timeout: 10)
        let waited = try #require(report?["waited"] as? Double, "\(peer.transcript)")
        #expect(waited >= 9 && waited < 15, "\(waited)")
        try expectStillServing(session, port: port)
    }

    @Test func aCloseMidHandshakeIsAnEventOnThatSocketOnly() throws {
        let (session, port) = try listener()
        let cut = try TLSPeers.python("cut", ["\(port)"])
        #expect(session.pump(until: { session.entry(2)?.state.isOpen == false }, timeout: 10), "\(session.lines)")
        cut.finish(timeout: 5)
        #expect(!session.lines(containing: "#2 ✗ tls handshake").filter { $0.contains("closed the connection") }.isEmpty, "\(session.lines)")
        try expectStillServing(session, port: port)
    }

    @Test func aServerAnsweringWithAFatalAlertIsNamedInTheFailure() throws {
        let server = try TLSPeers.python("alert-server", [])
        let port = try #require(server.announcedNumber("PORT"), "\(server.transcript)")
        let session = try EngineSession()
        let status = session.failing("connect tls 127.0.0.1:\(port) verify=off")
        #expect(status.message.contains("alert handshake failure"), "\(status)")
        #expect(!session.lines(containing: "#1 tls alert received: fatal handshake_failure").isEmpty, "\(session.lines)")
        server.finish(timeout: 5)
    }

    @Test func aRenegotiationAttemptIsRefusedAndNamed() throws {
        let (session, port) = try listener()
        let client = try TLSPeers.client(port: port, ["-tls1_2"])
        #expect(session.pump(until: { session.entry(2)?.tls?.phase == .established }, timeout: 10), "\(session.lines)")
        client.write("R\n")  // s_client renegotiates on a line that is just R
        #expect(session.pump(until: { !session.lines(containing: "#2 ! tls renegotiation attempt refused").isEmpty }, timeout: 10),
                "\(session.lines) \(client.transcript)")
        client.finish(timeout: 2)
    }

    @Test func aFloodOfOneByteRecordsArrivesWholeWithinTheReadBudget() throws {
        let (session, port) = try listener()
        _ = session.run("reply #1 off")
        let count = 20_000
        let peer = try TLSPeers.python("tiny", ["\(port)", "\(count)"])
        let statuses = session.run("wait #1 connected", "expect #2 END timeout=60", #"send #2 "ok\n""#, timeout: 70)
        #expect(statuses.allOK, "\(statuses) \(peer.transcript)")
        var report: [String: Any]?
        session.pump(until: { report = peer.reportLine(timeout: 0.05); return report != nil }, timeout: 20)
        #expect(report?["answer"] as? String == "ok\n", "\(peer.transcript)")
        let received = session.bytes(.recv, on: 2)
        #expect(received.count == count + 4)
        #expect(received.prefix(count).allSatisfy { $0 == UInt8(ascii: "x") })
    }
}
