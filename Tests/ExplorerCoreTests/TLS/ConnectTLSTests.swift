// ConnectTLSTests — `connect tls` against `openssl s_server`: the verify matrix (a self-signed
// certificate refused by default with OpenSSL's reason and the hint, accepted with ca= or
// verify=off, a wrong name refused), the plaintext in the log and expect (s_server -rev, the seed's
// strrev over TLS), TLS 1.2 and 1.3, ALPN, SNI, client certificates, trace and info.

import Foundation
import Testing
@testable import ExplorerCore

@Suite(.serialized) struct ConnectTLSTests {
    @Test func aSelfSignedCertificateIsRefusedByDefaultWithOpenSSLsReasonAndTheHint() throws {
        let (server, port) = try TLSPeers.server(["-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        let status = session.failing("connect tls localhost:\(port)")
        #expect(status.message.contains("certificate verify failed: self-signed certificate"), "\(status)")
        #expect(status.message.contains("verify=off"), "\(status)")
        #expect(session.entry(1)?.state.isOpen == false)
        #expect(session.entry(1)?.tls?.phase == .failed)
        #expect(!session.lines(containing: "tls alert sent: fatal unknown_ca").isEmpty, "\(session.lines)")
        // Nothing else changed: the next command works.
        #expect(session.status("echo still here").ok)
    }

    @Test func withTheCertificateTrustedThePlaintextGoesThroughTheLogAndExpect() throws {
        let (server, port) = try TLSPeers.server(["-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        let files = TLSFiles.shared
        let statuses = session.run("connect tls localhost:\(port) ca=\(files.cert)", "sendl hello", "expect olleh", "info")
        #expect(statuses.allOK, "\(statuses)")
        #expect(statuses.first?.message.contains("TLSv1.3") == true, "\(statuses)")
        #expect(String(decoding: session.bytes(.send, on: 1), as: UTF8.self) == "hello\n")
        #expect(String(decoding: session.bytes(.recv, on: 1), as: UTF8.self) == "olleh\n")
        #expect(!session.lines(containing: "tls handshake done: TLSv1.3").isEmpty)
        #expect(!session.lines(containing: "verify ok").isEmpty)
        let fingerprint = try TLSFiles.fingerprint(pem: String(contentsOfFile: files.cert, encoding: .utf8))
        #expect(!session.lines(containing: "sha256 \(fingerprint)").isEmpty, "info shows the peer's chain")
        #expect(session.entry(1)?.protocolName == "tls")
        #expect(session.entry(1)?.tls?.version == "TLSv1.3")
    }

    @Test func verifyOffConnectsAndSaysTheCheckWasNotEnforced() throws {
        let (server, port) = try TLSPeers.server(["-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        #expect(session.run("connect tls 127.0.0.1:\(port) verify=off", "sendl abc", "expect cba").allOK)
        #expect(!session.lines(containing: "verify self-signed certificate (not enforced)").isEmpty, "\(session.lines)")
        #expect(!session.lines(containing: "SNI none").isEmpty, "no SNI for an IP literal: \(session.lines)")
    }

    @Test func aCertificateForAnotherNameIsRefused() throws {
        let (server, port) = try TLSPeers.server(["-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        let status = session.failing("connect tls 127.0.0.1:\(port) sni=wrong.example ca=\(TLSFiles.shared.cert)")
        #expect(status.message.contains("hostname mismatch"), "\(status)")
    }

    @Test func tls12WithALPNAndSNI() throws {
        let (server, port) = try TLSPeers.server(["-tls1_2", "-alpn", "http/1.1", "-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        let statuses = session.run("connect tls localhost:\(port) verify=off alpn=h2,http/1.1 sni=localhost", "sendl x12", "expect 21x")
        #expect(statuses.allOK, "\(statuses)")
        let done = session.lines(containing: "tls handshake done:").joined()
        #expect(done.contains("TLSv1.2"), "\(done)")
        #expect(done.contains("ALPN http/1.1"), "\(done)")
        #expect(done.contains("SNI localhost"), "\(done)")
        #expect(session.entry(1)?.tls?.alpn == "http/1.1")
    }

    @Test func aServerThatRequiresAClientCertificateGetsOurs() throws {
        let files = TLSFiles.shared
        let (server, port) = try TLSPeers.server(["-Verify", "1", "-CAfile", files.clientCert, "-rev", "-verify_return_error"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        let statuses = session.run("connect tls localhost:\(port) ca=\(files.cert) cert=\(files.clientCert) key=\(files.clientKey)",
                                   "sendl signed", "expect dengis", "close")
        #expect(statuses.allOK, "\(statuses)")
        // Without one, the server refuses (TLS 1.3 tells after the handshake, with an alert).
        let without = try EngineSession()
        let refused = without.run("connect tls localhost:\(port) ca=\(files.cert)", "sendl x", "expect x timeout=5")
        #expect(!refused.allOK)
        #expect(!without.lines(containing: "alert received: fatal certificate_required").isEmpty, "\(without.lines) \(server.stdout)")
    }

    @Test func traceShowsTheSSLCallsBetweenTheSocketCalls() throws {
        let (server, port) = try TLSPeers.server(["-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        #expect(session.run("trace on", "connect tls 127.0.0.1:\(port) verify=off", "sendl t", "expect t").allOK)
        let traces = session.lines(containing: "trace ")
        let connects = traces.indices.filter { traces[$0].contains("SSL_connect(") }
        #expect(traces.contains { $0.contains("SSL_connect(") && $0.contains("= WANT_READ") }, "\(traces)")
        #expect(traces.contains { $0.contains("SSL_connect(") && $0.hasSuffix("= 1") }, "\(traces)")
        #expect(traces.contains { $0.contains("SSL_write(") }, "\(traces)")
        #expect(traces.contains { $0.contains("SSL_read(") }, "\(traces)")
        // The socket calls beneath: the first SSL_connect's send comes before it returns.
        if let first = connects.first { #expect(traces[..<first].contains { $0.contains("send(") || $0.contains("sendto(") }, "\(traces)") }
    }

    @Test func badFilesAreErrorsThatChangeNothing() throws {
        let session = try EngineSession()
        let status = session.failing("connect tls 127.0.0.1:1 ca=/nonexistent/ca.pem")
        #expect(status.message.contains("ca=/nonexistent/ca.pem"), "\(status)")
        #expect(session.engine.table.count == 0)
        let listen = session.failing("listen tls 0 cert=/nonexistent/c.pem")
        #expect(listen.message.contains("/nonexistent/c.pem"), "\(listen)")
        #expect(session.engine.table.count == 0)
    }
}
