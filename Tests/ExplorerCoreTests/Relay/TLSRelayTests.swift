// TLSRelayTests — relays with TLS sides against real TLS peers: TLS on both sides in front of
// `openssl s_server -rev` with a Python ssl client (the plaintext is what sockpit logs, both
// ways), terminating TLS in front of a plain server, and a plain client to a TLS server.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("relay with tls sides")
struct TLSRelayTests {
    /// A Python ssl client (no verification: the relay's certificate is generated) that sends
    /// `line`, prints the first line it gets back, and exits.
    private static func pythonClient(port: UInt16, line: String) throws -> ScriptProcess {
        try ScriptProcess("python3", ["-c", """
            import socket, ssl, sys
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            with socket.create_connection(("127.0.0.1", \(port)), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as s:
                    s.sendall(b"\(line)\\n")
                    data = b""
                    while not data.endswith(b"\\n"):
                        chunk = s.recv(4096)
                        if not chunk: break
                        data += chunk
                    sys.stdout.write(data.decode())
            """])
    }

    private func finish(_ program: ScriptProcess, stepping session: EngineSession) -> Int32 {
        session.pump(until: { !program.process.isRunning }, timeout: 20)
        return program.finish(timeout: 5)
    }

    @Test("tls ⇄ tls in front of openssl s_server -rev: the client gets its line reversed, sockpit logs the plaintext both ways")
    func tlsBothSides() throws {
        let (server, port) = try TLSPeers.server(["-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        let started = session.status("relay tls 0 tls 127.0.0.1:\(port) verify=off")
        #expect(started.ok && started.message.contains("relaying tls 127.0.0.1:") && started.message.contains("→ tls 127.0.0.1:\(port)"), "\(started)")
        let client = try Self.pythonClient(port: session.port(of: 1), line: "hello relay")
        #expect(finish(client, stepping: session) == 0, "\(client.transcript) \(session.lines)")
        #expect(client.stdout == "yaler olleh\n", "\(client.transcript)")
        #expect(session.lines.contains(#"#2 < 12 c→s #3 "hello relay\n""#), "\(session.lines)")
        #expect(session.lines.contains { $0.hasPrefix("#3 < ") && $0.contains("s→c #2") && $0.contains("yaler olleh") }, "\(session.lines)")
        #expect(session.entry(2)?.tls?.phase == .established || session.entry(2)?.state.isOpen == false)
    }

    @Test("relay tls PORT HOST:PORT terminates TLS: a plain echo server gets the plaintext")
    func terminatesTLS() throws {
        let echo = try RelayTests.echoServer()
        defer { echo.stop() }
        let session = try EngineSession()
        #expect(session.status("relay tls 0 127.0.0.1:\(echo.port)").ok)
        #expect(session.lines.contains { $0.contains("tls certificate") && $0.contains("SHA-256") }, "\(session.lines)")
        let client = try Self.pythonClient(port: session.port(of: 1), line: "in the clear")
        #expect(finish(client, stepping: session) == 0, "\(client.transcript)")
        #expect(client.stdout == "in the clear\n")
        #expect(session.lines.contains(#"#3 < 13 s→c #2 "in the clear\n""#), "\(session.lines)")
    }

    @Test("relay PORT tls HOST:PORT: a plain client talks to a TLS server through it")
    func originatesTLS() throws {
        let (server, port) = try TLSPeers.server(["-rev"])
        defer { server.finish(timeout: 1) }
        let session = try EngineSession()
        #expect(session.status("relay 0 tls 127.0.0.1:\(port) verify=off").ok)
        let client = try PeerConnection.connect(port: session.port(of: 1))
        defer { client.close() }
        client.send("abc\n")
        #expect(session.read(client, until: { $0.last == UInt8(ascii: "\n") }).bytes == Array("cba\n".utf8), "\(session.lines)")
    }

    @Test("TLS options belong to their side; a bad certificate file changes nothing")
    func optionsBelongToTheirSide() throws {
        let session = try EngineSession()
        #expect(session.failing("relay 0 127.0.0.1:9 cert=c.pem").message.contains("cert= belongs to a tls listening side"))
        #expect(session.failing("relay tls 0 127.0.0.1:9 verify=off").message.contains("verify= belongs to a tls side it connects to"))
        #expect(session.failing("relay tls 0 127.0.0.1:9 cert=/nonexistent.pem").message.contains("tls:"))
        #expect(session.engine.table.count == 0)
    }
}
