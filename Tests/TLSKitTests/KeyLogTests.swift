// KeyLogTests.swift — NSS key-log lines (what `set keylog FILE` and SSLKEYLOGFILE append): the
// same secrets Python's ssl logs for the same connection, in the format Wireshark reads.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct KeyLogTests {
    /// Our client's key-log lines and Python's (the server's) for one connection.
    private func logs(tls12: Bool) throws -> (ours: [String], python: [String]) {
        let directory = TemporaryDirectory()
        let certificate = TestCertificates.shared.localhost
        let pythonLog = directory.path("python.keylog")
        let python = try PythonTLSPeer.start("server", ["--cert", certificate.certificate, "--key", certificate.key, "--keylog", pythonLog,
                                                        "--echo"] + (tls12 ? ["--tls12"] : []), in: directory)
        defer { python.kill() }
        let loop = try TestLoop()
        let context = try trustingClient()
        var ours: [String] = []
        context.keyLog = { ours.append($0) }
        let session = try TLSSession(context: context, fd: try loop.connect(port: try python.waitForPort()), system: loop.system)
        _ = try #require(loop.handshake(session).value)
        #expect(loop.writeAll(session, "x\n").value == 2)
        #expect(loop.read(session, untilContains: "X\n").ending == nil)
        loop.finish(session)
        #expect(python.waitForExit())
        let theirs = try String(contentsOfFile: pythonLog, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        return (ours, theirs)
    }

    @Test func tls13SecretsMatchPythonsLog() throws {
        let (ours, python) = try logs(tls12: false)
        #expect(ours.map { String($0.prefix { $0 != " " }) }.sorted() == [
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "EXPORTER_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0",
        ])
        // LABEL <client random, 64 hex> <secret, 96 hex for SHA-384 suites or 64 for SHA-256 ones>
        for line in ours {
            let fields = line.split(separator: " ")
            #expect(fields.count == 3)
            #expect(fields[1].count == 64 && fields[1].allSatisfy(\.isHexDigit), "\(line)")
            #expect([64, 96].contains(fields[2].count) && fields[2].allSatisfy(\.isHexDigit), "\(line)")
        }
        #expect(Set(ours) == Set(python))
    }

    @Test func tls12IsOneClientRandomLine() throws {
        let (ours, python) = try logs(tls12: true)
        #expect(ours.count == 1)
        let fields = try #require(ours.first).split(separator: " ")
        #expect(fields.first == "CLIENT_RANDOM")
        #expect(fields.count == 3 && fields[1].count == 64 && fields[2].count == 96)
        #expect(ours == python)
    }

    @Test func switchingItOffStopsTheLines() throws {
        let loop = try TestLoop()
        let serverContext = try TLSContext(server: TLSServerConfiguration())
        let clientContext = try TLSContext(client: TLSClientConfiguration(host: "localhost", verify: false))
        var lines: [String] = []
        serverContext.keyLog = { lines.append($0) }
        let first = try loop.sessionPair(client: clientContext, server: serverContext)
        _ = loop.handshake(first.client, first.server)
        #expect(lines.count == 5)
        serverContext.keyLog = nil
        let second = try loop.sessionPair(client: clientContext, server: serverContext)
        _ = try #require(loop.handshake(second.client, second.server).server.value)
        #expect(lines.count == 5)
    }
}
