// TLSPeers.swift — third-party TLS peers for the engine's TLS tests: `openssl s_server` and
// `s_client` (stdout line-buffered through stdbuf), Tests/Peers/python/tls_peers.py, and the
// certificates they use, made once per test process with `openssl req`.

import Foundation
import Glibc

/// Certificates made once: a self-signed one for localhost/127.0.0.1, and a client certificate.
final class TLSFiles: Sendable {
    static let shared: TLSFiles = {
        do { return try TLSFiles() } catch { fatalError("cannot make test certificates: \(error)") }
    }()

    let directory: String
    var cert: String { directory + "/localhost.pem" }
    var key: String { directory + "/localhost.key" }
    var clientCert: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }

    private init() throws {
        directory = FileManager.default.temporaryDirectory.path + "/sockpit-tls-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, subject, extra) in [("localhost", "/CN=localhost", ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]),
                                       ("client", "/CN=sockpit test client", ["-addext", "extendedKeyUsage=clientAuth"])] {
            let made = try ScriptProcess("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                     "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem",
                                                     "-days", "30", "-subj", subject] + extra)
            guard made.finish() == 0 else { throw ScriptError("openssl req failed: \(made.transcript)") }
        }
    }

    /// `AB:CD:…` as `openssl x509 -fingerprint -sha256` prints it, for a PEM file or PEM text.
    static func fingerprint(pem: String) throws -> String {
        let x509 = try ScriptProcess("openssl", ["x509", "-noout", "-fingerprint", "-sha256"])
        x509.write(pem)
        x509.finish()
        guard let value = x509.stdout.split(separator: "=", maxSplits: 1).last else { throw ScriptError("no fingerprint: \(x509.transcript)") }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

enum TLSPeers {
    static let pythonScript = SeedTutorial.packageRoot.appendingPathComponent("Tests/Peers/python/tls_peers.py").path

    /// `openssl s_server -accept 127.0.0.1:0 -cert … -key … ARGUMENTS` and the port it announced.
    static func server(_ arguments: [String]) throws -> (ScriptProcess, UInt16) {
        let files = TLSFiles.shared
        let server = try ScriptProcess("stdbuf", ["-oL", "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", files.cert,
                                                  "-key", files.key] + arguments)
        guard let port = server.announcedPort() else {
            throw ScriptError("s_server announced no port: \(server.transcript)")
        }
        return (server, port)
    }

    /// `openssl s_client -connect 127.0.0.1:PORT ARGUMENTS`.
    static func client(port: UInt16, _ arguments: [String]) throws -> ScriptProcess {
        try ScriptProcess("stdbuf", ["-oL", "openssl", "s_client", "-connect", "127.0.0.1:\(port)"] + arguments)
    }

    /// `python3 tls_peers.py MODE ARGUMENTS`.
    static func python(_ mode: String, _ arguments: [String]) throws -> ScriptProcess {
        try ScriptProcess("python3", [pythonScript, mode] + arguments)
    }
}

extension ScriptProcess {
    /// `ACCEPT 127.0.0.1:PORT` (s_server's line), read from stdout.
    func announcedPort(timeout: TimeInterval = 10) -> UInt16? {
        var found: UInt16?
        waitFor(timeout: timeout) { process in
            guard let range = process.stdout.range(of: "ACCEPT 127.0.0.1:") else { return false }
            found = UInt16(process.stdout[range.upperBound...].prefix { $0.isNumber })
            return found != nil
        }
        return found
    }

    /// The JSON object of the first `{…}` line it printed.
    func reportLine(timeout: TimeInterval = 40) -> [String: Any]? {
        var object: [String: Any]?
        waitFor(timeout: timeout) { process in
            for line in process.stdout.split(separator: "\n") where line.hasPrefix("{") {
                object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if object != nil { return true }
            }
            return false
        }
        return object
    }
}
