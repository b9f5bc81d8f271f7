// ClientAgainstSServerTests.swift — our client against `openssl s_server`: the seed's strrev over
// TLS (`-rev`), TLS 1.2 and 1.3, ALPN, SNI (s_server picks a second certificate by name).

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

/// `openssl s_server` on 127.0.0.1:0 with the localhost certificate and `extra` options.
func startSServer(_ extra: [String], certificate: CertificateFiles = TestCertificates.shared.localhost,
                  in directory: TemporaryDirectory) throws -> (PeerProcess, UInt16) {
    let server = try PeerProcess.openssl(["s_server", "-accept", "127.0.0.1:0", "-cert", certificate.certificate,
                                          "-key", certificate.key] + extra, in: directory)
    return (server, try server.waitForPort())
}

/// A client context trusting the test certificates' self-signed localhost certificate.
func trustingClient(host: String = "localhost", serverName: String? = nil, alpn: [String] = [],
                    settings: TLSProtocolSettings = TLSProtocolSettings(), caFile: String = TestCertificates.shared.localhost.certificate) throws -> TLSContext {
    var settings = settings
    if !alpn.isEmpty { settings.alpn = alpn }
    return try TLSContext(client: TLSClientConfiguration(host: host, serverName: serverName, caFile: caFile, settings: settings))
}

@Suite struct ClientAgainstSServerTests {
    @Test(arguments: [TLSVersion.tls13, .tls12])
    func reversesLinesOverEachVersion(version: TLSVersion) throws {
        let directory = TemporaryDirectory()
        let (server, port) = try startSServer(["-rev", version == .tls13 ? "-tls1_3" : "-tls1_2"], in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try trustingClient(), fd: try loop.connect(port: port), system: loop.system)
        let summary = try #require(loop.handshake(session).value, "\(session.state)\n\(server.output)")
        #expect(summary.version == version.rawValue)
        #expect(summary.verification == TLSVerification(code: 0, reason: "ok", enforced: true))
        #expect(summary.serverName == "localhost")
        #expect(summary.peerCertificate?.subject == "CN=localhost")
        #expect(summary.peerCertificate?.subjectAlternativeNames == ["DNS:localhost", "IP:127.0.0.1"])
        #expect(summary.peerCertificate?.fingerprint == (try TestCertificates.fingerprint(ofPEM: TestCertificates.shared.localhost.certificate)))
        #expect(session.state == .established)
        #expect(loop.writeAll(session, "hello sockpit\n").value == 14)
        let (text, ending) = loop.read(session, untilContains: "tipkcos olleh")
        #expect(ending == nil, "\(text)")
        #expect(text.contains("tipkcos olleh"))
        #expect(loop.drive(session.fd) { session.shutdown() }.value != nil)
    }
}

extension ClientAgainstSServerTests {
    @Test func alpnOffersOursAndReportsTheServersChoice() throws {
        let directory = TemporaryDirectory()
        let (server, port) = try startSServer(["-alpn", "http/1.1,h2", "-rev"], in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try trustingClient(alpn: ["h2", "http/1.1"]), fd: try loop.connect(port: port), system: loop.system)
        let summary = try #require(loop.handshake(session).value, "\(session.state)")
        // s_server takes the first of *its* list that the client offered.
        #expect(summary.alpn == "http/1.1")
        #expect(summary.offeredALPN == ["h2", "http/1.1"])
        #expect(server.waitForOutput("ALPN protocols advertised by the client: h2, http/1.1"), "\(server.output)")
    }

    /// OpenSSL 3's s_server answers an ALPN list it shares nothing with by a fatal alert.
    @Test func noALPNInCommonWithSServerIsItsFatalAlert() throws {
        let directory = TemporaryDirectory()
        let (server, port) = try startSServer(["-alpn", "imap", "-rev"], in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try trustingClient(alpn: ["h2"]), fd: try loop.connect(port: port), system: loop.system)
        var events: [String] = []
        session.onEvent = { events.append($0.description) }
        let error = try #require(loop.handshake(session).error)
        #expect(error.kind == .protocolError)
        #expect(error.description == "handshake: tlsv1 alert no application protocol")
        #expect(events == ["alert received: fatal no_application_protocol"])
        #expect(session.state == .failed(error))
        #expect(session.interest(reading: true, writing: true) == [])
    }

    /// s_server serves `-cert2` to clients that ask for `-servername`: which certificate we get shows the SNI we sent.
    @Test func sniSelectsTheServersCertificate() throws {
        let directory = TemporaryDirectory()
        let other = TestCertificates.shared.otherName
        let (server, port) = try startSServer(["-servername", "other.test", "-cert2", other.certificate, "-key2", other.key, "-rev"],
                                              in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let byName = try TLSSession(context: try trustingClient(host: "127.0.0.1", serverName: "other.test", caFile: other.certificate),
                                    fd: try loop.connect(port: port), system: loop.system)
        let named = try #require(loop.handshake(byName).value, "\(byName.state)\n\(server.output)")
        #expect(named.serverName == "other.test")
        #expect(named.peerCertificate?.subject == "CN=other.test")
        #expect(named.verification?.ok == true)
        #expect(server.waitForOutput("Hostname in TLS extension: \"other.test\""), "\(server.output)")
        loop.finish(byName)  // s_server serves one connection at a time

        // An IP literal sends no SNI (RFC 6066), gets the default certificate and is checked by IP.
        let byAddress = try TLSSession(context: try trustingClient(host: "127.0.0.1"), fd: try loop.connect(port: port), system: loop.system)
        let addressed = try #require(loop.handshake(byAddress).value, "\(byAddress.state)")
        #expect(addressed.serverName == nil)
        #expect(addressed.peerCertificate?.subject == "CN=localhost")
        #expect(addressed.verification?.ok == true)
    }
}
