// TestCertificates.swift — the certificates the tests use, made once per test process with
// `openssl req` / `openssl x509` as PLATFORM-NOTES.md shows: self-signed for localhost, one for
// another name, a CA with a server and a client certificate it signed, a self-signed client.

import Foundation
import Glibc

struct CertificateFiles: Sendable {
    let certificate: String
    let key: String
}

final class TestCertificates: Sendable {
    /// Made on first use; Swift runs a static initialiser once, even under parallel tests.
    static let shared: TestCertificates = {
        do { return try TestCertificates() } catch { fatalError("cannot make test certificates: \(error)") }
    }()

    let directory: TemporaryDirectory
    /// Self-signed, CN=localhost, DNS:localhost and IP:127.0.0.1.
    let localhost: CertificateFiles
    /// Self-signed, CN=wrong.example, DNS:wrong.example only.
    let wrongHost: CertificateFiles
    /// Self-signed for DNS:other.test (s_server's `-cert2` for a second SNI name).
    let otherName: CertificateFiles
    /// A CA (CA:TRUE) and, signed by it: a server certificate for localhost/127.0.0.1 and a client certificate.
    let ca: String
    let signedServer: CertificateFiles
    /// The signed server certificate followed by the CA: a chain of two.
    let signedServerChain: String
    let signedClient: CertificateFiles
    /// Self-signed client certificate, CN=sockpit test client.
    let selfSignedClient: CertificateFiles

    private init() throws {
        // One directory per process, named by pid; directories of processes that are gone are removed.
        let temporary = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix("tlskit-certs-") {
            if let pid = Int32(name.dropFirst("tlskit-certs-".count)), Glibc.kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: temporary + "/" + name)
            }
        }
        directory = TemporaryDirectory(name: "tlskit-certs-\(getpid())")
        let dir = directory
        func selfSigned(_ name: String, subject: String, san: String?, extra: [String] = []) throws -> CertificateFiles {
            let files = CertificateFiles(certificate: dir.path("\(name).pem"), key: dir.path("\(name).key"))
            var arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", files.key, "-out", files.certificate, "-days", "30", "-subj", subject]
            if let san { arguments += ["-addext", "subjectAltName=\(san)"] }
            try runCommand("/usr/bin/openssl", arguments + extra)
            return files
        }
        localhost = try selfSigned("localhost", subject: "/CN=localhost", san: "DNS:localhost,IP:127.0.0.1")
        wrongHost = try selfSigned("wrong", subject: "/CN=wrong.example", san: "DNS:wrong.example")
        otherName = try selfSigned("other", subject: "/CN=other.test", san: "DNS:other.test")
        selfSignedClient = try selfSigned("client", subject: "/CN=sockpit test client", san: nil,
                                          extra: ["-addext", "extendedKeyUsage=clientAuth"])
        let authority = try selfSigned("ca", subject: "/CN=sockpit test CA", san: nil,
                                       extra: ["-addext", "basicConstraints=critical,CA:TRUE",
                                               "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        ca = authority.certificate
        func signed(_ name: String, subject: String, extensions: String) throws -> CertificateFiles {
            let files = CertificateFiles(certificate: dir.path("\(name).pem"), key: dir.path("\(name).key"))
            let request = dir.path("\(name).csr")
            let extensionFile = dir.write("\(name).ext", extensions)
            try runCommand("/usr/bin/openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                "-keyout", files.key, "-out", request, "-subj", subject])
            try runCommand("/usr/bin/openssl", ["x509", "-req", "-in", request, "-CA", authority.certificate, "-CAkey", authority.key,
                                                "-CAcreateserial", "-out", files.certificate, "-days", "30", "-extfile", extensionFile])
            return files
        }
        signedServer = try signed("server", subject: "/CN=localhost",
                                  extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        signedClient = try signed("signed-client", subject: "/CN=sockpit signed client",
                                  extensions: "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
        signedServerChain = dir.write("server-chain.pem",
                                      try String(contentsOfFile: signedServer.certificate, encoding: .utf8)
                                          + String(contentsOfFile: authority.certificate, encoding: .utf8))
    }

    /// `openssl x509 -fingerprint -sha256` of a PEM file: `AB:CD:…`.
    static func fingerprint(ofPEM path: String) throws -> String {
        let text = try runCommand("/usr/bin/openssl", ["x509", "-in", path, "-noout", "-fingerprint", "-sha256"])
        return String(text.split(separator: "=", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
