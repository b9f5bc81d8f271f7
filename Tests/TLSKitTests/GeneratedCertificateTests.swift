// GeneratedCertificateTests.swift — the certificate `listen tls` makes without cert=: EC P-256,
// self-signed, for localhost/127.0.0.1/::1, fresh each time, as `openssl x509` reads it.

import Foundation
import Glibc
import TLSKit
import Testing

@Suite struct GeneratedCertificateTests {
    @Test func isAFreshSelfSignedP256CertificateForLocalNames() throws {
        let context = try TLSContext(server: TLSServerConfiguration())
        let info = try #require(context.localCertificate)
        #expect(info.subject == "O=sockpit, CN=localhost")
        #expect(info.issuer == info.subject)
        #expect(info.selfSigned)
        #expect(info.publicKey == "EC P-256")
        #expect(info.subjectAlternativeNames == ["DNS:localhost", "IP:127.0.0.1", "IP:::1"])
        let now = Int(time(nil))
        let notBefore = try #require(info.notBeforeEpoch), notAfter = try #require(info.notAfterEpoch)
        #expect(abs(notBefore - (now - 3600)) < 120)
        #expect(abs(notAfter - (now + 30 * 86400)) < 120)
        #expect(info.sha256.count == 32)
        #expect(info.fingerprint.count == 32 * 3 - 1)
        #expect(info.serialNumber.count >= 30)

        let another = try #require(try TLSContext(server: TLSServerConfiguration()).localCertificate)
        #expect(another.fingerprint != info.fingerprint)
        #expect(another.serialNumber != info.serialNumber)
    }

    @Test func opensslReadsTheSameCertificate() throws {
        let context = try TLSContext(server: TLSServerConfiguration())
        let info = try #require(context.localCertificate)
        let pem = try #require(context.localCertificatePEM)
        #expect(!pem.contains("PRIVATE KEY"))
        let directory = TemporaryDirectory()
        let file = directory.write("generated.pem", pem)
        #expect(try TestCertificates.fingerprint(ofPEM: file) == info.fingerprint)
        let text = try runCommand("/usr/bin/openssl", ["x509", "-in", file, "-noout", "-text"])
        #expect(text.contains("ASN1 OID: prime256v1"))
        #expect(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(text.contains("Version: 3 (0x2)"))
        // And it verifies as its own trust anchor for each local name.
        for check in [["-verify_hostname", "localhost"], ["-verify_ip", "127.0.0.1"], ["-verify_ip", "::1"]] {
            let result = try runCommand("/usr/bin/openssl", ["verify", "-CAfile", file] + check + [file])
            #expect(result.contains(": OK"), "\(check): \(result)")
        }
    }

    @Test func loadedCertificatesAreDescribedToo() throws {
        let files = TestCertificates.shared.signedServer
        let context = try TLSContext(server: TLSServerConfiguration(identity: .files(certificate: files.certificate, key: files.key)))
        let info = try #require(context.localCertificate)
        #expect(info.subject == "CN=localhost")
        #expect(info.issuer == "CN=sockpit test CA")
        #expect(!info.selfSigned)
        #expect(info.fingerprint == (try TestCertificates.fingerprint(ofPEM: files.certificate)))
        #expect(info.description.hasPrefix("CN=localhost (issuer CN=sockpit test CA, valid "))
    }
}
