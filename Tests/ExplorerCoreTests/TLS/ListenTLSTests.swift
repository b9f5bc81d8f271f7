// ListenTLSTests — `listen tls` as a server for real clients: `openssl s_client` (SNI, ALPN, the
// generated certificate's fingerprint equal to what it received, reply=reverse over TLS), curl
// (an HTTPS answer from a reply template, verified with our cert= files), and client certificates.

import Foundation
import Testing
@testable import ExplorerCore

@Suite(.serialized) struct ListenTLSTests {
    @Test func sClientGetsTheGeneratedCertificateWhoseFingerprintIsLogged() throws {
        let session = try EngineSession()
        #expect(session.run("listen tls 0 reply=reverse alpn=http/1.1,h2").allOK)
        let port = session.port(of: 1)
        let certificateLine = try #require(session.lines(containing: "tls certificate O=sockpit, CN=localhost (generated").first)
        let client = try TLSPeers.client(port: port, ["-servername", "localhost", "-alpn", "h2", "-showcerts", "-ign_eof"])
        client.write("hello\n")
        #expect(session.pump(until: { session.entry(2)?.tls?.phase == .established }, timeout: 10), "\(session.lines)")
        #expect(session.pump(until: { session.bytes(.send, on: 2).count >= 6 }, timeout: 10))
        #expect(String(decoding: session.bytes(.send, on: 2), as: UTF8.self) == "olleh\n")
        let done = session.lines(containing: "#2 tls handshake done:").joined()
        #expect(done.contains("ALPN h2"), "\(done)")
        #expect(done.contains("SNI localhost"), "\(done)")
        client.finish(timeout: 5)
        #expect(client.stdout.contains("olleh"), "\(client.transcript)")
        // The certificate s_client received is the one whose fingerprint the listener logged.
        let pem = try #require(Self.firstPEM(client.stdout), "\(client.transcript)")
        let fingerprint = try TLSFiles.fingerprint(pem: pem)
        #expect(certificateLine.hasSuffix("SHA-256 \(fingerprint)"), "\(certificateLine) vs \(fingerprint)")
        #expect(session.entry(1)?.protocolName == "tls")
    }

    @Test func curlGetsAnHTTPSAnswerAndVerifiesOurCertificate() throws {
        let session = try EngineSession()
        let files = TLSFiles.shared
        #expect(session.run(#"listen tls 0 cert=\#(files.cert) key=\#(files.key) reply="HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nhello\n""#).allOK)
        let port = session.port(of: 1)
        let curl = try ScriptProcess("curl", ["-sS", "--max-time", "10", "--cacert", files.cert, "https://localhost:\(port)/path"])
        var exit: Int32 = -1
        let done = session.pump(until: {
            curl.waitFor(timeout: 0.01) { !$0.process.isRunning }
            return !curl.process.isRunning
        }, timeout: 20)
        if done { exit = curl.finish(timeout: 5) }
        #expect(exit == 0, "\(curl.transcript)")
        #expect(curl.stdout == "hello\n", "\(curl.transcript)")
        #expect(String(decoding: session.bytes(.recv, on: 2), as: UTF8.self).hasPrefix("GET /path HTTP/1.1\r\n"))
    }

    @Test func aClientCertificateIsRequiredAndShown() throws {
        let session = try EngineSession()
        let files = TLSFiles.shared
        #expect(session.run("listen tls 0 clientcert=require ca=\(files.clientCert) reply=echo").allOK)
        let port = session.port(of: 1)
        let with = try TLSPeers.client(port: port, ["-cert", files.clientCert, "-key", files.clientKey, "-ign_eof"])
        with.write("mine\n")
        #expect(session.pump(until: { session.bytes(.send, on: 2).count >= 5 }, timeout: 10), "\(session.lines)")
        with.finish(timeout: 5)
        #expect(!session.lines(containing: "#2 tls handshake done:").filter { $0.contains("peer CN=sockpit test client") && $0.contains("verify ok") }.isEmpty,
                "\(session.lines)")
        session.run("info #2")
        #expect(!session.lines(containing: "chain #0 subject CN=sockpit test client").isEmpty)
        // Without a certificate the handshake fails on that socket only; the listener keeps serving.
        let without = try TLSPeers.client(port: port, ["-ign_eof"])
        #expect(session.pump(until: { session.entry(3)?.tls?.phase == .failed }, timeout: 10), "\(session.lines)")
        without.finish(timeout: 5)
        #expect(session.entry(1)?.state == .listening)
    }

    /// The first PEM certificate in `text`.
    static func firstPEM(_ text: String) -> String? {
        guard let start = text.range(of: "-----BEGIN CERTIFICATE-----"),
              let end = text.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.lowerBound..<end.upperBound]) + "\n"
    }
}
