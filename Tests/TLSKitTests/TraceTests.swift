// TraceTests.swift — `trace on` for TLS: every SSL_* call as `SSL_connect(7) = WANT_READ`, between
// the recv/send calls beneath it, in order. Our own client and server on one loop, so the
// handshake's steps are deterministic.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct TraceTests {
    @Test func recordsPrintLikeSocketKitsTraceRecords() {
        #expect(TLSTraceRecord(call: "SSL_connect", arguments: "7", result: -1, outcome: "WANT_READ").description == "SSL_connect(7) = WANT_READ")
        #expect(TLSTraceRecord(call: "SSL_read", arguments: "7, 65536", result: 517, outcome: nil).description == "SSL_read(7, 65536) = 517")
        #expect(TraceRecord(call: "recv", arguments: "7, 65536", result: 517, errorCode: nil).description == "recv(7, 65536) = 517")
    }

    @Test func theHandshakeStepByStep() throws {
        let loop = try TestLoop()
        let serverContext = try TLSContext(server: TLSServerConfiguration())
        let directory = TemporaryDirectory()
        let pem = directory.write("generated.pem", try #require(serverContext.localCertificatePEM))
        let (client, server) = try loop.sessionPair(client: try trustingClient(caFile: pem), server: serverContext)
        var lines: [String] = []
        client.tracer = { lines.append("client " + $0.description) }
        server.tracer = { lines.append("server " + $0.description) }
        loop.system.tracer = { lines.append("       " + $0.description) }
        let c = client.fd, s = server.fd
        #expect(client.handshake() == .wantRead)   // ClientHello sent
        #expect(server.handshake() == .wantRead)   // ServerHello … Finished sent, waiting for the client's Finished
        #expect(client.handshake().value != nil)   // Finished sent
        #expect(server.handshake().value != nil)
        // Byte counts depend on the key shares and signatures: shown as N.
        let shape = lines.map { $0.replacingOccurrences(of: #"[0-9]+ bytes"#, with: "N bytes", options: .regularExpression)
            .replacingOccurrences(of: #"= [0-9]+$"#, with: "= N", options: .regularExpression) }
        #expect(shape == [
            "       send(\(c), N bytes, MSG_NOSIGNAL) = N",     // ClientHello
            "       recv(\(c), 65533) = -1 EAGAIN (Resource temporarily unavailable)",
            "client SSL_connect(\(c)) = WANT_READ",
            "       recv(\(s), 65533) = N",                    // ClientHello
            "       send(\(s), N bytes, MSG_NOSIGNAL) = N",     // ServerHello … server Finished
            "       recv(\(s), 65533) = -1 EAGAIN (Resource temporarily unavailable)",
            "server SSL_accept(\(s)) = WANT_READ",
            "       recv(\(c), 65533) = N",
            "       send(\(c), N bytes, MSG_NOSIGNAL) = N",     // client Finished
            "client SSL_connect(\(c)) = N",
            "       recv(\(s), 65533) = N",
            "       send(\(s), N bytes, MSG_NOSIGNAL) = N",     // two TLS 1.3 session tickets
            "       send(\(s), N bytes, MSG_NOSIGNAL) = N",
            "server SSL_accept(\(s)) = N",
        ], "\(lines)")
        #expect(lines[9] == "client SSL_connect(\(c)) = 1")
        #expect(lines[13] == "server SSL_accept(\(s)) = 1")
        lines.removeAll()
        #expect(server.handshake().value != nil)
        #expect(lines.isEmpty)  // a finished handshake is not stepped again

        var buffer = [UInt8](repeating: 0, count: 65536)
        #expect(loop.writeAll(client, "ping").value == 4)
        #expect(loop.drive(s) { buffer.withUnsafeMutableBytes { server.read(into: $0) } } == .done(4))
        #expect(lines.contains("client SSL_write(\(c), 4) = 4"), "\(lines)")
        #expect(lines.contains("server SSL_read(\(s), 65536) = 4"), "\(lines)")
        loop.system.tracer = nil
    }
}
