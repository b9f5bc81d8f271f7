// ServerTests.swift — our server against `openssl s_client` and Python's `ssl`: the generated
// certificate (what the client received is what we made), SNI and ALPN as the client asked, data
// both ways, close_notify at the end.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

/// A server context of ours with `configuration`, a listener, and a client process started against it.
struct ServerUnderTest {
    let loop: TestLoop
    let context: TLSContext
    let listener: FileDescriptor
    let port: UInt16
    let directory = TemporaryDirectory()

    init(_ configuration: TLSServerConfiguration = TLSServerConfiguration()) throws {
        loop = try TestLoop()
        context = try TLSContext(server: configuration)
        (listener, port) = try loop.listen()
    }

    /// The next connection as a server session.
    func accept() throws -> TLSSession {
        try TLSSession(context: context, fd: try loop.accept(listener), system: loop.system)
    }

    /// `openssl s_client -connect 127.0.0.1:PORT ARGUMENTS`.
    func sClient(_ arguments: [String]) throws -> PeerProcess {
        try PeerProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)"] + arguments, in: directory)
    }

    /// The generated certificate as a file a client can trust.
    func certificateFile() throws -> String {
        directory.write("server.pem", try #require(context.localCertificatePEM))
    }
}

/// The first PEM certificate in `text`, written to a file.
func firstPEM(in text: String, directory: TemporaryDirectory) throws -> String {
    let begin = try #require(text.range(of: "-----BEGIN CERTIFICATE-----"))
    let end = try #require(text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex))
    return directory.write("received-\(UUID().uuidString).pem", String(text[begin.lowerBound..<end.upperBound]) + "\n")
}

@Suite struct ServerTests {
    @Test func sClientReceivesTheGeneratedCertificateAndTalks() throws {
        let server = try ServerUnderTest()
        let generated = try #require(server.context.localCertificate)
        let client = try server.sClient(["-servername", "foo.example", "-showcerts", "-CAfile", try server.certificateFile(),
                                         "-verify_hostname", "localhost"])
        defer { client.kill() }
        let session = try server.accept()
        let summary = try #require(server.loop.handshake(session).value, "\(session.state)\n\(client.output)")
        #expect(summary.role == .server)
        #expect(summary.serverName == "foo.example")
        #expect(summary.peerCertificate == nil)
        #expect(summary.description.hasSuffix("no client certificate"))
        #expect(client.waitForOutput("Verification: OK"), "\(client.output)")
        // What s_client received is what we made.
        #expect(client.waitForOutput("-----END CERTIFICATE-----"))
        let received = try firstPEM(in: client.output, directory: server.directory)
        #expect(try TestCertificates.fingerprint(ofPEM: received) == generated.fingerprint)

        client.write("hello from s_client\n")
        #expect(server.loop.read(session, untilContains: "hello from s_client\n").ending == nil)
        #expect(server.loop.writeAll(session, "hello from sockpit\n").value == 19)
        #expect(client.waitForOutput("hello from sockpit"), "\(client.output)")
        client.closeInput()  // s_client sends close_notify at the end of its input
        let (_, ending, _) = server.loop.read(session)
        #expect(ending == .closed(.closeNotify))
        #expect(server.loop.drive(session.fd) { session.shutdown() } == .done(.complete))
        #expect(client.waitForExit())
    }

    @Test func theGeneratedCertificateIsValidForLocalhostAndItsAddresses() throws {
        for name in ["localhost", "127.0.0.1", "::1"] {
            let server = try ServerUnderTest()
            let python = try PythonTLSPeer.start("client", ["--port", "\(server.port)", "--cafile", try server.certificateFile(),
                                                            "--sni", name, "--read"], in: server.directory)
            defer { python.kill() }
            let session = try server.accept()
            _ = try #require(server.loop.handshake(session).value, "\(name): \(session.state)\n\(python.output)")
            let details = try #require(PythonTLSPeer.details(python), "\(name): \(python.output)")
            let expected = try #require(server.context.localCertificate).sha256.map { String(format: "%02x", $0) }.joined()
            #expect(details["peer_sha256"] as? String == expected)
            #expect(details["version"] as? String == "TLSv1.3")
            #expect(server.loop.writeAll(session, "for \(name)").value != nil)
            server.loop.finish(session)
            #expect(python.waitForOutput("RECEIVED \"for \(name)\""), "\(python.output)")
        }
    }

    @Test func alpnChoosesOurFirstProtocolTheClientOffers() throws {
        var configuration = TLSServerConfiguration()
        configuration.settings.alpn = ["http/1.1", "h2"]
        let server = try ServerUnderTest(configuration)
        let client = try server.sClient(["-alpn", "h2,http/1.1"])
        defer { client.kill() }
        let session = try server.accept()
        let summary = try #require(server.loop.handshake(session).value, "\(session.state)")
        #expect(summary.alpn == "http/1.1")
        #expect(summary.offeredALPN == ["h2", "http/1.1"])
        #expect(summary.infoLines.contains("alpn http/1.1 (offered h2,http/1.1)"), "\(summary.infoLines)")
        #expect(client.waitForOutput("ALPN protocol: http/1.1"), "\(client.output)")
    }

    @Test func alpnWithNothingInCommonGoesOnWithout() throws {
        var configuration = TLSServerConfiguration()
        configuration.settings.alpn = ["imap"]
        let server = try ServerUnderTest(configuration)
        let python = try PythonTLSPeer.start("client", ["--port", "\(server.port)", "--no-verify", "--alpn", "h2,http/1.1"],
                                             in: server.directory)
        defer { python.kill() }
        let session = try server.accept()
        let summary = try #require(server.loop.handshake(session).value, "\(session.state)")
        #expect(summary.alpn == nil)
        #expect(summary.offeredALPN == ["h2", "http/1.1"])
        let details = try #require(PythonTLSPeer.details(python), "\(python.output)")
        #expect(details["alpn"] is NSNull)
    }

    @Test func noSNIFromAnIPLiteralClient() throws {
        let server = try ServerUnderTest()
        let client = try server.sClient(["-noservername"])
        defer { client.kill() }
        let session = try server.accept()
        let summary = try #require(server.loop.handshake(session).value, "\(session.state)")
        #expect(summary.serverName == nil)
        #expect(summary.description.contains("SNI none"))
    }

    @Test(arguments: [TLSVersion.tls12, .tls13])
    func aPythonServerAndOurClientAgreeOnEachVersion(version: TLSVersion) throws {
        let directory = TemporaryDirectory()
        let certificate = TestCertificates.shared.localhost
        let python = try PythonTLSPeer.start("server", ["--cert", certificate.certificate, "--key", certificate.key, "--alpn", "h2",
                                                        "--echo"] + (version == .tls12 ? ["--tls12"] : []), in: directory)
        defer { python.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try trustingClient(alpn: ["h2", "http/1.1"]), fd: try loop.connect(port: try python.waitForPort()),
                                     system: loop.system)
        let summary = try #require(loop.handshake(session).value, "\(session.state)\n\(python.output)")
        #expect(summary.version == version.rawValue)
        #expect(summary.alpn == "h2")
        let details = try #require(PythonTLSPeer.details(python))
        #expect(details["sni"] as? String == "localhost")
        #expect(details["cipher"] as? String == summary.cipher)
        #expect(loop.writeAll(session, "shout\n").value == 6)
        #expect(loop.read(session, untilContains: "SHOUT\n").ending == nil)
        loop.finish(session)
    }
}
