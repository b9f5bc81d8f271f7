// StartTLSTests.swift — upgrading an established plain connection in place: our client after a
// Python server's `OK`, our server after a Python client's `STARTTLS`, and bytes the plain reader
// already took (the start of the ClientHello) handed to the session.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct StartTLSTests {
    @Test func ourClientUpgradesAfterThePlainExchange() throws {
        let directory = TemporaryDirectory()
        let certificate = TestCertificates.shared.localhost
        let python = try PythonTLSPeer.start("server", ["--cert", certificate.certificate, "--key", certificate.key, "--starttls", "--echo"],
                                             in: directory)
        defer { python.kill() }
        let loop = try TestLoop()
        let fd = try loop.connect(port: try python.waitForPort())
        try loop.sendPlain(fd, Array("STARTTLS\r\n".utf8))
        let answer = try loop.receivePlain(fd) { $0.last == UInt8(ascii: "\n") }
        #expect(String(decoding: answer, as: UTF8.self) == "OK begin TLS\r\n")
        let session = try TLSSession(context: try trustingClient(), fd: fd, system: loop.system)
        _ = try #require(loop.handshake(session).value, "\(session.state)\n\(python.output)")
        #expect(python.waitForOutput("PLAIN \"STARTTLS\\r\\n\""))
        #expect(loop.writeAll(session, "now private\n").value == 12)
        #expect(loop.read(session, untilContains: "NOW PRIVATE\n").ending == nil)
        loop.finish(session)
    }

    @Test func ourServerUpgradesAfterTheClientAsks() throws {
        let server = try ServerUnderTest()
        let python = try PythonTLSPeer.start("client", ["--port", "\(server.port)", "--cafile", try server.certificateFile(), "--starttls",
                                                        "--send", "secret\\n", "--read"], in: server.directory)
        defer { python.kill() }
        let fd = try server.loop.accept(server.listener)
        let request = try server.loop.receivePlain(fd) { $0.last == UInt8(ascii: "\n") }
        #expect(String(decoding: request, as: UTF8.self) == "STARTTLS\r\n")
        try server.loop.sendPlain(fd, Array("OK begin TLS\r\n".utf8))
        let session = try TLSSession(context: server.context, fd: fd, system: server.loop.system)
        _ = try #require(server.loop.handshake(session).value, "\(session.state)\n\(python.output)")
        #expect(server.loop.read(session, untilContains: "secret\n").ending == nil)
        #expect(server.loop.writeAll(session, "acknowledged").value == 12)
        server.loop.finish(session)
        #expect(python.waitForOutput("RECEIVED \"acknowledged\""), "\(python.output)")
    }

    /// A client that does not wait for the answer: the plain read takes `STARTTLS\r\n` and the
    /// start of the ClientHello together; the rest of that read goes to the session.
    @Test func bytesThePlainReaderAlreadyTookGoToTheSession() throws {
        let loop = try TestLoop()
        let (listener, port) = try loop.listen()
        let clientFD = try loop.connect(port: port)
        let serverFD = try loop.accept(listener)
        let serverContext = try TLSContext(server: TLSServerConfiguration())
        let client = try TLSSession(context: try TLSContext(client: TLSClientConfiguration(host: "localhost", verify: false)),
                                    fd: clientFD, system: loop.system)
        try loop.sendPlain(clientFD, Array("STARTTLS\r\n".utf8))
        #expect(client.handshake() == .wantRead)  // the ClientHello follows at once
        let plain = try loop.receivePlain(serverFD) { $0.count > 12 + 100 }
        let command = Array("STARTTLS\r\n".utf8)
        #expect(Array(plain.prefix(command.count)) == command)
        let server = try TLSSession(context: serverContext, fd: serverFD, system: loop.system, alreadyReceived: Array(plain.dropFirst(command.count)))
        let (clientOutcome, serverOutcome) = loop.handshake(client, server)
        #expect(clientOutcome.value != nil, "\(clientOutcome)")
        #expect(serverOutcome.value != nil, "\(serverOutcome)")
    }
}
