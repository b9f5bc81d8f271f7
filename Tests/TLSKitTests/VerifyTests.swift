// VerifyTests.swift — the verify matrix against `openssl s_server`: a self-signed certificate is
// refused by default with OpenSSL's reason, accepted with `ca=` or `verify=off` (its result still
// reported), a wrong name or address refused, a CA-signed chain verified and shown whole.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct VerifyTests {
    let certificates = TestCertificates.shared

    /// Handshakes a client with `configuration` against s_server serving `certificate` (plus `extra`).
    private func handshake(_ configuration: TLSClientConfiguration, certificate: CertificateFiles? = nil,
                           extra: [String] = []) throws -> (TLSOutcome<TLSHandshakeSummary>, [String]) {
        let directory = TemporaryDirectory()
        let (server, port) = try startSServer(["-rev"] + extra, certificate: certificate ?? certificates.localhost, in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try TLSContext(client: configuration), fd: try loop.connect(port: port), system: loop.system)
        var events: [String] = []
        session.onEvent = { if case .handshakeDone = $0 {} else { events.append($0.description) } }
        return (loop.handshake(session), events)
    }

    @Test func aSelfSignedCertificateIsRefusedByDefaultWithOpenSSLsReason() throws {
        let (outcome, events) = try handshake(TLSClientConfiguration(host: "localhost"))
        let error = try #require(outcome.error)
        #expect(error.kind == .verification)
        #expect(error.reason == "certificate verify failed: self-signed certificate")
        #expect(error.description == "handshake: certificate verify failed: self-signed certificate")
        #expect(error.verification == TLSVerification(code: 18, reason: "self-signed certificate", enforced: true))
        #expect(error.openSSLErrors.count == 1)
        #expect(error.openSSLErrors.first?.hasSuffix(":certificate verify failed") == true, "\(error.openSSLErrors)")
        #expect(events == ["alert sent: fatal unknown_ca"])
    }

    @Test func caTrustsIt() throws {
        let (outcome, _) = try handshake(TLSClientConfiguration(host: "localhost", caFile: certificates.localhost.certificate))
        let summary = try #require(outcome.value)
        #expect(summary.verification == TLSVerification(code: 0, reason: "ok", enforced: true))
        #expect(summary.description.hasSuffix("verify ok"))
    }

    @Test func verifyOffConnectsAndStillReportsTheResult() throws {
        let (outcome, events) = try handshake(TLSClientConfiguration(host: "localhost", verify: false))
        let summary = try #require(outcome.value)
        #expect(summary.verification == TLSVerification(code: 18, reason: "self-signed certificate", enforced: false))
        #expect(summary.verification?.description == "self-signed certificate (not enforced)")
        #expect(summary.description.hasSuffix("verify self-signed certificate (not enforced)"))
        #expect(events.isEmpty)
    }

    @Test func aWrongHostNameIsRefused() throws {
        let (outcome, _) = try handshake(TLSClientConfiguration(host: "localhost", caFile: certificates.wrongHost.certificate),
                                         certificate: certificates.wrongHost)
        let error = try #require(outcome.error)
        #expect(error.kind == .verification)
        #expect(error.description == "handshake: certificate verify failed: hostname mismatch")
    }

    @Test func sniOverridesTheNameChecked() throws {
        // Connecting to "localhost" but asking for wrong.example: that is the name the certificate must carry.
        let (outcome, _) = try handshake(TLSClientConfiguration(host: "localhost", serverName: "wrong.example",
                                                                caFile: certificates.wrongHost.certificate),
                                         certificate: certificates.wrongHost)
        #expect(outcome.value?.verification?.ok == true, "\(outcome)")
    }

    @Test func anIPLiteralIsCheckedAgainstTheCertificatesAddresses() throws {
        let good = try handshake(TLSClientConfiguration(host: "127.0.0.1", caFile: certificates.localhost.certificate)).0
        #expect(good.value?.verification?.ok == true, "\(good)")
        #expect(good.value?.serverName == nil)
        let wrong = try handshake(TLSClientConfiguration(host: "127.0.0.2", caFile: certificates.localhost.certificate)).0
        #expect(wrong.error?.description == "handshake: certificate verify failed: IP address mismatch")
        let bracketed = try handshake(TLSClientConfiguration(host: "[::1]", caFile: certificates.localhost.certificate)).0
        #expect(bracketed.error?.description == "handshake: certificate verify failed: IP address mismatch")
    }

    @Test func aChainSignedByATrustedCAVerifiesAndIsShownWhole() throws {
        let (outcome, _) = try handshake(TLSClientConfiguration(host: "localhost", caFile: certificates.ca),
                                         certificate: certificates.signedServer, extra: ["-cert_chain", certificates.ca])
        let summary = try #require(outcome.value)
        #expect(summary.verification?.ok == true)
        #expect(summary.peerChain.map(\.subject) == ["CN=localhost", "CN=sockpit test CA"])
        #expect(summary.peerChain.map(\.issuer) == ["CN=sockpit test CA", "CN=sockpit test CA"])
        #expect(summary.peerChain.map(\.selfSigned) == [false, true])
        #expect(summary.infoLines.contains("chain #1 subject CN=sockpit test CA"), "\(summary.infoLines)")
    }

    @Test func anUnknownIssuerIsRefused() throws {
        let (outcome, _) = try handshake(TLSClientConfiguration(host: "localhost"), certificate: certificates.signedServer)
        #expect(outcome.error?.description == "handshake: certificate verify failed: unable to get local issuer certificate")
    }
}
