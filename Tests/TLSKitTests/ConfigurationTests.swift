// ConfigurationTests.swift — bad configuration values and files become `error: …` values naming the
// option, the file and the reason (errno or OpenSSL's), never a prompt or a crash; loading leaves no
// descriptor behind.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct ConfigurationTests {
    let certificates = TestCertificates.shared

    private func serverError(_ identity: TLSServerIdentity) -> TLSError? {
        do {
            _ = try TLSContext(server: TLSServerConfiguration(identity: identity))
            return nil
        } catch {
            return error
        }
    }

    private func clientError(_ configuration: TLSClientConfiguration) -> TLSError? {
        do {
            _ = try TLSContext(client: configuration)
            return nil
        } catch {
            return error
        }
    }

    @Test func aMissingFileNamesTheOptionAndTheErrno() {
        let error = serverError(.files(certificate: "/nonexistent/cert.pem", key: nil))
        #expect(error?.description == "cert=/nonexistent/cert.pem: ENOENT (No such file or directory)")
        #expect(error?.kind == .configuration)
        #expect(error?.systemError?.code == ENOENT)
        #expect(clientError(TLSClientConfiguration(host: "localhost", caFile: "/nonexistent/ca.pem"))?.description
            == "ca=/nonexistent/ca.pem: ENOENT (No such file or directory)")
    }

    @Test func aDirectoryOrAPipeIsNotACertificate() throws {
        let directory = TemporaryDirectory()
        #expect(serverError(.files(certificate: directory.root, key: nil))?.description == "cert=\(directory.root): not a regular file")
        let fifo = directory.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opened without blocking and refused: nobody writes to this pipe.
        #expect(clientError(TLSClientConfiguration(host: "localhost", caFile: fifo))?.description == "ca=\(fifo): not a regular file")
    }

    @Test func aFileThatIsNotPEM() throws {
        let directory = TemporaryDirectory()
        let text = directory.write("notes.txt", "just some notes\n")
        #expect(serverError(.files(certificate: text, key: nil))?.description
            == "cert=\(text): no PEM certificate in the file (no start line)")
        let empty = directory.write("empty.pem", "")
        #expect(clientError(TLSClientConfiguration(host: "localhost", caFile: empty))?.description
            == "ca=\(empty): no PEM certificate in the file (no start line)")
    }

    @Test func aKeyOfAnotherCertificate() {
        let error = serverError(.files(certificate: certificates.localhost.certificate, key: certificates.wrongHost.key))
        #expect(error?.description == "key=\(certificates.wrongHost.key): key values mismatch")
    }

    @Test func aCertificateWithoutItsKey() {
        let error = serverError(.files(certificate: certificates.localhost.certificate, key: nil))
        #expect(error?.description == "cert=\(certificates.localhost.certificate): no PEM private key in the file")
    }

    /// OpenSSL's default would ask for the passphrase on the terminal; we refuse instead.
    @Test func anEncryptedKeyIsRefusedWithoutAPrompt() throws {
        let directory = TemporaryDirectory()
        let encrypted = directory.path("encrypted.key")
        try runCommand("/usr/bin/openssl", ["pkey", "-in", certificates.localhost.key, "-aes256", "-passout", "pass:secret", "-out", encrypted])
        let error = serverError(.files(certificate: certificates.localhost.certificate, key: encrypted))
        #expect(error?.kind == .configuration)
        #expect(error?.description
            == "key=\(encrypted): the key is encrypted, and sockpit never asks for a passphrase (decrypt it with `openssl pkey`)")
    }

    @Test func aKeyWithoutACertificate() {
        let error = clientError(TLSClientConfiguration(host: "localhost", keyFile: certificates.localhost.key))
        #expect(error?.description == "key=\(certificates.localhost.key): a key needs its certificate (cert=FILE)")
    }

    @Test func badProtocolSettings() {
        func settingsError(_ settings: TLSProtocolSettings) -> String? {
            clientError(TLSClientConfiguration(host: "localhost", settings: settings))?.description
        }
        #expect(settingsError(TLSProtocolSettings(alpn: ["h2", ""])) == "alpn: a protocol name must be 1 to 255 bytes")
        #expect(settingsError(TLSProtocolSettings(alpn: [String(repeating: "x", count: 256)])) == "alpn: a protocol name must be 1 to 255 bytes")
        #expect(settingsError(TLSProtocolSettings(minimumVersion: .tls13, maximumVersion: .tls12)) == "versions: minimum TLSv1.3 is above maximum TLSv1.2")
        #expect(settingsError(TLSProtocolSettings(cipherSuites: "TLS_NOT_A_SUITE")) == "ciphersuites=TLS_NOT_A_SUITE: no cipher match")
        #expect(settingsError(TLSProtocolSettings(cipherList: "NOT-A-CIPHER")) == "ciphers=NOT-A-CIPHER: no cipher match")
    }

    @Test func anSNINameOpenSSLRefuses() throws {
        let loop = try TestLoop()
        let (_, port) = try loop.listen()
        let context = try TLSContext(client: TLSClientConfiguration(host: "localhost", serverName: String(repeating: "a", count: 300)))
        #expect(throws: TLSError.self) { try TLSSession(context: context, fd: try loop.connect(port: port), system: loop.system) }
    }

    @Test func aDuplicateInACAFileIsHarmlessAndItsQueueEntryDoesNotLeak() throws {
        let directory = TemporaryDirectory()
        let text = try String(contentsOfFile: certificates.localhost.certificate, encoding: .utf8)
        let twice = directory.write("twice.pem", text + text)
        let (server, port) = try startSServer(["-rev"], certificate: certificates.wrongHost, in: directory)
        defer { server.kill() }
        let loop = try TestLoop()
        let session = try TLSSession(context: try TLSContext(client: TLSClientConfiguration(host: "localhost", caFile: twice)),
                                     fd: try loop.connect(port: port), system: loop.system)
        let error = try #require(loop.handshake(session).error)
        // Only this handshake's own error, none left over from loading the file.
        #expect(error.description == "handshake: certificate verify failed: self-signed certificate")
        #expect(error.openSSLErrors.count == 1, "\(error.openSSLErrors)")
    }

    /// Loading certificates, keys and trust stores, good and bad, leaves no descriptor open on them.
    @Test func loadingLeavesNoDescriptorBehind() throws {
        let directory = TemporaryDirectory()
        let cert = directory.write("c.pem", try String(contentsOfFile: certificates.localhost.certificate, encoding: .utf8))
        let key = directory.write("k.pem", try String(contentsOfFile: certificates.localhost.key, encoding: .utf8))
        let bad = directory.write("bad.pem", "not pem")
        let wrongKey = directory.write("w.key", try String(contentsOfFile: certificates.wrongHost.key, encoding: .utf8))
        let before = descriptorsOpen(under: directory.root)
        for _ in 0..<20 {
            _ = try TLSContext(server: TLSServerConfiguration(identity: .files(certificate: cert, key: key), clientCAFile: cert))
            _ = try TLSContext(client: TLSClientConfiguration(host: "localhost", caFile: cert, certificateFile: cert, keyFile: key))
            _ = serverError(.files(certificate: bad, key: key))
            _ = serverError(.files(certificate: cert, key: bad))
            _ = serverError(.files(certificate: cert, key: wrongKey))
            _ = clientError(TLSClientConfiguration(host: "localhost", caFile: bad))
        }
        #expect(before == 0)
        #expect(descriptorsOpen(under: directory.root) == 0)
    }

    /// How many of this process's descriptors point into `directory` (other tests' files do not count).
    private func descriptorsOpen(under directory: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.filter { entry in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"))?.hasPrefix(directory) == true
        }.count
    }
}
