// ClientCertificateTests.swift — client certificates both ways: our client presenting one to
// `openssl s_server -Verify 1`, and our server's clientcert=off|ask|require against `s_client`.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct ClientCertificateTests {
    let certificates = TestCertificates.shared

    @Test func ourClientPresentsItsCertificateToSServer() throws {
        let directory = TemporaryDirectory()
        let (server, port) = try startSServer(["-Verify", "1", "-CAfile", certificates.ca, "-rev"], in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let context = try TLSContext(client: TLSClientConfiguration(
            host: "localhost", caFile: certificates.localhost.certificate,
            certificateFile: certificates.signedClient.certificate, keyFile: certificates.signedClient.key))
        #expect(context.localCertificate?.subject == "CN=sockpit signed client")
        let session = try TLSSession(context: context, fd: try loop.connect(port: port), system: loop.system)
        _ = try #require(loop.handshake(session).value, "\(session.state)\n\(server.output)")
        #expect(loop.writeAll(session, "abc\n").value == 4)
        #expect(loop.read(session, untilContains: "cba").ending == nil, "\(server.output)")
        #expect(server.waitForOutput("depth=0 CN = sockpit signed client\nverify return:1"), "\(server.output)")
    }

    /// In TLS 1.3 the client finishes first; the server's refusal arrives as an alert on the first read.
    @Test func withoutOneSServerRefusesWithAnAlert() throws {
        let directory = TemporaryDirectory()
        let (server, port) = try startSServer(["-Verify", "1", "-CAfile", certificates.ca, "-rev"], in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try trustingClient(), fd: try loop.connect(port: port), system: loop.system)
        var events: [String] = []
        session.onEvent = { if case .handshakeDone = $0 {} else { events.append($0.description) } }
        _ = try #require(loop.handshake(session).value)
        let (_, ending, _) = loop.read(session)
        #expect(ending?.error?.description == "read: tlsv13 alert certificate required", "\(String(describing: ending))")
        #expect(events == ["alert received: fatal certificate_required"])
    }

    @Test func aKeyInTheCertificateFileIsFound() throws {
        let directory = TemporaryDirectory()
        let combined = directory.write("combined.pem", try String(contentsOfFile: certificates.selfSignedClient.certificate, encoding: .utf8)
                                           + String(contentsOfFile: certificates.selfSignedClient.key, encoding: .utf8))
        let context = try TLSContext(client: TLSClientConfiguration(host: "localhost", certificateFile: combined))
        #expect(context.localCertificate?.subject == "CN=sockpit test client")
    }

    // MARK: Our server

    /// One s_client connection to our server with `policy`; the server, its session and the client stay alive together.
    private struct Served {
        let server: ServerUnderTest
        let peer: PeerProcess
        let session: TLSSession
        let outcome: TLSOutcome<TLSHandshakeSummary>
    }

    private func serve(_ policy: ClientCertificatePolicy, ca: String? = nil, clientArguments: [String]) throws -> Served {
        let server = try ServerUnderTest(TLSServerConfiguration(clientCertificates: policy, clientCAFile: ca))
        let client = try server.sClient(clientArguments)
        let session = try server.accept()
        return Served(server: server, peer: client, session: session, outcome: server.loop.handshake(session))
    }

    @Test func offAsksForNone() throws {
        let client = certificates.selfSignedClient
        let served = try serve(.off, clientArguments: ["-cert", client.certificate, "-key", client.key])
        let outcome = served.outcome
        defer { served.peer.kill() }
        #expect(outcome.value?.peerCertificate == nil, "\(outcome)")
        #expect(outcome.value?.verification == nil)
    }

    @Test func askTakesACertificateAndReportsItsVerification() throws {
        let client = certificates.selfSignedClient
        let served = try serve(.ask, clientArguments: ["-cert", client.certificate, "-key", client.key])
        let outcome = served.outcome
        defer { served.peer.kill() }
        let summary = try #require(outcome.value, "\(outcome)\n\(served.peer.output)")
        #expect(summary.peerCertificate?.subject == "CN=sockpit test client")
        #expect(summary.verification == TLSVerification(code: 18, reason: "self-signed certificate", enforced: false))
    }

    @Test func askLetsAClientWithoutOneIn() throws {
        let served = try serve(.ask, clientArguments: [])
        let outcome = served.outcome
        defer { served.peer.kill() }
        let summary = try #require(outcome.value, "\(outcome)")
        #expect(summary.peerCertificate == nil)
        #expect(summary.description.hasSuffix("no client certificate"))
    }

    @Test func requireRefusesAClientWithoutOne() throws {
        let served = try serve(.require, clientArguments: [])
        let outcome = served.outcome
        defer { served.peer.kill() }
        let error = try #require(outcome.error, "\(outcome)")
        #expect(error.kind == .protocolError)
        #expect(error.description == "handshake: peer did not return a certificate")
        #expect(served.peer.waitForOutput("alert certificate required"), "\(served.peer.output)")
    }

    @Test func requireWithoutCAAcceptsAnyCertificate() throws {
        let client = certificates.selfSignedClient
        let served = try serve(.require, clientArguments: ["-cert", client.certificate, "-key", client.key])
        let outcome = served.outcome
        defer { served.peer.kill() }
        #expect(outcome.value?.verification?.description == "self-signed certificate (not enforced)", "\(outcome)")
    }

    @Test func requireWithCAVerifiesIt() throws {
        let signed = certificates.signedClient
        let trusted = try serve(.require, ca: certificates.ca, clientArguments: ["-cert", signed.certificate, "-key", signed.key])
        let good = trusted.outcome
        defer { trusted.peer.kill() }
        #expect(good.value?.verification == TLSVerification(code: 0, reason: "ok", enforced: true), "\(good)")
        #expect(good.value?.peerCertificate?.issuer == "CN=sockpit test CA")

        let stranger = certificates.selfSignedClient
        let refused = try serve(.require, ca: certificates.ca, clientArguments: ["-cert", stranger.certificate, "-key", stranger.key])
        let bad = refused.outcome
        defer { refused.peer.kill() }
        #expect(bad.error?.kind == .verification, "\(bad)")
        #expect(bad.error?.description == "handshake: certificate verify failed: self-signed certificate")
    }
}
