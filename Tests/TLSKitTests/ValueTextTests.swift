// ValueTextTests.swift — how TLSKit's values print: alerts by their RFC names, events, errors as
// printable ASCII whatever they contain.

import TLSKit
import Testing

@Suite struct ValueTextTests {
    @Test func alertsUseTheirRFCNames() {
        #expect(TLSAlert(fatal: true, code: 40).description == "fatal handshake_failure")
        #expect(TLSAlert(fatal: false, code: 0).description == "warning close_notify")
        #expect(TLSAlert(fatal: true, code: 116).description == "fatal certificate_required")
        #expect(TLSAlert(fatal: true, code: 120).name == "no_application_protocol")
        #expect(TLSAlert(fatal: true, code: 255).name == "alert_255")
        #expect(TLSEvent.alertReceived(TLSAlert(fatal: true, code: 40)).description == "alert received: fatal handshake_failure")
        #expect(TLSEvent.alertSent(TLSAlert(fatal: false, code: 0)).description == "alert sent: warning close_notify")
    }

    @Test func errorDescriptionsArePrintableASCII() {
        let error = TLSError(kind: .configuration, operation: "cert=/tmp/\u{1b}[2Jévil\\", reason: "bad\nthing")
        #expect(error.description == "cert=/tmp/\\x1b[2J\\xc3\\xa9vil\\\\: bad\\x0athing")
        #expect(error.description.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
    }

    @Test func verificationSaysWhetherItWasEnforced() {
        #expect(TLSVerification(code: 0, reason: "ok", enforced: false).description == "ok")
        #expect(TLSVerification(code: 18, reason: "self-signed certificate", enforced: true).description == "self-signed certificate")
        #expect(TLSVerification(code: 18, reason: "self-signed certificate", enforced: false).description == "self-signed certificate (not enforced)")
    }

    @Test func theSNISentFollowsRFC6066() {
        #expect(TLSClientConfiguration(host: "example.org").sentServerName == "example.org")
        #expect(TLSClientConfiguration(host: "127.0.0.1").sentServerName == nil)
        #expect(TLSClientConfiguration(host: "[::1]").sentServerName == nil)
        #expect(TLSClientConfiguration(host: "127.0.0.1", serverName: "example.org").sentServerName == "example.org")
        #expect(TLSClientConfiguration(host: "example.org", serverName: "").sentServerName == nil)
        #expect(TLSClientConfiguration(host: "[::1]").expectedPeer == .ip("::1"))
        #expect(TLSClientConfiguration(host: "127.0.0.1", serverName: "a.test").expectedPeer == .name("a.test"))
        #expect(TLSClientConfiguration(host: "example.org", serverName: "").expectedPeer == .name("example.org"))
    }
}
